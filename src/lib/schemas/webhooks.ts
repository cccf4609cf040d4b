/**
 * Outgoing webhooks' request and response shapes, shared by the routes
 * (src/app/api/webhooks/endpoints), the Account → Webhooks page and the OpenAPI document.
 * Client-safe: zod only. Where an endpoint may point (https, no credentials, no private
 * address) depends on the deployment and is checked by src/services/webhooks/addresses.ts.
 */
import { z } from "zod";

/** The events a user can subscribe an endpoint to. */
export const WEBHOOK_EVENT_TYPES = ["task.succeeded", "task.failed", "credits.low"] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Sent by "send test event" to one endpoint, whatever it subscribes to. */
export const WEBHOOK_TEST_EVENT = "webhook.test";

/** Endpoints one user may register. */
export const MAX_WEBHOOK_ENDPOINTS = 10;

export const webhookEndpointInputSchema = z.object({
  url: z
    .string({ error: "must be a URL" })
    .trim()
    .max(2048, { error: "must be at most 2048 characters" })
    .pipe(z.url({ protocol: /^https?$/, error: "must be an http(s) URL" })),
  events: z
    .array(z.enum(WEBHOOK_EVENT_TYPES, { error: `must be one of ${WEBHOOK_EVENT_TYPES.join(", ")}` }), {
      error: "must be a list of event types",
    })
    .min(1, { error: "must name at least one event type" })
    .max(WEBHOOK_EVENT_TYPES.length)
    .transform((events) => [...new Set(events)]),
});
export type WebhookEndpointInput = z.infer<typeof webhookEndpointInputSchema>;

/** An endpoint as the API shows it (never its secret, except once at creation). */
export const webhookEndpointSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
  createdAt: z.string(),
}).meta({ id: "WebhookEndpoint", description: "A registered endpoint (never its secret)." });
export type WebhookEndpointDto = z.infer<typeof webhookEndpointSchema>;

/** POST /api/webhooks/endpoints → 201: the endpoint and its whsec_ signing secret, this once. */
export const createdWebhookEndpointSchema = z.object({
  endpoint: webhookEndpointSchema,
  secret: z.string().startsWith("whsec_").meta({ description: "The signing secret (Standard Webhooks `whsec_…`): shown this once." }),
});
export type CreatedWebhookEndpoint = z.infer<typeof createdWebhookEndpointSchema>;

/** One event's delivery to one endpoint, as the delivery log shows it. */
export const webhookDeliverySchema = z.object({
  id: z.number().int(),
  eventId: z.string(),
  type: z.string(),
  status: z.enum(["pending", "succeeded", "failed"]),
  attempts: z.number().int(),
  lastAttemptAt: z.string().nullable(),
  lastStatusCode: z.number().int().nullable(),
  lastLatencyMs: z.number().int().nullable(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  createdAt: z.string(),
}).meta({ id: "WebhookDelivery", description: "One event's delivery to one endpoint." });
export type WebhookDeliveryDto = z.infer<typeof webhookDeliverySchema>;
