/**
 * The outbox: events are rows written in the transaction of what they report, so an event
 * exists if and only if its cause committed (a task's move to succeeded/failed, a balance
 * crossing below LOW_BALANCE_THRESHOLD), and survives any restart until it is delivered.
 * Each event gets one delivery row per endpoint of its user that subscribes to its type;
 * a user without such an endpoint gets no rows at all (one indexed lookup, nothing written).
 * ./delivery.ts sends them.
 */
import crypto from "node:crypto";
import { sql } from "drizzle-orm";
import { rowsOf, type Executor } from "@/db";
import { WEBHOOK_TEST_EVENT, type WebhookEventType } from "@/lib/schemas/webhooks";
import type { WebhookTestData } from "./payload";

/** A new event id: the `webhook-id` of every attempt to deliver it. */
export function newEventId(): string {
  return `msg_${crypto.randomBytes(16).toString("hex")}`;
}

/**
 * Records an event for every endpoint of `userUuid` subscribed to `type`, in one statement,
 * on the caller's transaction. Returns the event id, or null when no endpoint wants it.
 */
export async function enqueueWebhookEvent(
  db: Executor,
  event: { userUuid: string; type: WebhookEventType; taskUuid?: string; data?: Record<string, unknown> },
): Promise<string | null> {
  const id = newEventId();
  const rows = rowsOf<{ event_id: string }>(
    await db.execute(sql`
      WITH endpoints AS (
        SELECT id FROM webhook_endpoints WHERE user_uuid = ${event.userUuid} AND ${event.type} = ANY(events)
      ), inserted AS (
        INSERT INTO webhook_events (id, user_uuid, type, task_uuid, data)
        SELECT ${id}, ${event.userUuid}, ${event.type}, ${event.taskUuid ?? null}, ${event.data ? JSON.stringify(event.data) : null}::jsonb
        WHERE EXISTS (SELECT 1 FROM endpoints)
        RETURNING id
      )
      INSERT INTO webhook_deliveries (event_id, endpoint_id)
      SELECT inserted.id, endpoints.id FROM inserted, endpoints
      RETURNING event_id`),
  );
  return rows[0]?.event_id ?? null;
}

/** A test event for one endpoint ("send test event"), whatever it subscribes to. Returns its delivery id. */
export async function enqueueTestEvent(db: Executor, endpoint: { id: string; userUuid: string }): Promise<number> {
  const id = newEventId();
  const data: WebhookTestData = { message: "This is a test event. Your endpoint received and verified it." };
  const [row] = rowsOf<{ id: string | number }>(
    await db.execute(sql`
      WITH inserted AS (
        INSERT INTO webhook_events (id, user_uuid, type, data)
        VALUES (${id}, ${endpoint.userUuid}, ${WEBHOOK_TEST_EVENT}, ${JSON.stringify(data)}::jsonb)
        RETURNING id
      )
      INSERT INTO webhook_deliveries (event_id, endpoint_id)
      SELECT inserted.id, ${endpoint.id} FROM inserted
      RETURNING id`),
  );
  return Number(row.id);
}
