/**
 * Operator alerts for provider failure spikes (thresholds: PROVIDER_FAILURE_ALERT in
 * src/data/alerts.ts). Run once a minute by the background round
 * (src/services/tasks/sweeper.ts: the in-process sweeper and POST /api/cron/tasks), never on
 * the task-creation path: one grouped count over the tasks finished in the window (index
 * `tasks_completed_idx`). One alert per spike: the alert takes a rate-limit key per task type
 * and provider for the cooldown first, so of many instances and rounds only one sends it.
 */
import { sql } from "drizzle-orm";
import { getDb, rowsOf, type Executor } from "@/db";
import { PROVIDER_FAILURE_ALERT } from "@/data/alerts";
import { sendAlertOnce } from "./alerts";

export interface ProviderFailureSpike {
  type: string;
  provider: string;
  failures: number;
  finished: number;
}

/** Task types and providers whose recent provider failures cross the thresholds. */
export async function findProviderFailureSpikes(
  thresholds: typeof PROVIDER_FAILURE_ALERT = PROVIDER_FAILURE_ALERT,
  db: Executor = getDb(),
): Promise<ProviderFailureSpike[]> {
  const codes = sql.join(thresholds.codes.map((c) => sql`${c}`), sql`, `);
  const result = await db.execute(sql`
    SELECT type, provider,
           (count(*) FILTER (WHERE status = 'failed' AND error_code IN (${codes})))::int AS failures,
           count(*)::int AS finished
    FROM tasks
    WHERE completed_at IS NOT NULL AND completed_at > now() - make_interval(mins => ${thresholds.windowMinutes})
    GROUP BY type, provider`);
  return rowsOf<ProviderFailureSpike>(result)
    .map((r) => ({ ...r, failures: Number(r.failures), finished: Number(r.finished) }))
    .filter((r) => r.failures >= thresholds.minFailures && r.failures >= thresholds.minShare * r.finished);
}

/** Sends one alert per spike (per type and provider and cooldown, across instances). Never throws. */
export async function alertProviderFailureSpikes(
  thresholds: typeof PROVIDER_FAILURE_ALERT = PROVIDER_FAILURE_ALERT,
  db: Executor = getDb(),
): Promise<{ alerted: ProviderFailureSpike[] }> {
  const alerted: ProviderFailureSpike[] = [];
  for (const spike of await findProviderFailureSpikes(thresholds, db)) {
    const sent = await sendAlertOnce(
      `provider_failures:${spike.type}:${spike.provider}`,
      thresholds.cooldownMinutes * 60,
      {
        kind: "provider_failures",
        message: `${spike.failures} of ${spike.finished} ${spike.type} tasks on provider "${spike.provider}" failed with provider errors in the last ${thresholds.windowMinutes} minutes (credits refunded). Check the provider's status, key and quota.`,
        details: { type: spike.type, provider: spike.provider, failures: spike.failures, finished: spike.finished, window_minutes: thresholds.windowMinutes },
      },
      db,
    );
    if (sent) alerted.push(spike);
  }
  return { alerted };
}
