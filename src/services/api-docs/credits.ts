/** Credits in the API reference: the balance and the ledger, read-only. */
import { pageQuerySchema, pageSchemaOf } from "@/lib/http/pagination";
import { creditHistoryItemSchema, userCreditsSchema } from "@/services/credits/ledger";
import { errors, json, security, type ApiDocsModule } from "./common";

export const creditsDocs: ApiDocsModule = {
  tags: [{ name: "Credits", description: "Your balance and the ledger of every credit moved." }],
  paths: () => ({
    "/api/credits": {
      get: {
        operationId: "get_credits",
        tags: ["Credits"],
        summary: "Your balance",
        security: security.apiCaller,
        responses: { 200: json("Spendable, held and next to expire.", userCreditsSchema), ...errors([401, 503]) },
      },
    },
    "/api/credits/history": {
      get: {
        operationId: "list_credit_history",
        tags: ["Credits"],
        summary: "Your ledger",
        description: "Every credit movement (grants, spends, refunds, expiries), newest first.",
        security: security.apiCaller,
        requestParams: { query: pageQuerySchema.partial() },
        responses: { 200: json("A page of ledger rows.", pageSchemaOf(creditHistoryItemSchema)), ...errors([400, 401, 503]) },
      },
    },
  }),
};
