/** A user's webhook endpoints: register (secret shown once), list, delete, delivery log, test event. */
import crypto from "node:crypto";
import { and, count, desc, eq, sql } from "drizzle-orm";
import { getDb, type Executor } from "@/db";
import { webhookDeliveries, webhookEndpoints, webhookEvents, type WebhookEndpoint } from "@/db/schema";
import { webhookPrivateUrlsAllowed } from "@/lib/env";
import { ConflictError, NotFoundError } from "@/lib/http/errors";
import {
  MAX_WEBHOOK_ENDPOINTS,
  type CreatedWebhookEndpoint,
  type WebhookDeliveryDto,
  type WebhookEndpointDto,
  type WebhookEndpointInput,
  type WebhookEventType,
} from "@/lib/schemas/webhooks";
import { assertAcceptableEndpointUrl } from "./addresses";
import { enqueueTestEvent } from "./outbox";
import { encryptWebhookSecret, newWebhookSecret } from "./secrets";

function toDto(row: WebhookEndpoint): WebhookEndpointDto {
  return { id: row.id, url: row.url, events: row.events as WebhookEventType[], createdAt: row.createdAt.toISOString() };
}

/**
 * Registers an endpoint: 400 naming `url` when it may not be used (credentials in it; unless
 * WEBHOOK_ALLOW_PRIVATE_URLS, not https or a private address), 409 beyond
 * MAX_WEBHOOK_ENDPOINTS. Returns the endpoint and its signing secret, the only time it is shown.
 */
export async function createWebhookEndpoint(
  userUuid: string,
  input: WebhookEndpointInput,
  options: { db?: Executor; allowPrivate?: boolean } = {},
): Promise<CreatedWebhookEndpoint> {
  const db = options.db ?? getDb();
  const url = assertAcceptableEndpointUrl(input.url, options.allowPrivate ?? webhookPrivateUrlsAllowed());
  const id = `ep_${crypto.randomBytes(12).toString("hex")}`;
  const secret = newWebhookSecret();
  return db.transaction(async (tx) => {
    // The user's row lock orders concurrent registrations, so the cap holds.
    await tx.execute(sql`SELECT 1 FROM users WHERE uuid = ${userUuid} FOR UPDATE`);
    const [{ n }] = await tx.select({ n: count() }).from(webhookEndpoints).where(eq(webhookEndpoints.userUuid, userUuid));
    if (n >= MAX_WEBHOOK_ENDPOINTS) throw new ConflictError(`at most ${MAX_WEBHOOK_ENDPOINTS} webhook endpoints per account`);
    const [row] = await tx
      .insert(webhookEndpoints)
      .values({ id, userUuid, url: url.toString(), events: input.events, secretEncrypted: encryptWebhookSecret(secret, id) })
      .returning();
    return { endpoint: toDto(row), secret };
  });
}

export async function listWebhookEndpoints(userUuid: string, db: Executor = getDb()): Promise<WebhookEndpointDto[]> {
  const rows = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.userUuid, userUuid)).orderBy(webhookEndpoints.createdAt);
  return rows.map(toDto);
}

/** The user's endpoint; 404 when it does not exist or is someone else's (the two are not told apart). */
async function ownedEndpoint(userUuid: string, id: string, db: Executor): Promise<WebhookEndpoint> {
  const [row] = await db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.userUuid, userUuid)));
  if (!row) throw new NotFoundError("webhook endpoint not found");
  return row;
}

/** Deletes the endpoint and its delivery log; pending deliveries to it stop. */
export async function deleteWebhookEndpoint(userUuid: string, id: string, db: Executor = getDb()): Promise<void> {
  const deleted = await db
    .delete(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.userUuid, userUuid)))
    .returning({ id: webhookEndpoints.id });
  if (deleted.length === 0) throw new NotFoundError("webhook endpoint not found");
}

/** Every endpoint of an account being deleted (in the deletion's transaction). */
export async function deleteWebhookEndpointsOf(userUuid: string, tx: Executor): Promise<void> {
  await tx.delete(webhookEndpoints).where(eq(webhookEndpoints.userUuid, userUuid));
  await tx.delete(webhookEvents).where(eq(webhookEvents.userUuid, userUuid));
}

/** The endpoint's delivery log, newest first. */
export async function listWebhookDeliveries(
  userUuid: string,
  endpointId: string,
  options: { limit?: number; db?: Executor } = {},
): Promise<WebhookDeliveryDto[]> {
  const db = options.db ?? getDb();
  await ownedEndpoint(userUuid, endpointId, db);
  const rows = await db
    .select({ delivery: webhookDeliveries, type: webhookEvents.type })
    .from(webhookDeliveries)
    .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
    .where(eq(webhookDeliveries.endpointId, endpointId))
    .orderBy(desc(webhookDeliveries.id))
    .limit(options.limit ?? 50);
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return rows.map(({ delivery: d, type }) => ({
    id: d.id,
    eventId: d.eventId,
    type,
    status: d.status,
    attempts: d.attempts,
    lastAttemptAt: iso(d.lastAttemptAt),
    lastStatusCode: d.lastStatusCode,
    lastLatencyMs: d.lastLatencyMs,
    lastError: d.lastError,
    nextAttemptAt: d.status === "pending" ? iso(d.nextAttemptAt) : null,
    deliveredAt: iso(d.deliveredAt),
    createdAt: d.createdAt.toISOString(),
  }));
}

/** Queues a `webhook.test` event for the endpoint; returns its delivery id. */
export async function sendTestWebhook(userUuid: string, endpointId: string, db: Executor = getDb()): Promise<number> {
  const endpoint = await ownedEndpoint(userUuid, endpointId, db);
  return enqueueTestEvent(db, endpoint);
}
