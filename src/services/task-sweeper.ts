import { env } from "@/lib/env";
import { sweepTasks } from "@/services/tasks";

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
  state.__taskSweeper = setInterval(() => {
    if (running) return;
    running = true;
    sweepTasks({ idleMs: Math.min(intervalMs, 1000) })
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
