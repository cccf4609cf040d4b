/**
 * The delivery worker: sends due outbox rows (./outbox.ts), signed per Standard Webhooks
 * (`webhook-id` = the event's id on every attempt, `webhook-timestamp` = the attempt's
 * time, `webhook-signature` = v1 HMAC by the `standardwebhooks` package), and retries
 * failures with exponential backoff for WEBHOOK_RETRY_WINDOW_MS (24 h) after the event.
 *
 * Run by the background round (src/services/tasks/sweeper.ts) on every instance, and by
 * POST /api/cron/tasks. A claim moves the rows' next_attempt_at forward by a lease (the
 * attempt's timeout and a margin) under FOR UPDATE SKIP LOCKED, in one statement, so
 * instances take different rows, no transaction is held open across the HTTP call, and a
 * row whose instance died mid-attempt is due again when its lease ends: every event is
 * delivered at least once (receivers deduplicate by webhook-id).
 */
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { sql } from "drizzle-orm";
import { getDb, rowsOf, type Executor } from "@/db";
import { env, webhookPrivateUrlsAllowed } from "@/lib/env";
import { logger } from "@/lib/logger";
import { siteConfig } from "@/config/site";
import { signStandardWebhook } from "@/services/ai/standard-webhooks";
import { getTask, toTaskDto } from "@/services/tasks/queries";
import { resolveDeliveryTarget } from "./addresses";
import type { WebhookPayload } from "./payload";
import { decryptWebhookSecret } from "./secrets";

/** How long an event is retried after it happened. */
export const WEBHOOK_RETRY_WINDOW_MS = 24 * 60 * 60 * 1000;
/** The longest wait between two attempts. */
export const WEBHOOK_MAX_RETRY_DELAY_MS = 2 * 60 * 60 * 1000;
/** Of an answer, at most this much is read (then the connection is dropped); only its status counts. */
export const WEBHOOK_MAX_RESPONSE_BYTES = 64 * 1024;

/** The wait after the `attempts`-th failed attempt: base, 2 x base, 4 x base, ... at most 2 h. */
export function retryDelayMs(attempts: number, baseMs: number): number {
  return Math.min(WEBHOOK_MAX_RETRY_DELAY_MS, baseMs * 2 ** Math.max(0, attempts - 1));
}

export interface DeliveryOptions {
  db?: Executor;
  /** Attempts this round makes at most (WEBHOOK_DELIVERIES_PER_TICK). */
  limit?: number;
  concurrency?: number;
  /** Only these deliveries (the "send test event" button's), when due. */
  ids?: number[];
  allowPrivate?: boolean;
  timeoutMs?: number;
  retryBaseMs?: number;
}

export interface DeliveryRound {
  attempted: number;
  delivered: number;
  retrying: number;
  /** Given up on: still failing 24 h after the event. */
  failed: number;
}

interface Claimed {
  id: string | number;
  attempts: number;
  event_id: string;
  type: string;
  task_uuid: string | null;
  data: string | null;
  event_created_ms: string | number;
  endpoint_id: string;
  url: string;
  secret_encrypted: string;
}

export async function deliverDueWebhooks(options: DeliveryOptions = {}): Promise<DeliveryRound> {
  const e = env();
  const db = options.db ?? getDb();
  const limit = options.limit ?? e.WEBHOOK_DELIVERIES_PER_TICK;
  const timeoutMs = options.timeoutMs ?? e.WEBHOOK_TIMEOUT_MS;
  const leaseSeconds = timeoutMs / 1000 + 30;
  const only = options.ids ? sql`AND id IN (${sql.join(options.ids.map((id) => sql`${id}`), sql`, `)})` : sql``;
  const claimed = rowsOf<Claimed>(
    await db.execute(sql`
      WITH claimed AS (
        UPDATE webhook_deliveries SET next_attempt_at = now() + make_interval(secs => ${leaseSeconds})
        WHERE id IN (
          SELECT id FROM webhook_deliveries
          WHERE status = 'pending' AND next_attempt_at <= now() ${only}
          ORDER BY next_attempt_at
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED
        )
        RETURNING id, attempts, event_id, endpoint_id
      )
      SELECT claimed.id, claimed.attempts, claimed.event_id, claimed.endpoint_id, ev.type, ev.task_uuid,
             ev.data::text AS data, floor(extract(epoch FROM ev.created_at) * 1000) AS event_created_ms,
             ep.url, ep.secret_encrypted
      FROM claimed
      JOIN webhook_events ev ON ev.id = claimed.event_id
      JOIN webhook_endpoints ep ON ep.id = claimed.endpoint_id`),
  );
  const round: DeliveryRound = { attempted: 0, delivered: 0, retrying: 0, failed: 0 };
  const settings = {
    allowPrivate: options.allowPrivate ?? webhookPrivateUrlsAllowed(e),
    timeoutMs,
    retryBaseMs: options.retryBaseMs ?? e.WEBHOOK_RETRY_BASE_MS,
  };
  let next = 0;
  const lane = async () => {
    while (next < claimed.length) {
      const outcome = await attempt(claimed[next++], db, settings);
      round.attempted++;
      round[outcome]++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? e.WEBHOOK_DELIVERY_CONCURRENCY, claimed.length) }, lane));
  return round;
}

/** The body of a delivery (./payload.ts): `{ type, timestamp, data }`, a task as GET /api/tasks/{uuid} answers it. */
async function payloadOf(row: Claimed, db: Executor): Promise<string> {
  const timestamp = new Date(Number(row.event_created_ms)).toISOString();
  let payload: WebhookPayload;
  if (row.task_uuid) {
    const task = await getTask(row.task_uuid, db);
    payload = { type: row.type as "task.succeeded" | "task.failed", timestamp, data: { task: task ? await toTaskDto(task, task.userUuid) : null } };
  } else {
    // credits.low and webhook.test: their data was stored with the event (typed where enqueued).
    payload = { type: row.type, timestamp, data: row.data ? JSON.parse(row.data) : {} } as WebhookPayload;
  }
  return JSON.stringify(payload);
}

async function attempt(
  row: Claimed,
  db: Executor,
  settings: { allowPrivate: boolean; timeoutMs: number; retryBaseMs: number },
): Promise<"delivered" | "retrying" | "failed"> {
  const started = performance.now();
  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    const body = await payloadOf(row, db);
    const secret = decryptWebhookSecret(row.secret_encrypted, row.endpoint_id);
    const timestamp = Math.floor(Date.now() / 1000);
    statusCode = await postWebhook(row.url, body, {
      "content-type": "application/json",
      "user-agent": `${siteConfig.name.replace(/[^A-Za-z0-9]+/g, "")}-Webhooks/1.0`,
      "webhook-id": row.event_id,
      "webhook-timestamp": String(timestamp),
      "webhook-signature": signStandardWebhook(secret, row.event_id, timestamp, body),
    }, settings);
    if (statusCode < 200 || statusCode >= 300) error = `answered HTTP ${statusCode}`;
  } catch (caught) {
    error = (caught as Error).message.slice(0, 300) || "delivery failed";
  }
  const latencyMs = Math.round(performance.now() - started);
  const attempts = row.attempts + 1;
  const delivered = error === null;
  const delayMs = retryDelayMs(attempts, settings.retryBaseMs);
  const givenUp = !delivered && Date.now() + delayMs > Number(row.event_created_ms) + WEBHOOK_RETRY_WINDOW_MS;
  const status = delivered ? "succeeded" : givenUp ? "failed" : "pending";
  await db.execute(sql`
    UPDATE webhook_deliveries
    SET status = ${status}, attempts = ${attempts}, last_attempt_at = now(), last_status_code = ${statusCode},
        last_latency_ms = ${latencyMs}, last_error = ${error},
        delivered_at = CASE WHEN ${delivered} THEN now() END,
        next_attempt_at = CASE WHEN ${status} = 'pending' THEN now() + make_interval(secs => ${delayMs / 1000}) ELSE now() END
    WHERE id = ${row.id} AND status = 'pending'`);
  if (!delivered) {
    logger.warn({ delivery: Number(row.id), event: row.event_id, endpoint: row.endpoint_id, attempts, error, givenUp }, "[webhooks] delivery failed");
  }
  return delivered ? "delivered" : givenUp ? "failed" : "retrying";
}

/**
 * POSTs `body` to `rawUrl` and resolves with the answer's status. The host is resolved and
 * checked once (./addresses.ts) and the connection goes to that address (TLS still checks
 * the certificate against the host name). No redirects are followed; the whole exchange
 * is bounded by `timeoutMs`, and the answer's body by WEBHOOK_MAX_RESPONSE_BYTES.
 */
export async function postWebhook(
  rawUrl: string,
  body: string,
  headers: Record<string, string>,
  options: { allowPrivate: boolean; timeoutMs: number },
): Promise<number> {
  const url = new URL(rawUrl);
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const target = await Promise.race([
    resolveDeliveryTarget(url, options.allowPrivate),
    new Promise<never>((_, reject) => deadline.addEventListener("abort", () => reject(new Error(`timed out after ${options.timeoutMs} ms`)))),
  ]);
  const lookup: LookupFunction = (_host, lookupOptions, callback) => {
    if (lookupOptions.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const client = url.protocol === "https:" ? https : http;
  return new Promise<number>((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: "POST",
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
        lookup,
        signal: deadline,
        agent: false,
      },
      (response) => {
        let received = 0;
        response.on("data", (chunk: Buffer) => {
          received += chunk.length;
          if (received > WEBHOOK_MAX_RESPONSE_BYTES) {
            response.destroy();
            resolve(response.statusCode ?? 0);
          }
        });
        response.on("end", () => resolve(response.statusCode ?? 0));
        response.on("error", reject);
      },
    );
    request.on("error", (error) => reject(deadline.aborted ? new Error(`timed out after ${options.timeoutMs} ms`) : error));
    request.end(body);
  });
}

/** Events (with their deliveries' log) are kept this long, well past their 24 h of retries. */
export const WEBHOOK_EVENT_RETENTION_DAYS = 30;

/** Deletes events older than WEBHOOK_EVENT_RETENTION_DAYS, a bounded batch at a time. Returns how many. */
export async function pruneWebhookEvents(db: Executor = getDb(), batch = 5000): Promise<number> {
  const rows = rowsOf<{ id: string }>(
    await db.execute(sql`
      DELETE FROM webhook_events WHERE id IN (
        SELECT id FROM webhook_events
        WHERE created_at < now() - make_interval(days => ${WEBHOOK_EVENT_RETENTION_DAYS})
        LIMIT ${batch}
      )
      RETURNING id`),
  );
  return rows.length;
}
