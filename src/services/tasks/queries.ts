/** Reading tasks: the API/page shape, ownership checks, lists. */
import { and, desc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { getDb, type Executor } from "@/db";
import { tasks, uploads, type Task } from "@/db/schema";
import { parseInput } from "@/lib/http/api";
import { ForbiddenError, NotFoundError } from "@/lib/http/errors";
import { pageWindow, type Page } from "@/lib/http/pagination";
import { isProviderErrorCode, PROVIDER_ERROR_CODES, type ProviderErrorCode } from "@/lib/provider-errors";
import { OUTPUT_KIND_NAMES } from "@/services/storage/kinds";
import { storage } from "@/services/storage";
import enErrors from "../../../messages/en/errors.json";
import zhErrors from "../../../messages/zh/errors.json";
import { taskTypes } from "./registry";

export type TaskStatus = Task["status"];
export const UNFINISHED: TaskStatus[] = ["queued", "running"];

export const TASK_STATUSES = ["queued", "running", "succeeded", "failed"] as const satisfies readonly TaskStatus[];

const isoDate = () => z.iso.datetime();

/** An uploaded input of a task: what it is, and a fresh signed URL of its bytes (previews). */
export const taskInputFileSchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    contentType: z.string(),
    name: z.string().nullable(),
    width: z.int().nullable(),
    height: z.int().nullable(),
    durationSeconds: z.number().nullable(),
    url: z.string(),
  })
  .meta({ id: "TaskInputFile" });

export type TaskInputFile = z.infer<typeof taskInputFileSchema>;

/** What the API answers for a task (GET /api/tasks/<uuid>, lists, events, creation): the one definition of its shape. */
export const taskDtoSchema = z
  .object({
    uuid: z.uuid(),
    type: z.string(),
    outputKind: z.enum(OUTPUT_KIND_NAMES).nullable().meta({ description: "What the task produces (from its type): how to show outputUrl." }),
    status: z.enum(TASK_STATUSES),
    creditsUsed: z.int().meta({
      description: "What the task cost: its debit; a metered task, what its hold settled (0 until it succeeded, and when it failed).",
    }),
    creditsReserved: z.int().nullable().meta({ description: "Metered types only: the most the task can cost, held at creation; null for fixed-price types." }),
    userInput: z.unknown().meta({ description: "The validated input the task was created with." }),
    summary: z.string().meta({ description: "The input in one line, by the type's `summary` (default its prompt), for lists." }),
    outputUrl: z.string().nullable().meta({
      description: "A fresh signed URL of the stored output (STORAGE_URL_TTL_SECONDS), for the owner only; else null.",
    }),
    output: z.unknown().meta({
      description: "What the task produced besides its file, as the type defines it (e.g. speech-to-text's timed segments), once succeeded, for the owner only; else null.",
    }),
    inputs: z.record(z.string(), taskInputFileSchema).meta({ description: "The task's uploaded inputs by field (a type's file fields), for the owner only." }),
    progress: z.int().min(0).max(100),
    errorCode: z.enum(PROVIDER_ERROR_CODES).nullable().meta({ description: "A failed task's stable code." }),
    errorMessage: z.string().nullable().meta({ description: "The code's user-facing message (never the provider's raw text)." }),
    createdAt: isoDate(),
    updatedAt: isoDate(),
    startedAt: isoDate().nullable(),
    completedAt: isoDate().nullable(),
  })
  .meta({ id: "Task" });

export type TaskDto = z.infer<typeof taskDtoSchema>;

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
/** The type's one-line summary of the task's input (history cards). */
function summaryOf(t: Task): string {
  const definition = taskTypes().find((d) => d.type === t.type);
  try {
    return definition ? definition.summary(parseUserInput(t.userInput)) : "";
  } catch {
    return "";
  }
}

/** The type's result of a succeeded task (output_json.result, see ProviderJobStatus.result), for its owner. */
function taskOutput(t: Task, viewerUuid: string | null): unknown {
  if (!viewerUuid || t.userUuid !== viewerUuid || t.status !== "succeeded" || !t.outputJson) return null;
  try {
    return (JSON.parse(t.outputJson) as { result?: unknown } | null)?.result ?? null;
  } catch {
    return null;
  }
}

/** The task's uploads (its type's file fields) with signed URLs, for its owner; one query. */
async function taskInputs(t: Task, viewerUuid: string | null): Promise<Record<string, TaskInputFile>> {
  if (!viewerUuid || t.userUuid !== viewerUuid) return {};
  const fields = Object.keys(taskTypes().find((d) => d.type === t.type)?.files ?? {});
  if (fields.length === 0) return {};
  const input = (parseUserInput(t.userInput) ?? {}) as Record<string, unknown>;
  const wanted = fields.filter((f) => typeof input[f] === "string");
  if (wanted.length === 0) return {};
  const rows = await getDb()
    .select()
    .from(uploads)
    .where(and(inArray(uploads.id, wanted.map((f) => input[f] as string)), eq(uploads.userUuid, viewerUuid), eq(uploads.status, "ready")));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const store = storage();
  const inputs: Record<string, TaskInputFile> = {};
  for (const field of wanted) {
    const row = byId.get(input[field] as string);
    if (!row) continue;
    inputs[field] = {
      id: row.id,
      kind: row.kind!,
      contentType: row.contentType!,
      name: row.name,
      width: row.width,
      height: row.height,
      durationSeconds: row.durationSeconds,
      url: await store.signedUrl(row.storageKey),
    };
  }
  return inputs;
}

export async function toTaskDto(t: Task, viewerUuid: string | null, options: { locale?: string } = {}): Promise<TaskDto> {
  const errorCode = taskErrorCode(t);
  const messages = ERROR_MESSAGES[options.locale ?? "en"] ?? ERROR_MESSAGES.en;
  return {
    uuid: t.uuid,
    type: t.type,
    outputKind: taskTypes().find((d) => d.type === t.type)?.outputKind ?? null,
    status: t.status,
    creditsUsed: t.creditsUsed,
    creditsReserved: t.creditsReserved,
    userInput: parseUserInput(t.userInput),
    summary: summaryOf(t),
    outputUrl: await taskOutputUrl(t, viewerUuid),
    output: taskOutput(t, viewerUuid),
    inputs: await taskInputs(t, viewerUuid),
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

/** What a task list may be narrowed to: a registered type (tasks.type) and a status. */
export interface TaskFilters {
  type?: string;
  status?: TaskStatus;
}

/** ?type=&status= of the task list. */
export const taskFiltersSchema = z.object({
  type: z
    .string({ error: "must be a task type" })
    .refine((type) => taskTypes().some((d) => d.type === type), "must be a task type")
    .optional(),
  status: z.enum(TASK_STATUSES, { error: `must be one of ${TASK_STATUSES.join(", ")}` }).optional(),
});

/** Validated filters (400 naming `type` or `status`); empty values mean "any". */
export function parseTaskFilters(input: { type?: unknown; status?: unknown }): TaskFilters {
  const blank = (v: unknown) => (v === "" || v === null ? undefined : v);
  return parseInput(taskFiltersSchema, { type: blank(input.type), status: blank(input.status) });
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
