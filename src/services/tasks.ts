/**
 * Task orchestration (DESIGN.md "Tasks"): create, advance, finish, refund on failure.
 *
 * Invariants this file keeps:
 * 1. A task row and its debit commit together (one statement) or not at all.
 * 2. Every status change is a conditional UPDATE ... WHERE status IN (<expected>)
 *    RETURNING: of two finishers racing (webhook, poll, sweeper), one applies it.
 * 3. A failure (provider error, timeout) refunds in the same transaction as the
 *    transition to `failed`, so credits come back exactly once.
 * 4. The provider is called after commit; a request never waits for the video.
 * 5. An idempotency key maps to one task per user: repeats, even concurrent ones,
 *    get the first task and pay once (the unique index decides the winner).
 */
import crypto from "node:crypto";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb, rowsOf, type Executor } from "@/db";
import { tasks, type Task } from "@/db/schema";
import {
  ASPECT_RATIOS,
  TEXT2VIDEO_MAX_PROMPT_LENGTH,
  TEXT2VIDEO_MAX_SECONDS,
  TEXT2VIDEO_MIN_SECONDS,
  textToVideoCost,
  type AspectRatio,
} from "@/data/tasks";
import { parseInput } from "@/lib/api";
import { env } from "@/lib/env";
import { pageWindow, type Page } from "@/lib/pagination";
import { AppError, BadRequestError, ForbiddenError, NotFoundError, isUniqueViolation } from "@/lib/errors";
import { TRANS_TYPES, debitArguments, debitCall, ledgerError, refundCredits } from "@/services/credits";
import { rateLimitError, rateLimitSql } from "@/services/rate-limit";
import { getVideoProvider } from "@/services/ai/video";
import type { ProviderJobStatus, TextToVideoOptions, WebhookRequest } from "@/services/ai/types";

export const TASK_TYPES = { textToVideo: "text_to_video" } as const;
export type TaskStatus = Task["status"];
const UNFINISHED: TaskStatus[] = ["queued", "running"];

// ---------------------------------------------------------------------------
// Input
// ---------------------------------------------------------------------------

/** The POST body. Unknown fields are ignored (stripped), not rejected. */
export const textToVideoInput = z.object({
  prompt: z
    .string({ error: "must be a string" })
    .trim()
    .min(1, "must not be empty")
    .max(TEXT2VIDEO_MAX_PROMPT_LENGTH, `must be at most ${TEXT2VIDEO_MAX_PROMPT_LENGTH} characters`),
  seconds: z
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(TEXT2VIDEO_MIN_SECONDS, `must be between ${TEXT2VIDEO_MIN_SECONDS} and ${TEXT2VIDEO_MAX_SECONDS}`)
    .max(TEXT2VIDEO_MAX_SECONDS, `must be between ${TEXT2VIDEO_MIN_SECONDS} and ${TEXT2VIDEO_MAX_SECONDS}`),
  aspectRatio: z.enum(ASPECT_RATIOS, { error: `must be one of ${ASPECT_RATIOS.join(", ")}` }),
});
export type TextToVideoInput = z.infer<typeof textToVideoInput>;

const idempotencyKeySchema = z
  .string()
  .min(1, "must not be empty")
  .max(200, "must be at most 200 characters")
  .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces");

// ---------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------

export interface TaskDto {
  uuid: string;
  type: string;
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

// ---------------------------------------------------------------------------
// Create
// ---------------------------------------------------------------------------

/** Runs work after the response; route handlers pass Next's `after`, the default is fire-and-forget. */
export type Background = (job: () => Promise<unknown>) => void;

const fireAndForget: Background = (job) => {
  void job().catch((error) => console.error("[tasks] background job failed", error));
};

export interface CreateTextToVideoTaskInput {
  userUuid: string;
  prompt: string;
  seconds: number;
  aspectRatio: AspectRatio;
  idempotencyKey?: string | null;
}

export interface CreateTaskOptions {
  db?: Executor;
  /** Provider name; default TEXT2VIDEO_PROVIDER. */
  provider?: string;
  background?: Background;
}

async function findByIdempotencyKey(db: Executor, userUuid: string, key: string): Promise<Task | undefined> {
  const [row] = await db
    .select()
    .from(tasks)
    .where(and(eq(tasks.userUuid, userUuid), eq(tasks.idempotencyKey, key)));
  return row;
}

/** A named parameter of a prepared statement, filled in by `execute({ name: value })`. */
const p = sql.placeholder;

/**
 * The creation INSERT, in one statement, so one round trip and one commit. Computing
 * the row counts the rate-limit hit first, then runs the debit (lock, balance check,
 * burn-down), whose trans_no becomes the task's credits_trans_no. If either refuses,
 * or a concurrent request with the same Idempotency-Key has inserted its task (unique
 * index), the statement fails and nothing is written, charged or counted.
 * Prepared once per database handle: the hot path skips building the SQL.
 */
function prepareInsertTask(db: Executor) {
  const debit = debitCall({
    transNo: p("transNo"),
    userUuid: p("userUuid"),
    transType: p("transType"),
    credits: p("credits"),
    taskUuid: p("taskUuid"),
    orderNo: p("orderNo"),
    reason: p("reason"),
  });
  return db
    .insert(tasks)
    .values({
      uuid: p("taskUuid"),
      userUuid: p("userUuid"),
      type: p("type"),
      status: "queued",
      creditsUsed: p("credits"),
      creditsTransNo: sql<string>`(SELECT ${debit} WHERE ${rateLimitSql(p("rateKey"), p("rateLimit"), 60)})`,
      userInput: p("userInput"),
      provider: p("provider"),
      idempotencyKey: p("idempotencyKey"),
    })
    .returning()
    .prepare("insert_task");
}

const insertTaskStatements = new WeakMap<Executor, ReturnType<typeof prepareInsertTask>>();

function insertTaskStatement(db: Executor) {
  let statement = insertTaskStatements.get(db);
  if (!statement) insertTaskStatements.set(db, (statement = prepareInsertTask(db)));
  return statement;
}

/**
 * Debits the cost and inserts a queued task in one statement, then submits it to
 * the provider in the background. `created` is false when an idempotency key
 * matched an earlier task (returned as is, nothing charged).
 * Throws BadRequestError (400), InsufficientCreditsError (402), TooManyRequestsError (429).
 */
export async function createTextToVideoTask(
  input: CreateTextToVideoTaskInput,
  options: CreateTaskOptions = {},
): Promise<{ task: Task; created: boolean }> {
  const db = options.db ?? getDb();
  const params = parseInput(textToVideoInput, { prompt: input.prompt, seconds: input.seconds, aspectRatio: input.aspectRatio });
  const key = input.idempotencyKey == null ? null : parseIdempotencyKey(input.idempotencyKey);

  if (key) {
    const existing = await findByIdempotencyKey(db, input.userUuid, key);
    if (existing) return { task: existing, created: false };
  }
  const cost = textToVideoCost(params.seconds, params.aspectRatio);
  const uuid = crypto.randomUUID();
  const debit = debitArguments({
    userUuid: input.userUuid,
    credits: cost,
    transType: TRANS_TYPES.taskTextToVideo,
    taskUuid: uuid,
    reason: "text-to-video task",
  });
  let task: Task;
  try {
    [task] = await insertTaskStatement(db).execute({
      ...debit,
      type: TASK_TYPES.textToVideo,
      userInput: JSON.stringify(params),
      provider: getVideoProvider(options.provider).name,
      idempotencyKey: key,
      rateKey: `tasks:create:${input.userUuid}`,
      rateLimit: env().TASK_RATE_LIMIT_PER_MINUTE,
    });
  } catch (error) {
    const refusal = rateLimitError(ledgerError(error, { userUuid: input.userUuid, credits: cost }));
    // A repeat of a key that raced the first request, and lost on the unique index or
    // found the credits or the rate limit used up by it, answers with that first task.
    if (key && (isUniqueViolation(error) || refusal instanceof AppError)) {
      const winner = await findByIdempotencyKey(db, input.userUuid, key);
      if (winner) return { task: winner, created: false };
    }
    throw refusal;
  }
  (options.background ?? fireAndForget)(() => submitTask(task, params, db));
  return { task, created: true };
}

export function parseIdempotencyKey(value: string): string {
  const result = idempotencyKeySchema.safeParse(value);
  if (!result.success) throw new BadRequestError(`Idempotency-Key: ${result.error.issues[0].message}`, "Idempotency-Key");
  return result.data;
}

function errorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.slice(0, 500) || "provider error";
}

/** Hands a new (queued) task to its provider: queued -> running with the job id, or failed + refunded. */
async function submitTask(task: Task, options: TextToVideoOptions, db: Executor): Promise<void> {
  let result;
  try {
    result = await getVideoProvider(task.provider).submit(options, { taskUuid: task.uuid });
  } catch (error) {
    console.error(`[tasks] submit failed for ${task.uuid}`, errorText(error));
    await failTask(task.uuid, `could not start the job: ${errorText(error)}`, db);
    return;
  }
  // queued -> running with the job id and the first progress reading.
  const progress = result.status.state === "running" ? Math.min(99, Math.max(0, result.status.progress)) : 0;
  const started = await markStarted(db, { uuid: task.uuid, jobId: result.jobId, progress });
  // Not queued any more: the sweeper timed it out meanwhile; leave it as it is.
  if (started && result.status.state !== "running") await applyProviderStatus(task, result.status, db);
}

interface Start {
  uuid: string;
  jobId: string;
  progress: number;
  done: (started: boolean) => void;
  fail: (error: unknown) => void;
}

/**
 * How long the first start of a batch waits for others. Jobs run for seconds to
 * minutes, so 10 ms on the way to `running` costs nothing a user can see, and under
 * load it lets dozens of starts share one UPDATE.
 */
const START_LINGER_MS = 10;

/** Starts waiting to be written, per database handle, and whether a write is pending or in flight. */
const startQueues = new WeakMap<Executor, { pending: Start[]; writing: boolean }>();

/**
 * Records that a provider accepted a task's job: queued -> running with the job id.
 * Group commit: starts that arrive within START_LINGER_MS of each other, or while a
 * write is in flight, go out together in one UPDATE, so under load many tasks share
 * a round trip and a commit. Resolves to false when the task was no longer queued
 * (the sweeper timed it out meanwhile).
 */
function markStarted(db: Executor, start: Omit<Start, "done" | "fail">): Promise<boolean> {
  let queue = startQueues.get(db);
  if (!queue) startQueues.set(db, (queue = { pending: [], writing: false }));
  const q = queue;
  return new Promise<boolean>((done, fail) => {
    q.pending.push({ ...start, done, fail });
    if (!q.writing) {
      q.writing = true;
      setTimeout(() => void writeStarts(db, q), START_LINGER_MS);
    }
  });
}

async function writeStarts(db: Executor, queue: { pending: Start[]; writing: boolean }) {
  while (queue.pending.length > 0) {
    const batch = queue.pending.splice(0, 500);
    try {
      const rows = batch.map((s) => ({ uuid: s.uuid, job_id: s.jobId, progress: s.progress }));
      const started = rowsOf<{ uuid: string }>(
        await db.execute(sql`
          UPDATE tasks SET status = 'running', provider_job_id = s.job_id, progress = s.progress,
                           started_at = now(), updated_at = now()
          FROM json_to_recordset(${JSON.stringify(rows)}::json) AS s(uuid text, job_id text, progress int)
          WHERE tasks.uuid = s.uuid AND tasks.status = 'queued'
          RETURNING tasks.uuid`),
      );
      const uuids = new Set(started.map((r) => r.uuid));
      for (const s of batch) s.done(uuids.has(s.uuid));
    } catch (error) {
      for (const s of batch) s.fail(error);
    }
  }
  queue.writing = false;
}

// ---------------------------------------------------------------------------
// Transitions
// ---------------------------------------------------------------------------

/**
 * queued|running -> failed, and the refund, in one transaction. Returns the
 * failed task, or null when the task was not unfinished (someone else finished it).
 */
export async function failTask(
  taskUuid: string,
  reason: string,
  db: Executor = getDb(),
  extra: { outputJson?: unknown } = {},
): Promise<Task | null> {
  return db.transaction(async (tx) => {
    const [failed] = await tx
      .update(tasks)
      .set({
        status: "failed",
        errorMessage: reason.slice(0, 1000),
        completedAt: sql`now()`,
        updatedAt: sql`now()`,
        ...(extra.outputJson !== undefined ? { outputJson: JSON.stringify(extra.outputJson) } : {}),
      })
      .where(and(eq(tasks.uuid, taskUuid), inArray(tasks.status, UNFINISHED)))
      .returning();
    if (!failed) return null;
    if (!failed.creditsTransNo) return failed;
    const refund = await refundCredits({ transNo: failed.creditsTransNo, reason: `task ${taskUuid} failed` }, tx);
    const [refunded] = await tx.update(tasks).set({ refundTransNo: refund.transNo }).where(eq(tasks.uuid, taskUuid)).returning();
    return refunded;
  });
}

/** queued|running -> succeeded with the output. Null when the task was already finished. */
async function succeedTask(taskUuid: string, outputUrl: string, output: unknown, db: Executor): Promise<Task | null> {
  const [row] = await db
    .update(tasks)
    .set({
      status: "succeeded",
      progress: 100,
      outputUrl,
      outputJson: output === undefined ? null : JSON.stringify(output),
      completedAt: sql`now()`,
      startedAt: sql`coalesce(${tasks.startedAt}, now())`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(tasks.uuid, taskUuid), inArray(tasks.status, UNFINISHED)))
    .returning();
  return row ?? null;
}

/** Records progress on an unfinished task (never moves backwards). */
async function markRunning(taskUuid: string, progress: number, db: Executor): Promise<Task | null> {
  const [row] = await db
    .update(tasks)
    .set({
      status: "running",
      progress: sql`greatest(${tasks.progress}, ${Math.min(99, progress)})`,
      startedAt: sql`coalesce(${tasks.startedAt}, now())`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(tasks.uuid, taskUuid), inArray(tasks.status, UNFINISHED)))
    .returning();
  return row ?? null;
}

/** Applies what the provider says about a task's job. Returns the task as it now stands. */
export async function applyProviderStatus(task: Task, status: ProviderJobStatus, db: Executor = getDb()): Promise<Task> {
  let row: Task | null = null;
  if (status.state === "running") row = await markRunning(task.uuid, status.progress, db);
  else if (status.state === "succeeded") {
    row = status.outputUrl
      ? await succeedTask(task.uuid, status.outputUrl, status.output, db)
      : await failTask(task.uuid, "the provider returned no video", db, { outputJson: status.output });
  } else row = await failTask(task.uuid, status.error || "the provider failed", db, { outputJson: status.output });
  return row ?? (await getTask(task.uuid, db)) ?? task;
}

/**
 * Brings an unfinished task up to date: polls its provider job, then fails (and
 * refunds) it if it is still unfinished after the timeout. Provider errors while
 * polling are logged and leave the task as it is (the timeout is the backstop).
 */
export async function refreshTask(task: Task, options: { db?: Executor; timeoutMs?: number } = {}): Promise<Task> {
  const db = options.db ?? getDb();
  if (isFinished(task)) return task;
  let current = task;
  if (task.providerJobId) {
    try {
      const status = await getVideoProvider(task.provider).fetchStatus(task.providerJobId);
      current = await applyProviderStatus(task, status, db);
    } catch (error) {
      console.error(`[tasks] polling ${task.provider} for ${task.uuid} failed`, errorText(error));
    }
  }
  const timeoutMs = options.timeoutMs ?? env().TASK_TIMEOUT_MS;
  if (!isFinished(current) && Date.now() - current.createdAt.getTime() > timeoutMs) {
    current = (await failTask(task.uuid, `timed out after ${Math.round(timeoutMs / 1000)} seconds`, db)) ?? (await getTask(task.uuid, db)) ?? current;
  }
  return current;
}

// ---------------------------------------------------------------------------
// Webhooks and the sweeper
// ---------------------------------------------------------------------------

/**
 * A provider's webhook: verified by the provider (400/401 when not authentic, nothing
 * changed), then applied to the task that owns the job. A job we do not know (yet)
 * is acknowledged and ignored; polling picks it up.
 */
export async function handleProviderWebhook(
  providerName: string,
  request: WebhookRequest,
  db: Executor = getDb(),
): Promise<{ handled: boolean; task: Task | null }> {
  const provider = getVideoProvider(providerName);
  if (!provider.parseWebhook) throw new NotFoundError(`provider ${providerName} has no webhooks`);
  const event = await provider.parseWebhook(request);
  const [task] = await db
    .select()
    .from(tasks)
    .where(and(eq(tasks.provider, provider.name), eq(tasks.providerJobId, event.jobId)));
  if (!task) return { handled: false, task: null };
  return { handled: true, task: await applyProviderStatus(task, event.status, db) };
}

export interface SweepResult {
  claimed: number;
  succeeded: number;
  failed: number;
  running: number;
}

/**
 * One sweep: claims up to `limit` unfinished tasks not touched for `idleMs`
 * (FOR UPDATE SKIP LOCKED, and the claim bumps updated_at so other instances
 * take other tasks), polls their providers and times out the stuck ones.
 */
export async function sweepTasks(
  options: { limit?: number; idleMs?: number; timeoutMs?: number; db?: Executor } = {},
): Promise<SweepResult> {
  const db = options.db ?? getDb();
  const limit = options.limit ?? 25;
  const idleSeconds = (options.idleMs ?? 1000) / 1000;
  const claimed = rowsOf<{ uuid: string }>(
    await db.execute(sql`
      UPDATE tasks SET updated_at = now()
      WHERE uuid IN (
        SELECT uuid FROM tasks
        WHERE status IN ('queued', 'running') AND updated_at <= now() - make_interval(secs => ${idleSeconds})
        ORDER BY updated_at
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED
      )
      RETURNING uuid`),
  );
  const result: SweepResult = { claimed: claimed.length, succeeded: 0, failed: 0, running: 0 };
  if (claimed.length === 0) return result;
  const rows = await db.select().from(tasks).where(inArray(tasks.uuid, claimed.map((c) => c.uuid)));
  for (const row of rows) {
    const after = await refreshTask(row, { db, timeoutMs: options.timeoutMs });
    if (after.status === "succeeded") result.succeeded++;
    else if (after.status === "failed") result.failed++;
    else result.running++;
  }
  return result;
}

// ---------------------------------------------------------------------------
// Reads
// ---------------------------------------------------------------------------

export async function getTask(taskUuid: string, db: Executor = getDb()): Promise<Task | null> {
  const [row] = await db.select().from(tasks).where(eq(tasks.uuid, taskUuid));
  return row ?? null;
}

/** The task if `userUuid` owns it (404 missing, 403 someone else's), refreshed from the provider while unfinished. */
export async function getTaskForUser(
  taskUuid: string,
  userUuid: string,
  options: { refresh?: boolean; db?: Executor } = {},
): Promise<Task> {
  const db = options.db ?? getDb();
  const task = await getTask(taskUuid, db);
  if (!task) throw new NotFoundError("task not found");
  if (task.userUuid !== userUuid) throw new ForbiddenError("this task belongs to another user");
  return options.refresh === false ? task : refreshTask(task, { db });
}

/** The user's newest task (refreshed while unfinished), or null. */
export async function getLatestTask(userUuid: string, db: Executor = getDb()): Promise<Task | null> {
  const [row] = await db
    .select()
    .from(tasks)
    .where(eq(tasks.userUuid, userUuid))
    .orderBy(desc(tasks.createdAt), desc(tasks.uuid))
    .limit(1);
  return row ? refreshTask(row, { db }) : null;
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
