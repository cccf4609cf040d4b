/** API keys in the API reference: create, list and revoke (key management: session only; a key gets 403). */
import { z } from "zod";
import { apiKeyIdParam, apiKeySchema, createApiKeyInput, createdApiKeySchema } from "@/lib/schemas/api-keys";
import { errors, json, security, type ApiDocsModule } from "./common";

const SESSION_ONLY = "A request carrying an API key (key management takes the session only), or a cross-origin write carrying the session cookie.";

export const apiKeysDocs: ApiDocsModule = {
  tags: [
    {
      name: "API keys",
      description:
        "Keys for `Authorization: Bearer …`, managed by the signed-in browser only. The secret is shown once; keys may expire and may carry a monthly credit cap (see docs/api.md, API keys).",
    },
  ],
  paths: () => ({
    "/api/keys": {
      post: {
        operationId: "create_api_key",
        tags: ["API keys"],
        summary: "Create an API key",
        description: "Answers the secret (`key`) this once, with its record; only its hash is stored. At most 25 active keys.",
        security: security.session,
        requestBody: { required: true, content: { "application/json": { schema: createApiKeyInput } } },
        responses: {
          201: json("Created: the secret, this once, and its record.", createdApiKeySchema),
          ...errors([400, 401, 403, 409, 413, 415, 503], { 403: SESSION_ONLY, 409: "Already 25 active keys: revoke one first." }),
        },
      },
      get: {
        operationId: "list_api_keys",
        tags: ["API keys"],
        summary: "List your API keys",
        description: "Newest first, revoked and expired ones included; never the secrets.",
        security: security.session,
        responses: { 200: json("Your keys.", z.object({ apiKeys: z.array(apiKeySchema) })), ...errors([401, 403, 503], { 403: SESSION_ONLY }) },
      },
    },
    "/api/keys/{id}": {
      delete: {
        operationId: "revoke_api_key",
        tags: ["API keys"],
        summary: "Revoke an API key",
        description: "Effective on the next request, on every instance. Revoking a revoked key changes nothing.",
        security: security.session,
        requestParams: { path: z.object({ id: apiKeyIdParam }) },
        responses: {
          200: json("Revoked: the key's record.", z.object({ apiKey: apiKeySchema })),
          ...errors([400, 401, 403, 404, 503], { 403: SESSION_ONLY, 404: "No such key of yours." }),
        },
      },
    },
  }),
};
