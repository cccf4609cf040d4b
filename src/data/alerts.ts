/**
 * Operator alert thresholds (src/services/notify). Provider failure spikes: an alert when,
 * over the last `windowMinutes`, a task type's provider has at least `minFailures` failed
 * tasks whose error is the provider's (not the user's: `content_rejected` does not count)
 * and they are at least `minShare` of the tasks it finished. At most one alert per type and
 * provider per `cooldownMinutes`, across all instances (a rate-limit key).
 */
export const PROVIDER_FAILURE_ALERT = {
  windowMinutes: 10,
  minFailures: 5,
  minShare: 0.5,
  cooldownMinutes: 60,
  /** Stable error codes (src/lib/provider-errors.ts) that count as the provider's failure. */
  codes: ["provider_unavailable", "timed_out", "invalid_output", "internal"],
} as const;
