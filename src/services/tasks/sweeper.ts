import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { recordSweep } from "@/lib/sweep-status";
import { dropInterruptedReplies } from "@/services/chat/conversations";
import { expireHolds } from "@/services/credits/holds";
import { expireCredits } from "@/services/credits/ledger";
import { runBillingRound } from "@/services/payments/subscriptions";
import { alertProviderFailureSpikes } from "@/services/notify/provider-failures";
import { pruneExpiredRateLimits } from "@/services/rate-limit";
import { sweepExpiredUploads } from "@/services/uploads";
import { deliverDueWebhooks, pruneWebhookEvents } from "@/services/webhooks/delivery";
import { inArray, sql } from "drizzle-orm";
import { getDb, rowsOf, type Executor } from "@/db";
import { tasks } from "@/db/schema";
import { cancelJob, failTask, refreshTask } from "./lifecycle";
import { getTask } from "./queries";
import { taskTypes } from "./registry";

/**
 * Finishing tasks nobody is watching, for every type: the sweep (claims stuck tasks,
 * polls their providers, times them out with a refund) and the in-process loop that
 * runs it; serverless hosts run the same round from POST /api/cron/tasks.
 */

export interface SweepResult {
  claimed: number;
  succeeded: number;
  failed: number;
  running: number;
  /** Of `failed`: tasks failed without a provider call (timed out, or never submitted). */
  expired: number;
  /** Claim batches this sweep ran. */
  batches: number;
}

export interface SweepOptions {
  /** Tasks per claim batch (TASK_SWEEP_BATCH). */
  limit?: number;
  /** Most tasks one sweep handles (TASK_SWEEP_MAX_PER_TICK). */
  maxTasks?: number;
  /** No new batch is claimed after this many ms (default 80% of the interval, at least 1 s; 8 s with the in-process sweeper off). */
  budgetMs?: number;
  /** Provider polls / refunds at once (TASK_SWEEP_CONCURRENCY). */
  concurrency?: number;
  /** Only tasks not touched for this long are polled. */
  idleMs?: number;
  timeoutMs?: number;
  /** A queued task without a provider job this old was never submitted (TASK_QUEUED_GRACE_MS). */
  queuedGraceMs?: number;
  db?: Executor;
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/**
 * One sweep, in proportion to the backlog but bounded: it claims batches of `limit`
 * (FOR UPDATE SKIP LOCKED; the claim bumps updated_at so other instances take other
 * tasks) while work is due, up to `maxTasks` tasks and `budgetMs`.
 * 1. Expiry, no provider call: tasks past `timeoutMs`, and tasks still `queued` with no
 *    provider job after `queuedGraceMs` (the server died between commit and submit),
 *    fail with their refund, `concurrency` at a time; at most half the tick's tasks and time.
 * 2. Polling: unfinished tasks with a provider job, idle for `idleMs`, are brought up
 *    to date from their providers, `concurrency` polls at a time.
 * 3. Expiry again with what the tick has left.
 */
export async function sweepTasks(options: SweepOptions = {}): Promise<SweepResult> {
  const e = env();
  const db = options.db ?? getDb();
  const limit = options.limit ?? e.TASK_SWEEP_BATCH;
  const maxTasks = options.maxTasks ?? e.TASK_SWEEP_MAX_PER_TICK;
  // In-process: 80% of the interval (at least 1 s). Cron only (interval 0): 8 s, inside a serverless function's time limit.
  const budgetMs = options.budgetMs ?? (e.TASK_SWEEP_INTERVAL_MS > 0 ? Math.max(1000, e.TASK_SWEEP_INTERVAL_MS * 0.8) : 8000);
  const deadline = Date.now() + budgetMs;
  const concurrency = options.concurrency ?? e.TASK_SWEEP_CONCURRENCY;
  const idleSeconds = (options.idleMs ?? 1000) / 1000;
  const timeoutMs = options.timeoutMs ?? e.TASK_TIMEOUT_MS;
  const timeoutSeconds = timeoutMs / 1000;
  const graceSeconds = (options.queuedGraceMs ?? e.TASK_QUEUED_GRACE_MS) / 1000;
  const result: SweepResult = { claimed: 0, succeeded: 0, failed: 0, running: 0, expired: 0, batches: 0 };
  const halfTime = Date.now() + budgetMs / 2;
  /** How many to claim next: a batch, within the task cap and before the deadline. */
  const room = (cap: number, until: number) => (Date.now() < until ? Math.min(limit, cap - result.claimed) : 0);
  const count = (status: string) => {
    if (status === "succeeded") result.succeeded++;
    else if (status === "failed") result.failed++;
    else result.running++;
  };

  /** Expiry: no provider call needed. */
  async function expire(cap: number, until: number) {
    for (let n = room(cap, until); n > 0; n = room(cap, until)) {
      const batch = rowsOf<{ uuid: string; timed_out: boolean }>(
        await db.execute(sql`
          UPDATE tasks SET updated_at = now()
          WHERE uuid IN (
            SELECT uuid FROM tasks
            WHERE status IN ('queued', 'running') AND updated_at <= now() - make_interval(secs => ${idleSeconds})
              AND (created_at <= now() - make_interval(secs => ${timeoutSeconds})
                   OR (status = 'queued' AND provider_job_id IS NULL AND created_at <= now() - make_interval(secs => ${graceSeconds})))
            ORDER BY created_at
            LIMIT ${n}
            FOR UPDATE SKIP LOCKED
          )
          RETURNING uuid, created_at <= now() - make_interval(secs => ${timeoutSeconds}) AS timed_out`),
      );
      result.batches++;
      result.claimed += batch.length;
      await eachLimited(batch, concurrency, async ({ uuid, timed_out }) => {
        const reason = timed_out
          ? `timed out after ${Math.round(timeoutSeconds)} seconds`
          : `never started: no provider job ${Math.round(graceSeconds)} seconds after creation`;
        const failed = await failTask(uuid, reason, db, { errorCode: timed_out ? "timed_out" : "internal" });
        // Only the finisher that failed it cancels the provider job: stopped once, not billed on.
        if (failed?.providerJobId) await cancelJob(failed);
        if (failed) result.expired++;
        count(failed ? "failed" : ((await getTask(uuid, db))?.status ?? "failed"));
      });
      if (batch.length < n) return;
    }
  }

  // Only types this process knows are polled: one added to the registry while `next dev`
  // runs reaches the routes at once but not this loop (see warnUnknownTypes).
  const known = sql.join(
    taskTypes().map((d) => sql`${d.type}`),
    sql`, `,
  );

  /** Polling: tasks with a provider job, idle for idleMs. */
  async function poll(cap: number, until: number) {
    for (let n = room(cap, until); n > 0; n = room(cap, until)) {
      const claimed = rowsOf<{ uuid: string }>(
        await db.execute(sql`
          UPDATE tasks SET updated_at = now()
          WHERE uuid IN (
            SELECT uuid FROM tasks
            WHERE status IN ('queued', 'running') AND provider_job_id IS NOT NULL
              AND updated_at <= now() - make_interval(secs => ${idleSeconds})
              AND type IN (${known})
            ORDER BY updated_at
            LIMIT ${n}
            FOR UPDATE SKIP LOCKED
          )
          RETURNING uuid`),
      );
      result.batches++;
      result.claimed += claimed.length;
      if (claimed.length === 0) return;
      const rows = await db.select().from(tasks).where(inArray(tasks.uuid, claimed.map((c) => c.uuid)));
      await eachLimited(rows, concurrency, async (row) => {
        count((await refreshTask(row, { db, timeoutMs })).status);
      });
      if (claimed.length < n) return;
    }
  }

  // A backlog of expiries never starves polling: expiry first with half the tick,
  // polling next, then expiry again with whatever the tick has left.
  await expire(Math.ceil(maxTasks / 2), halfTime);
  await poll(maxTasks, deadline);
  await expire(maxTasks, deadline);
  return result;
}

const warnedTypes = new Set<string>();

/**
 * Unfinished tasks of a type this process does not know: added to the registry after the
 * server started. `next dev` serves the new type's routes and pages at once, but the
 * sweeper keeps the registry it started with, so it says so, once per type, instead of
 * failing every tick (restart the dev server; docs/tasks.md "Add a task type").
 */
async function warnUnknownTypes(db: Executor = getDb()): Promise<void> {
  const known = taskTypes().map((d) => d.type);
  const rows = rowsOf<{ type: string }>(
    await db.execute(sql`
      SELECT DISTINCT type FROM tasks
      WHERE status IN ('queued', 'running') AND type NOT IN (${sql.join(known.map((t) => sql`${t}`), sql`, `)})`),
  );
  for (const { type } of rows) {
    if (warnedTypes.has(type)) continue;
    warnedTypes.add(type);
    logger.warn({ type }, "[tasks] unfinished tasks of a type this server process does not know (registered after it started): restart the server so its sweeper handles them");
  }
}

/** Lapsed grants are written off (one `expire` row each) at most this often. */
const EXPIRE_EVERY_MS = 60_000;

/**
 * One round of background work: finish stuck tasks, release credit holds past their expiry
 * (every round: a hold's credits are out of the user's reach until then), deliver due
 * outgoing webhooks (every round), and now and then
 * expire lapsed credits and prune expired rate-limit windows.
 */
export async function runBackgroundRound(options: { idleMs: number; expire: boolean }) {
  const sweep = await sweepTasks({ idleMs: options.idleMs });
  // After the sweep: a metered task that timed out has released its own hold.
  const { ids: expiredHolds, ...holds } = await expireHolds();
  // Chat replies whose server died mid-stream: their holds just expired (src/services/chat).
  await dropInterruptedReplies(expiredHolds).catch((error) => logger.error({ error: (error as Error).message }, "[chat] dropping interrupted replies failed"));
  // Outgoing webhooks due now: the tasks this sweep finished, retries (src/services/webhooks).
  const webhooks = await deliverDueWebhooks().catch((error) => {
    logger.error({ error: (error as Error).message }, "[webhooks] delivery round failed");
    return null;
  });
  const expired = options.expire ? await expireCredits() : null;
  const prunedRateLimits = options.expire ? await pruneExpiredRateLimits() : null;
  // Webhook events and their delivery logs past their retention (src/services/webhooks).
  const prunedWebhookEvents = options.expire ? await pruneWebhookEvents() : null;
  // Yearly plans' monthly grants, low-balance notices (src/services/payments/subscriptions.ts).
  const billing = options.expire ? await runBillingRound() : null;
  // Operator alert when a provider's failures spike (src/services/notify/provider-failures.ts).
  const providerAlerts = options.expire ? await alertProviderFailureSpikes() : null;
  // Uploads no task used, past UPLOAD_TTL_SECONDS, with their stored bytes (src/services/uploads).
  const expiredUploads = options.expire ? await sweepExpiredUploads() : null;
  if (options.expire) await warnUnknownTypes();
  recordSweep();
  return { sweep, holds, webhooks, expired, prunedRateLimits, prunedWebhookEvents, billing, providerAlerts, expiredUploads };
}

const state = globalThis as unknown as { __taskSweeper?: NodeJS.Timeout };

/**
 * The in-process sweeper for `next start` / `next dev`: one sweep every
 * TASK_SWEEP_INTERVAL_MS (0 disables it; serverless hosts call POST /api/cron/tasks).
 * Started once per process (globalThis flag); sweeps never overlap. Several
 * instances may run it at once: sweeps claim tasks with FOR UPDATE SKIP LOCKED.
 */
export function startTaskSweeper(): boolean {
  const intervalMs = env().TASK_SWEEP_INTERVAL_MS;
  if (intervalMs <= 0 || state.__taskSweeper) return false;
  if (process.env.NEXT_PHASE === "phase-production-build") return false;
  let running = false;
  let lastExpiry = 0;
  state.__taskSweeper = setInterval(() => {
    if (running) return;
    running = true;
    const expire = Date.now() - lastExpiry >= EXPIRE_EVERY_MS;
    if (expire) lastExpiry = Date.now();
    runBackgroundRound({ idleMs: Math.min(intervalMs, 1000), expire })
      .catch((error) => logger.error({ error: (error as Error).message }, "task sweep failed"))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  state.__taskSweeper.unref();
  return true;
}

export function stopTaskSweeper() {
  if (state.__taskSweeper) clearInterval(state.__taskSweeper);
  state.__taskSweeper = undefined;
}
