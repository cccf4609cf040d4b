/** Outgoing webhooks (docs/webhooks.md): endpoints, the outbox, the delivery worker. */
export {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  deleteWebhookEndpointsOf,
  listWebhookDeliveries,
  listWebhookEndpoints,
  sendTestWebhook,
} from "./endpoints";
export { enqueueWebhookEvent } from "./outbox";
export { deliverDueWebhooks, pruneWebhookEvents, type DeliveryRound } from "./delivery";
