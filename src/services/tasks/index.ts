/**
 * The task platform (docs/architecture.md "Tasks", docs/tasks.md):
 *   define.ts     defineTaskType: how a type is declared (input, cost, output kind, providers, labels)
 *   registry.ts   the list of types, lookups, the production check of their providers
 *   create.ts     createTask: one creation path for every type
 *   lifecycle.ts  submit, poll, webhook, finish, fail + refund
 *   sweeper.ts    the in-process sweeper (and the round the cron route runs)
 *   queries.ts    reads and the API shape (TaskDto)
 *   (each task type is its own folder under src/tasks/<type>/, listed in registry.ts)
 */
import type { Task } from "@/db/schema";
import { createTask, type CreateTaskOptions } from "./create";
import { textToVideo, type TextToVideoInput } from "@/tasks/text-to-video";

export { defineTaskType, type AnyTaskType, type OutputKind, type TaskType } from "./define";
export { registerTaskType, taskTypeBySlug, taskTypeOf, taskTypes } from "./registry";
export { createTask, idempotencyKeySchema, parseIdempotencyKey, IdempotencyKeyReusedError, type Background, type CreateTaskOptions } from "./create";
export {
  applyProviderStatus,
  cancelJob,
  deleteTaskOutputs,
  errorCodeOf,
  failTask,
  forgetTasksOf,
  getLatestTask,
  getTaskForUser,
  handleProviderWebhook,
  refreshTask,
} from "./lifecycle";
export { sweepTasks, type SweepOptions, type SweepResult } from "./sweeper";
export {
  getTask,
  isFinished,
  listTasks,
  parseTaskFilters,
  TASK_STATUSES,
  taskDtoSchema,
  taskFiltersSchema,
  taskErrorCode, taskOutputUrl, toTaskDto,
  type TaskDto,
  type TaskFilters,
  type TaskStatus,
} from "./queries";
export { openTaskWatch, watchTask } from "./watch";
export { textToVideoInput, type TextToVideoInput } from "@/tasks/text-to-video";

export type CreateTextToVideoTaskInput = TextToVideoInput & { userUuid: string; idempotencyKey?: string | null };

/** The seed's text-to-video creation: createTask with the text-to-video type. */
export function createTextToVideoTask(
  input: CreateTextToVideoTaskInput,
  options: CreateTaskOptions = {},
): Promise<{ task: Task; created: boolean }> {
  const { userUuid, idempotencyKey, prompt, seconds, aspectRatio } = input;
  return createTask(textToVideo, { userUuid, idempotencyKey, input: { prompt, seconds, aspectRatio } }, options);
}
