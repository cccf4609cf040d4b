import { env } from "@/lib/env";
import { expireCredits } from "@/services/credits";
import { runBillingRound } from "@/services/payments/subscriptions";
import { sweepTasks } from "@/services/tasks";

/** Lapsed grants are written off (one `expire` row each) at most this often. */
const EXPIRE_EVERY_MS = 60_000;

/** One round of background work: finish stuck tasks, and now and then expire lapsed credits. */
export async function runBackgroundRound(options: { idleMs: number; expire: boolean }) {
  const sweep = await sweepTasks({ idleMs: options.idleMs });
  const expired = options.expire ? await expireCredits() : null;
  // Yearly plans' monthly grants, low-balance notices (src/services/payments/subscriptions.ts).
  const billing = options.expire ? await runBillingRound() : null;
  return { sweep, expired, billing };
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
      .catch((error) => console.error("[tasks] sweep failed", (error as Error).message))
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
