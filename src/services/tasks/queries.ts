/** Reading tasks: the API/page shape, ownership checks, lists. */
import { desc, eq } from "drizzle-orm";
import { getDb, type Executor } from "@/db";
import { tasks, type Task } from "@/db/schema";
import { ForbiddenError, NotFoundError } from "@/lib/errors";
import { pageWindow, type Page } from "@/lib/pagination";
import type { OutputKind } from "./define";
import { taskTypes } from "./registry";

export type TaskStatus = Task["status"];
export const UNFINISHED: TaskStatus[] = ["queued", "running"];

export interface TaskDto {
  uuid: string;
  type: string;
  /** What the task produces (from its type): how to show outputUrl. */
  outputKind: OutputKind | null;
  status: TaskStatus;
  creditsUsed: number;
  userInput: unknown;
  outputUrl: string | null;
  progress: number;
  errorMessage: string | null;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  completedAt: string | null;
}

function parseUserInput(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The one shape a task has in API responses and pages. */
export function toTaskDto(t: Task): TaskDto {
  return {
    uuid: t.uuid,
    type: t.type,
    outputKind: taskTypes().find((d) => d.type === t.type)?.outputKind ?? null,
    status: t.status,
    creditsUsed: t.creditsUsed,
    userInput: parseUserInput(t.userInput),
    outputUrl: t.outputUrl,
    progress: t.progress,
    errorMessage: t.errorMessage,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
    startedAt: t.startedAt?.toISOString() ?? null,
    completedAt: t.completedAt?.toISOString() ?? null,
  };
}

export const isFinished = (t: Pick<Task, "status">) => !UNFINISHED.includes(t.status);

export async function getTask(taskUuid: string, db: Executor = getDb()): Promise<Task | null> {
  const [row] = await db.select().from(tasks).where(eq(tasks.uuid, taskUuid));
  return row ?? null;
}

/** The task if `userUuid` owns it (404 missing, 403 someone else's); no provider call. */
export async function getOwnedTask(taskUuid: string, userUuid: string, db: Executor = getDb()): Promise<Task> {
  const task = await getTask(taskUuid, db);
  if (!task) throw new NotFoundError("task not found");
  if (task.userUuid !== userUuid) throw new ForbiddenError("this task belongs to another user");
  return task;
}

/** The user's newest task row, or null. */
export async function getNewestTask(userUuid: string, db: Executor = getDb()): Promise<Task | null> {
  const [row] = await db
    .select()
    .from(tasks)
    .where(eq(tasks.userUuid, userUuid))
    .orderBy(desc(tasks.createdAt), desc(tasks.uuid))
    .limit(1);
  return row ?? null;
}

/** The user's tasks, newest first. */
export async function listTasks(
  userUuid: string,
  options: { page?: number; pageSize?: number } = {},
  db: Executor = getDb(),
): Promise<Page<Task>> {
  const window = pageWindow(options);
  const rows = await db
    .select()
    .from(tasks)
    .where(eq(tasks.userUuid, userUuid))
    .orderBy(desc(tasks.createdAt), desc(tasks.uuid))
    .limit(window.limit)
    .offset(window.offset);
  return window.toPage(rows);
}
