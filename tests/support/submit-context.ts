import type { SubmitContext } from "@/services/ai/types";

/** What submit gets for a task without files (the lifecycle builds the real one: submitContext). */
export function noFiles(taskUuid: string): SubmitContext {
  return {
    taskUuid,
    files: {},
    signedInputUrl: async (field) => {
      throw new Error(`no file in field ${field}`);
    },
  };
}
