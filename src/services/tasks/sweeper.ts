import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { recordSweep } from "@/lib/sweep-status";
import { expireCredits } from "@/services/credits";
import { runBillingRound } from "@/services/payments/subscriptions";
import { pruneExpiredRateLimits } from "@/services/rate-limit";
import { inArray, sql } from "drizzle-orm";
import { getDb, rowsOf, type Executor } from "@/db";
import { tasks } from "@/db/schema";
import { refreshTask } from "./lifecycle";

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

/** Lapsed grants are written off (one `expire` row each) at most this often. */
const EXPIRE_EVERY_MS = 60_000;

/** One round of background work: finish stuck tasks, and now and then expire lapsed credits and prune expired rate-limit windows. */
export async function runBackgroundRound(options: { idleMs: number; expire: boolean }) {
  const sweep = await sweepTasks({ idleMs: options.idleMs });
  const expired = options.expire ? await expireCredits() : null;
  const prunedRateLimits = options.expire ? await pruneExpiredRateLimits() : null;
  // Yearly plans' monthly grants, low-balance notices (src/services/payments/subscriptions.ts).
  const billing = options.expire ? await runBillingRound() : null;
  recordSweep();
  return { sweep, expired, prunedRateLimits, billing };
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
