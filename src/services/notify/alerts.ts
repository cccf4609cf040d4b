/**
 * Operator alerts (orders needing review, disputes, provider failure spikes).
 * ALERT_WEBHOOK_URL set: POSTed as Slack-compatible JSON `{ text }` (Slack, Mattermost,
 * Discord's /slack endpoint, ...). Unset, or the post fails: written to the server log.
 * Never throws: an alert must not fail the payment or task flow that raised it.
 */
import { getDb, type Executor } from "@/db";
import { env } from "@/lib/env";
import { TooManyRequestsError } from "@/lib/http/errors";
import { logger } from "@/lib/logger";
import { hitRateLimit } from "@/services/rate-limit";

export type AlertKind =
  | "order_needs_review"
  | "dispute_opened"
  | "dispute_closed"
  | "provider_failures"
  | "reconciliation"
  | "second_subscription";

export interface Alert {
  kind: AlertKind;
  /** One line for humans. */
  message: string;
  /** Ids an operator needs (order, Stripe objects, user). */
  details?: Record<string, string | number | null | undefined>;
}

const ALERT_TIMEOUT_MS = 5_000;

/** The Slack-compatible body: a text line plus the details as a code block. */
export function alertPayload(alert: Alert): { text: string } {
  const details = Object.entries(alert.details ?? {})
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${k}: ${v}`)
    .join("\n");
  return { text: `[${alert.kind}] ${alert.message}${details ? `\n\`\`\`\n${details}\n\`\`\`` : ""}` };
}

export async function sendAlert(alert: Alert): Promise<{ delivered: "webhook" | "log" }> {
  const url = env().ALERT_WEBHOOK_URL;
  if (url) {
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(alertPayload(alert)),
        signal: AbortSignal.timeout(ALERT_TIMEOUT_MS),
      });
      if (res.ok) return { delivered: "webhook" };
      logger.error({ status: res.status }, "[alert] webhook answered an error; alert logged instead");
    } catch (error) {
      logger.error({ error: (error as Error).message }, "[alert] webhook unreachable; alert logged instead");
    }
  }
  logger.warn({ alert: alert.kind, details: alert.details ?? {} }, `[alert] ${alert.kind}: ${alert.message}`);
  return { delivered: "log" };
}

/**
 * Sends the alert unless one with the same `key` was sent in the last `windowSeconds`, by
 * any instance (a rate-limit key in the database). Returns whether this call sent it.
 */
export async function sendAlertOnce(key: string, windowSeconds: number, alert: Alert, db: Executor = getDb()): Promise<boolean> {
  try {
    await hitRateLimit(`alert:${key}`, 1, windowSeconds, db);
  } catch (error) {
    if (error instanceof TooManyRequestsError) return false;
    throw error;
  }
  await sendAlert(alert);
  return true;
}
