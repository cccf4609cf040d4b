/**
 * When this process last finished a background round (the in-process sweeper or a
 * cron call it served), for /api/health's sweeper lag. Process-local by design: each
 * instance reports its own sweeper.
 */
const state = globalThis as unknown as { __lastSweepAt?: number };

export function recordSweep(at = Date.now()) {
  state.__lastSweepAt = at;
}

export function sweepStatus(intervalMs: number, now = Date.now()) {
  const last = state.__lastSweepAt;
  return {
    inProcess: intervalMs > 0,
    intervalMs,
    lastSweepAt: last ? new Date(last).toISOString() : null,
    /** Milliseconds since the last successful round in this process; null before the first. */
    lagMs: last ? now - last : null,
  };
}
