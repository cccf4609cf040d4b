/** The service itself in the API reference: health and this document. */
import { z } from "zod";
import { healthReportSchema } from "@/services/health";
import { errors, json, security, type ApiDocsModule } from "./common";

export const metaDocs: ApiDocsModule = {
  tags: [{ name: "Service", description: "Health and this description." }],
  paths: () => ({
    "/api/health": {
      get: {
        operationId: "get_health",
        tags: ["Service"],
        summary: "Health",
        description: "The database, its migrations and the sweeper. 503 with the same report when unhealthy.",
        security: security.public,
        responses: {
          200: json("Healthy.", healthReportSchema),
          503: {
            description: "Unhealthy: the database does not answer, or migrations are missing.",
            content: { "application/json": { schema: z.object({ code: z.literal(503), message: z.string(), data: healthReportSchema }) } },
          },
        },
      },
    },
    "/api/openapi.json": {
      get: {
        operationId: "get_openapi",
        tags: ["Service"],
        summary: "This OpenAPI document",
        security: security.public,
        responses: {
          200: { description: "The OpenAPI 3.1 document (not enveloped).", content: { "application/json": { schema: z.record(z.string(), z.unknown()) } } },
          ...errors([503]),
        },
      },
    },
  }),
};
