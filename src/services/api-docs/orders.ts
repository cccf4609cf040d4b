/** Orders in the API reference: the credit bundles bought (billing: session only). */
import { pageQuerySchema, pageSchemaOf } from "@/lib/http/pagination";
import { orderDtoSchema } from "@/services/payments/fulfilment";
import { errors, json, security, type ApiDocsModule } from "./common";

export const ordersDocs: ApiDocsModule = {
  tags: [{ name: "Orders", description: "Credit purchases (Stripe Checkout). Billing is for the signed-in browser only." }],
  paths: () => ({
    "/api/orders": {
      get: {
        operationId: "list_orders",
        tags: ["Orders"],
        summary: "Your orders",
        description: "Newest first.",
        security: security.session,
        responses: { 200: json("A page of orders.", pageSchemaOf(orderDtoSchema)), ...errors([400, 401, 503]) },
        requestParams: { query: pageQuerySchema.partial() },
      },
    },
  }),
};
