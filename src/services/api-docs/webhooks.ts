/**
 * Outgoing webhooks in the API reference: the endpoint routes (session only) and, as
 * OpenAPI 3.1 `webhooks`, the signed POST each event sends to an endpoint, with its body
 * schema from src/services/webhooks/payload.ts (what the delivery worker sends).
 */
import { z } from "zod";
import type { ZodOpenApiPathsObject } from "zod-openapi";
import { createdWebhookEndpointSchema, webhookDeliverySchema, webhookEndpointInputSchema, webhookEndpointSchema } from "@/lib/schemas/webhooks";
import { webhookPayloadSchemas } from "@/services/webhooks/payload";
import { errors, security, json, type ApiDocsModule } from "./common";

const endpointParam = z.object({ id: z.string().meta({ description: "The endpoint's id (`ep_…`)." }) });
const SESSION_ONLY = "A request carrying an API key (webhook endpoints take the session only), or a cross-origin write carrying the session cookie.";
const VERIFY = "Verify it on the raw body with any Standard Webhooks library and the endpoint's `whsec_` secret; deduplicate on `webhook-id` (docs/webhooks.md).";

// The Standard Webhooks headers of every delivery.
const signatureHeaders = z.object({
  "webhook-id": z.string().meta({ description: "The event's id (`msg_…`): the same on every retry, to deduplicate on." }),
  "webhook-timestamp": z.string().meta({ description: "Unix seconds of this attempt." }),
  "webhook-signature": z.string().meta({ description: '`v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<raw body>">`, keyed by the secret.' }),
});

export const webhooksDocs: ApiDocsModule = {
  tags: [
    {
      name: "Webhooks",
      description:
        "Endpoints your server registers to be told when a task finishes or the balance runs low, without polling. Deliveries are signed per Standard Webhooks and retried for 24 hours; their bodies are under Webhooks in this document.",
    },
  ],
  paths: (): ZodOpenApiPathsObject => ({
    "/api/webhooks/endpoints": {
      post: {
        operationId: "create_webhook_endpoint",
        tags: ["Webhooks"],
        summary: "Register an endpoint",
        description:
          "The URL and the events it receives. Answers the endpoint's signing secret (`whsec_…`) this once. In production the URL must be https, without credentials, and not resolve to a private, loopback or link-local address (also checked at each delivery). At most 10 endpoints.",
        security: security.session,
        requestBody: { required: true, content: { "application/json": { schema: webhookEndpointInputSchema } } },
        responses: {
          201: json("Registered: the endpoint and its secret, this once.", createdWebhookEndpointSchema),
          ...errors([400, 401, 403, 409, 413, 415, 503], { 403: SESSION_ONLY, 409: "Already 10 endpoints." }),
        },
      },
      get: {
        operationId: "list_webhook_endpoints",
        tags: ["Webhooks"],
        summary: "List your endpoints",
        description: "Oldest first; never their secrets.",
        security: security.session,
        responses: { 200: json("Your endpoints.", z.object({ endpoints: z.array(webhookEndpointSchema) })), ...errors([401, 403, 503], { 403: SESSION_ONLY }) },
      },
    },
    "/api/webhooks/endpoints/{id}": {
      delete: {
        operationId: "delete_webhook_endpoint",
        tags: ["Webhooks"],
        summary: "Delete an endpoint",
        description: "Its pending deliveries stop and its delivery log goes with it.",
        security: security.session,
        requestParams: { path: endpointParam },
        responses: {
          200: json("Deleted.", z.object({ deleted: z.literal(true) })),
          ...errors([401, 403, 404, 503], { 403: SESSION_ONLY, 404: "No such endpoint of yours." }),
        },
      },
    },
    "/api/webhooks/endpoints/{id}/deliveries": {
      get: {
        operationId: "list_webhook_deliveries",
        tags: ["Webhooks"],
        summary: "An endpoint's delivery log",
        description: "The newest 50 deliveries, with their attempts and the last answer.",
        security: security.session,
        requestParams: { path: endpointParam },
        responses: {
          200: json("The deliveries, newest first.", z.object({ deliveries: z.array(webhookDeliverySchema) })),
          ...errors([401, 403, 404, 503], { 403: SESSION_ONLY, 404: "No such endpoint of yours." }),
        },
      },
    },
    "/api/webhooks/endpoints/{id}/test": {
      post: {
        operationId: "send_test_webhook",
        tags: ["Webhooks"],
        summary: "Send a test event",
        description: "Queues a `webhook.test` event for this endpoint, sent right after the answer and retried like any other; its outcome shows in the delivery log.",
        security: security.session,
        requestParams: { path: endpointParam },
        responses: {
          202: json("Queued: the delivery's id in the log.", z.object({ deliveryId: z.int() })),
          ...errors([401, 403, 404, 503], { 403: SESSION_ONLY, 404: "No such endpoint of yours." }),
        },
      },
    },
  }),
  webhooks: (): ZodOpenApiPathsObject =>
    Object.fromEntries(
      Object.entries(webhookPayloadSchemas).map(([type, schema]) => [
        type,
        {
          post: {
            operationId: `webhook_${type.replace(".", "_")}`,
            tags: ["Webhooks"],
            summary: `\`${type}\``,
            description: `${schema.description ?? ""} POSTed to each endpoint subscribed to it. ${VERIFY}`,
            security: security.public,
            requestParams: { header: signatureHeaders },
            requestBody: { required: true, content: { "application/json": { schema } } },
            responses: {
              "2XX": { description: "Received: the delivery is done." },
              default: { description: "Anything else, or no answer within the timeout: retried with exponential backoff for 24 hours from the event, with the same `webhook-id`." },
            },
          },
        },
      ]),
    ),
};
