/** Reading tasks: the API/page shape, ownership checks, lists. */
import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import { getDb, type Executor } from "@/db";
import { tasks, type Task } from "@/db/schema";
import { parseInput } from "@/lib/api";
import { ForbiddenError, NotFoundError } from "@/lib/errors";
import { pageWindow, type Page } from "@/lib/pagination";
import { isProviderErrorCode, type ProviderErrorCode } from "@/lib/provider-errors";
import { storage } from "@/services/storage";
import enErrors from "../../../messages/en/errors.json";
import zhErrors from "../../../messages/zh/errors.json";
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
  /** A fresh signed URL of the stored output (STORAGE_URL_TTL_SECONDS), for the owner only; else null. */
  outputUrl: string | null;
  progress: number;
  /** A failed task's stable code (provider_unavailable, content_rejected, timed_out, invalid_output, internal). */
  errorCode: ProviderErrorCode | null;
  /** The code's user-facing message (never the provider's raw text). */
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

const ERROR_MESSAGES: Record<string, Record<ProviderErrorCode, string>> = { en: enErrors.provider, zh: zhErrors.provider };

/** A failed task's code (rows failed before codes existed read as `internal`). */
export function taskErrorCode(t: Pick<Task, "status" | "errorCode">): ProviderErrorCode | null {
  if (t.status !== "failed") return null;
  return isProviderErrorCode(t.errorCode) ? t.errorCode : "internal";
}

/**
 * Where the viewer reads a task's output: a fresh signed URL of its stored copy, and
 * only for its owner (nothing is signed for anyone else). Tasks finished before
 * outputs were stored keep their recorded URL.
 */
export async function taskOutputUrl(t: Task, viewerUuid: string | null): Promise<string | null> {
  if (!viewerUuid || t.userUuid !== viewerUuid || t.status !== "succeeded") return null;
  if (t.outputKey) return storage().signedUrl(t.outputKey);
  return t.outputUrl;
}

/**
 * The one shape a task has in API responses and pages, for `viewerUuid` (the
 * signed-in user): the output URL is signed for its owner only; a failure reads as
 * its code's message in `locale` (en by default).
 */
export async function toTaskDto(t: Task, viewerUuid: string | null, options: { locale?: string } = {}): Promise<TaskDto> {
  const errorCode = taskErrorCode(t);
  const messages = ERROR_MESSAGES[options.locale ?? "en"] ?? ERROR_MESSAGES.en;
  return {
    uuid: t.uuid,
    type: t.type,
    outputKind: taskTypes().find((d) => d.type === t.type)?.outputKind ?? null,
    status: t.status,
    creditsUsed: t.creditsUsed,
    userInput: parseUserInput(t.userInput),
    outputUrl: await taskOutputUrl(t, viewerUuid),
    progress: t.progress,
    errorCode,
    errorMessage: errorCode ? messages[errorCode] : null,
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

export const TASK_STATUSES = ["queued", "running", "succeeded", "failed"] as const satisfies readonly TaskStatus[];

/** What a task list may be narrowed to: a registered type (tasks.type) and a status. */
export interface TaskFilters {
  type?: string;
  status?: TaskStatus;
}

const filtersSchema = z.object({
  type: z
    .string({ error: "must be a task type" })
    .refine((type) => taskTypes().some((d) => d.type === type), "must be a task type")
    .optional(),
  status: z.enum(TASK_STATUSES, { error: `must be one of ${TASK_STATUSES.join(", ")}` }).optional(),
});

/** Validated filters (400 naming `type` or `status`); empty values mean "any". */
export function parseTaskFilters(input: { type?: unknown; status?: unknown }): TaskFilters {
  const blank = (v: unknown) => (v === "" || v === null ? undefined : v);
  return parseInput(filtersSchema, { type: blank(input.type), status: blank(input.status) });
}

/** The user's tasks, newest first, optionally of one type and/or status. */
export async function listTasks(
  userUuid: string,
  options: { page?: number; pageSize?: number } & TaskFilters = {},
  db: Executor = getDb(),
): Promise<Page<Task>> {
  const window = pageWindow(options);
  const filters = parseTaskFilters(options);
  const rows = await db
    .select()
    .from(tasks)
    .where(
      and(
        eq(tasks.userUuid, userUuid),
        filters.type ? eq(tasks.type, filters.type) : undefined,
        filters.status ? eq(tasks.status, filters.status) : undefined,
      ),
    )
    .orderBy(desc(tasks.createdAt), desc(tasks.uuid))
    .limit(window.limit)
    .offset(window.offset);
  return window.toPage(rows);
}
