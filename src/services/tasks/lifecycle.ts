/**
 * The task lifecycle, shared by every task type: submit to the type's provider,
 * advance, finish, refund on failure, webhooks, the sweeper's scan.
 * (docs/architecture.md "Tasks")
 *
 * Invariants this file keeps:
 * 1. A task row and its debit commit together (one statement, ./create.ts) or not at all.
 * 2. Every status change is a conditional UPDATE ... WHERE status IN (<expected>)
 *    RETURNING: of two finishers racing (webhook, poll, sweeper), one applies it.
 * 3. A failure (provider error, timeout) refunds in the same transaction as the
 *    transition to `failed`, so credits come back exactly once.
 * 4. The provider is called after commit; a request never waits for the output.
 * 5. A task's provider is looked up in its own type's registry (tasks.type, tasks.provider).
 * 6. A succeeded job's output is copied into storage (outputKey(uuid)) BEFORE the
 *    conditional transition to `succeeded`: two finishers may both copy (same key,
 *    same bytes), only one succeeds. A copy that fails (after its own bounded
 *    retries) fails the task with its code and refunds, once (invariant 3).
 * 7. A failed task carries a stable error_code (src/lib/provider-errors.ts); the raw
 *    reason stays in error_message/output_json for operators.
 * 8. A job given up on (timeout, or a task finished before its start was recorded) is
 *    cancelled at the provider where it can be; a late success of a failed task changes nothing.
 * 9. A metered task (credits_hold_id set) holds its most instead of a debit: success settles
 *    the price of the provider's reported usage in the same transaction as the move to
 *    `succeeded` (credits_used = that price); failure and timeout release the hold in the
 *    transaction of the move to `failed` (invariant 3's refund, for a hold).
 * 10. The move to succeeded or failed writes its `task.succeeded` / `task.failed` webhook
 *    event into the outbox in the same transaction (src/services/webhooks/outbox.ts).
 */
import { and, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { getDb, rowsOf, type Executor } from "@/db";
import { tasks, type Task } from "@/db/schema";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { NotFoundError } from "@/lib/http/errors";
import { classifyProviderFailure, providerErrorCodeOf, type ProviderErrorCode } from "@/lib/provider-errors";
import { HoldResolvedError, releaseHold, settleHold } from "@/services/credits/holds";
import { refundCredits } from "@/services/credits/ledger";
import { ProviderError as ProviderCallError } from "@/services/ai/types";
import type { ProviderJobStatus, ProviderUsage, ProviderWebhookEvent, SubmitContext, TaskProvider, WebhookRequest } from "@/services/ai/types";
import { storage } from "@/services/storage";
import { enqueueWebhookEvent } from "@/services/webhooks/outbox";
import { copyOutputToStorage, OutputCopyError, outputKey } from "@/services/storage/copy";
import { signedUploadUrl, type UploadFacts } from "@/services/uploads";
import type { AnyTaskType } from "./define";
import { getOwnedTask, getNewestTask, getTask, isFinished, UNFINISHED } from "./queries";
import { taskTypeOf, taskTypes } from "./registry";

function errorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.slice(0, 500) || "provider error";
}

/** The stable code of an error a provider call threw. */
export function errorCodeOf(error: unknown): ProviderErrorCode {
  if (error instanceof ProviderCallError) return error.code ?? classifyProviderFailure({ status: error.httpStatus, message: error.message });
  return providerErrorCodeOf(error);
}

/** The stable code of a job the provider reports failed. */
function statusErrorCode(status: ProviderJobStatus): ProviderErrorCode {
  return status.errorCode ?? classifyProviderFailure({ message: status.error });
}

/** The provider a stored task runs on: its type's provider of that name. */
function providerOf(task: Task): TaskProvider<unknown> {
  return taskTypeOf(task.type).providers.get(task.provider);
}

/** What a provider's submit gets besides the input: the task, its files' facts, and signed URLs of them. */
export function submitContext(taskUuid: string, files: Record<string, UploadFacts> = {}): SubmitContext {
  return {
    taskUuid,
    files,
    async signedInputUrl(field) {
      const file = Object.hasOwn(files, field) ? files[field] : undefined;
      if (!file) throw new Error(`task ${taskUuid}: no file in field ${field}`);
      return signedUploadUrl(file);
    },
  };
}

/** Hands a new (queued) task to its provider: queued -> running with the job id, or failed + refunded. */
export async function submitTask(
  task: Task,
  definition: AnyTaskType,
  input: unknown,
  db: Executor,
  files: Record<string, UploadFacts> = {},
): Promise<void> {
  let result;
  try {
    result = await definition.providers.get(task.provider).submit(input, submitContext(task.uuid, files));
  } catch (error) {
    logger.error({ task: task.uuid, error: errorText(error) }, "[tasks] submit failed");
    await failTask(task.uuid, `could not start the job: ${errorText(error)}`, db, { errorCode: errorCodeOf(error) });
    return;
  }
  // queued -> running with the job id and the first progress reading.
  const progress = result.status.state === "running" ? Math.min(99, Math.max(0, result.status.progress)) : 0;
  const started = await markStarted(db, { uuid: task.uuid, jobId: result.jobId, progress });
  if (started && result.status.state !== "running") await applyProviderStatus(task, result.status, db);
  // Finished meanwhile (timed out by the sweeper before the start was recorded): stop the paid job.
  if (!started) await cancelJob({ ...task, providerJobId: result.jobId });
}

/** Asks the task's provider to stop its job, where the provider can; failures are logged, never thrown. */
export async function cancelJob(task: Pick<Task, "uuid" | "type" | "provider" | "providerJobId">): Promise<void> {
  if (!task.providerJobId) return;
  try {
    const provider = providerOf(task as Task);
    if (!provider.cancel) return;
    await provider.cancel(task.providerJobId);
    logger.info({ task: task.uuid, provider: task.provider, job: task.providerJobId }, "[tasks] provider job cancelled");
  } catch (error) {
    logger.error({ task: task.uuid, provider: task.provider, job: task.providerJobId, error: errorText(error) }, "[tasks] cancelling the provider job failed");
  }
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
 * queued|running -> failed, and the refund (a metered task: the release of its hold), in one
 * transaction. Returns the failed task, or null when the task was not unfinished (someone
 * else finished it).
 */
export async function failTask(
  taskUuid: string,
  reason: string,
  db: Executor = getDb(),
  extra: { outputJson?: unknown; errorCode?: ProviderErrorCode } = {},
): Promise<Task | null> {
  return db.transaction(async (tx) => {
    const [failed] = await tx
      .update(tasks)
      .set({
        status: "failed",
        errorMessage: reason.slice(0, 1000),
        errorCode: extra.errorCode ?? "internal",
        completedAt: sql`now()`,
        updatedAt: sql`now()`,
        ...(extra.outputJson !== undefined ? { outputJson: JSON.stringify(extra.outputJson) } : {}),
      })
      .where(and(eq(tasks.uuid, taskUuid), inArray(tasks.status, UNFINISHED)))
      .returning();
    if (!failed) return null;
    await enqueueWebhookEvent(tx, { userUuid: failed.userUuid, type: "task.failed", taskUuid });
    if (failed.creditsHoldId) {
      // Nothing was spent; the reservation goes back (a no-op if it had expired already).
      await releaseHold(failed.creditsHoldId, tx);
      return failed;
    }
    if (!failed.creditsTransNo) return failed;
    const refund = await refundCredits({ transNo: failed.creditsTransNo, reason: `task ${taskUuid} failed` }, tx);
    const [refunded] = await tx.update(tasks).set({ refundTransNo: refund.transNo }).where(eq(tasks.uuid, taskUuid)).returning();
    return refunded;
  });
}

/**
 * queued|running -> succeeded with the stored output. Null when the task was already finished.
 * A metered task's hold is settled with what `usage` costs in the same transaction.
 */
async function succeedTask(
  task: Task,
  stored: { outputKey: string } | { outputUrl: string },
  output: unknown,
  usage: ProviderUsage | undefined,
  db: Executor,
): Promise<Task | null> {
  const set = {
    status: "succeeded" as const,
    progress: 100,
    ...stored,
    outputJson: output === undefined ? null : JSON.stringify(output),
    completedAt: sql`now()`,
    startedAt: sql`coalesce(${tasks.startedAt}, now())`,
    updatedAt: sql`now()`,
  };
  const unfinished = and(eq(tasks.uuid, task.uuid), inArray(tasks.status, UNFINISHED));
  const announce = (tx: Executor) => enqueueWebhookEvent(tx, { userUuid: task.userUuid, type: "task.succeeded", taskUuid: task.uuid });
  const holdId = task.creditsHoldId;
  if (!holdId) {
    return db.transaction(async (tx) => {
      const [row] = await tx.update(tasks).set(set).where(unfinished).returning();
      if (row) await announce(tx);
      return row ?? null;
    });
  }
  const charge = meteredCharge(task, usage);
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .update(tasks)
        .set({ ...set, creditsUsed: charge, creditsTransNo: charge > 0 ? holdId : null })
        .where(unfinished)
        .returning();
      if (row) {
        await settleHold(holdId, charge, tx);
        await announce(tx);
      }
      return row ?? null;
    });
  } catch (error) {
    if (!(error instanceof HoldResolvedError)) throw error;
    // The hold expired before the job finished (the task outlived its timeout unswept): its
    // credits are back with the user, so the task fails like a timeout and costs nothing.
    logger.warn({ task: task.uuid, hold: holdId }, "[tasks] a metered task finished after its credit hold expired");
    await failTask(task.uuid, "the credit hold expired before the job finished", db, { errorCode: "timed_out" });
    return null;
  }
}

/**
 * What a succeeded metered task costs: its type's price of the reported usage, rounded up
 * and kept within what was reserved. A price that cannot be computed charges the reserved
 * amount (the most the user agreed to), and is logged.
 */
function meteredCharge(task: Task, usage: ProviderUsage | undefined): number {
  const reserved = task.creditsReserved ?? 0;
  let credits = Number.NaN;
  try {
    const metered = taskTypeOf(task.type).metered;
    credits = metered ? metered.costFromUsage(usage, JSON.parse(task.userInput)) : reserved;
  } catch (error) {
    logger.error({ task: task.uuid, error: errorText(error) }, "[tasks] pricing a metered task's usage failed");
  }
  if (typeof credits !== "number" || !Number.isFinite(credits)) {
    logger.error({ task: task.uuid, usage, credits }, "[tasks] a metered task's usage has no price: charging what was reserved");
    return reserved;
  }
  return Math.min(reserved, Math.max(0, Math.ceil(credits)));
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

/** Copies in flight in this process, per task: concurrent finishers of one task share one copy. */
const finishing = new Map<string, Promise<Task | null>>();

/**
 * A job succeeded: copy its output (from its URL, or the content the provider answered)
 * into storage, then succeed the task (conditional). The provider's URL and answer are kept
 * only in output_json, for operators; the type's `result` (e.g. a transcript's segments) is
 * stored beside them and served as the task's `output`.
 */
function finishWithOutput(task: Task, status: ProviderJobStatus, db: Executor): Promise<Task | null> {
  const inFlight = finishing.get(task.uuid);
  if (inFlight) return inFlight;
  const run = (async () => {
    const operatorOutput = {
      providerOutput: status.output ?? null,
      outputUrl: status.outputUrl ?? null,
      ...(status.result !== undefined ? { result: status.result } : {}),
    };
    // Every output kind is stored (video, image, audio, text: src/services/storage/kinds.ts).
    const { outputKind: kind, maxOutputBytes } = taskTypeOf(task.type);
    const key = outputKey(task.uuid);
    try {
      const source = status.outputUrl ? { url: status.outputUrl } : { body: status.outputBody };
      await copyOutputToStorage({ ...source, key, kind, maxBytes: maxOutputBytes });
    } catch (error) {
      const code: ProviderErrorCode = error instanceof OutputCopyError ? error.providerCode : "internal";
      const detail = errorText(error);
      logger.error({ task: task.uuid, code, detail }, "[tasks] storing the output failed");
      return failTask(task.uuid, `could not store the output: ${detail}`, db, {
        errorCode: code,
        outputJson: { ...operatorOutput, copyError: { code: error instanceof OutputCopyError ? error.code : null, detail } },
      });
    }
    const row = await succeedTask(task, { outputKey: key }, operatorOutput, status.usage, db);
    if (!row) {
      const now = await getTask(task.uuid, db);
      if (now?.status !== "succeeded") {
        logger.warn({ task: task.uuid, status: now?.status }, "[tasks] late success ignored; its copy is deleted");
        await storage().delete(key).catch(() => {});
      }
    }
    return row;
  })();
  finishing.set(task.uuid, run);
  return run.finally(() => finishing.delete(task.uuid));
}

/** Applies what the provider says about a task's job. Returns the task as it now stands. */
export async function applyProviderStatus(task: Task, status: ProviderJobStatus, db: Executor = getDb()): Promise<Task> {
  if (isFinished(task)) {
    if (status.state === "succeeded" && task.status === "failed") logger.warn({ task: task.uuid }, "[tasks] late success of a failed task ignored");
    return task;
  }
  let row: Task | null = null;
  if (status.state === "running") row = await markRunning(task.uuid, status.progress, db);
  else if (status.state === "succeeded") {
    row = status.outputUrl || status.outputBody !== undefined
      ? await finishWithOutput(task, status, db)
      : await failTask(task.uuid, "the provider returned no output", db, { outputJson: status.output, errorCode: "invalid_output" });
  } else {
    const reason = status.error || "the provider failed";
    row = await failTask(task.uuid, reason, db, {
      outputJson: { providerOutput: status.output ?? null, error: reason },
      errorCode: statusErrorCode(status),
    });
  }
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
      const status = await providerOf(task).fetchStatus(task.providerJobId);
      current = await applyProviderStatus(task, status, db);
    } catch (error) {
      logger.error({ task: task.uuid, provider: task.provider, error: errorText(error) }, "[tasks] polling the provider failed");
    }
  }
  const timeoutMs = options.timeoutMs ?? env().TASK_TIMEOUT_MS;
  if (!isFinished(current) && Date.now() - current.createdAt.getTime() > timeoutMs) {
    const failed = await failTask(task.uuid, `timed out after ${Math.round(timeoutMs / 1000)} seconds`, db, { errorCode: "timed_out" });
    // Only the finisher that timed it out cancels: the job is stopped once, not billed on.
    if (failed) await cancelJob(failed);
    current = failed ?? (await getTask(task.uuid, db)) ?? current;
  }
  return current;
}

// ---------------------------------------------------------------------------
// Webhooks and the sweeper
// ---------------------------------------------------------------------------

/**
 * A provider's webhook: verified by the provider (400/401 when not authentic, nothing
 * changed), then applied to the task that owns the job. Several types may use the same
 * provider (e.g. replicate): any of them verifies the delivery, and the task's own
 * type's provider reads it. A job we do not know (yet) is acknowledged and ignored;
 * polling picks it up.
 */
export async function handleProviderWebhook(
  providerName: string,
  request: WebhookRequest,
  db: Executor = getDb(),
): Promise<{ handled: boolean; task: Task | null }> {
  const receivers = [
    ...new Set(
      taskTypes()
        .filter((d) => d.providers.has(providerName))
        .map((d) => d.providers.get(providerName))
        .filter((p) => p.parseWebhook),
    ),
  ];
  if (receivers.length === 0) throw new NotFoundError(`provider ${providerName} has no webhooks`);
  // The first receiver that accepts the delivery as authentic reads it; none = its error (400/401).
  let event: ProviderWebhookEvent | undefined;
  let refusal: unknown;
  for (const receiver of receivers) {
    try {
      event = await receiver.parseWebhook!(request);
      break;
    } catch (error) {
      refusal ??= error;
    }
  }
  if (!event) throw refusal;
  const [task] = await db
    .select()
    .from(tasks)
    .where(and(eq(tasks.provider, providerName), eq(tasks.providerJobId, event.jobId)));
  if (!task) return { handled: false, task: null };
  // The task's own type reads the delivery (its output mapping), verifying it again.
  const own = providerOf(task);
  const status = own.parseWebhook ? (await own.parseWebhook(request)).status : event.status;
  return { handled: true, task: await applyProviderStatus(task, status, db) };
}

// ---------------------------------------------------------------------------
// Reads that bring a task up to date
// ---------------------------------------------------------------------------

/** The task if `userUuid` owns it (404 missing, 403 someone else's), refreshed from the provider while unfinished. */
export async function getTaskForUser(
  taskUuid: string,
  userUuid: string,
  options: { refresh?: boolean; db?: Executor } = {},
): Promise<Task> {
  const db = options.db ?? getDb();
  const task = await getOwnedTask(taskUuid, userUuid, db);
  return options.refresh === false ? task : refreshTask(task, { db });
}

/** The user's newest task (refreshed while unfinished), or null. */
export async function getLatestTask(userUuid: string, db: Executor = getDb()): Promise<Task | null> {
  const row = await getNewestTask(userUuid, db);
  return row ? refreshTask(row, { db }) : null;
}

// ---------------------------------------------------------------------------
// Deleting outputs
// ---------------------------------------------------------------------------

/**
 * Deletes every stored output of the user's tasks (for account deletion to call
 * before it removes the user) and forgets their keys. Returns how many objects were deleted.
 */
export async function deleteTaskOutputs(userUuid: string, db: Executor = getDb()): Promise<number> {
  const rows = await db
    .select({ uuid: tasks.uuid, key: tasks.outputKey })
    .from(tasks)
    .where(and(eq(tasks.userUuid, userUuid), isNotNull(tasks.outputKey)));
  for (const row of rows) {
    await storage().delete(row.key!);
    await db.update(tasks).set({ outputKey: null }).where(eq(tasks.uuid, row.uuid));
  }
  return rows.length;
}

/**
 * The tasks of an account being deleted, in the deletion's transaction, which holds the user's
 * row (a task's debit locks it too, so none starts meanwhile). A task still unfinished, started
 * in another tab while the outputs were being deleted, fails and is refunded, so its late
 * success stores nothing (succeedTask finds it failed and deletes the copy). Prompts and
 * provider answers are cleared. Returns the storage keys of outputs stored since
 * deleteTaskOutputs ran, for the caller to delete once the transaction has committed.
 */
export async function forgetTasksOf(userUuid: string, tx: Executor): Promise<string[]> {
  const unfinished = await tx
    .select({ uuid: tasks.uuid })
    .from(tasks)
    .where(and(eq(tasks.userUuid, userUuid), inArray(tasks.status, UNFINISHED)));
  for (const task of unfinished) await failTask(task.uuid, "the account was deleted", tx);
  const stored = await tx
    .select({ key: tasks.outputKey })
    .from(tasks)
    .where(and(eq(tasks.userUuid, userUuid), isNotNull(tasks.outputKey)));
  await tx.update(tasks).set({ userInput: "{}", outputJson: null, outputUrl: null, outputKey: null }).where(eq(tasks.userUuid, userUuid));
  return stored.map((row) => row.key!);
}
