/**
 * The body of a delivery, per event type: `{ type, timestamp, data }`. The delivery worker
 * (./delivery.ts) builds bodies of these types and the OpenAPI document (`webhooks`, from
 * src/services/api-docs/webhooks.ts) publishes these schemas, so the two cannot drift.
 */
import { z } from "zod";
import { WEBHOOK_TEST_EVENT, type WebhookEventType } from "@/lib/schemas/webhooks";
import { taskDtoSchema } from "@/services/tasks/queries";

/** task.succeeded / task.failed: the task as GET /api/tasks/{id} answers it (null if it was deleted since). */
export const webhookTaskDataSchema = z.object({ task: taskDtoSchema.nullable() });
/** credits.low: the spendable balance that went below the threshold. */
export const creditsLowDataSchema = z.object({
  balance: z.int().meta({ description: "The spendable balance after the movement." }),
  threshold: z.int().meta({ description: "LOW_BALANCE_THRESHOLD: the balance went below it." }),
});
export type CreditsLowData = z.infer<typeof creditsLowDataSchema>;
/** webhook.test: "send test event". */
export const webhookTestDataSchema = z.object({ message: z.string() });
export type WebhookTestData = z.infer<typeof webhookTestDataSchema>;

const message = <T extends string, D extends z.ZodType>(type: T, data: D, id: string, description: string) =>
  z
    .object({
      type: z.literal(type),
      timestamp: z.iso.datetime().meta({ description: "When the event happened (ISO 8601, UTC); the same on every retry." }),
      data,
    })
    .meta({ id, description });

/** One body schema per event type a delivery can carry. */
export const webhookPayloadSchemas = {
  "task.succeeded": message("task.succeeded", webhookTaskDataSchema, "TaskSucceededEvent", "A task moved to `succeeded`: `data.task` has its `outputUrl`."),
  "task.failed": message("task.failed", webhookTaskDataSchema, "TaskFailedEvent", "A task moved to `failed` (and was refunded): `data.task` has its `errorCode` and `errorMessage`."),
  "credits.low": message("credits.low", creditsLowDataSchema, "CreditsLowEvent", "The spendable balance went below the threshold (once per crossing)."),
  [WEBHOOK_TEST_EVENT]: message(WEBHOOK_TEST_EVENT, webhookTestDataSchema, "WebhookTestEvent", "Sent by `POST /api/webhooks/endpoints/{id}/test`, to that endpoint only."),
} satisfies Record<WebhookEventType | typeof WEBHOOK_TEST_EVENT, z.ZodType>;

export type WebhookPayload = z.infer<(typeof webhookPayloadSchemas)[keyof typeof webhookPayloadSchemas]>;
