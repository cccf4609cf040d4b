/**
 * The OpenAPI 3.1 document (GET /api/openapi.json, the reference page /<locale>/docs/api),
 * built from the zod schemas the routes and services use and the task-type registry: no
 * second hand-written copy. One module per feature; to document a new feature, add its
 * module (paths + tags, and `webhooks` for requests the app sends, with common.ts's envelope,
 * errors and security) and list it below.
 * tests/unit/openapi.test.ts fails for a public route under src/app/api that no module documents.
 */
import { createDocument, type ZodOpenApiPathsObject } from "zod-openapi";
import { siteConfig } from "@/config/site";
import type { ApiDocsModule } from "./common";
import { securitySchemes, security } from "./common";
import { apiKeysDocs } from "./api-keys";
import { chatDocs } from "./chat";
import { creditsDocs } from "./credits";
import { mcpDocs } from "./mcp";
import { metaDocs } from "./meta";
import { ordersDocs } from "./orders";
import { tasksDocs } from "./tasks";
import { uploadsDocs } from "./uploads";
import { webhooksDocs } from "./webhooks";

const MODULES: ApiDocsModule[] = [tasksDocs, uploadsDocs, chatDocs, creditsDocs, ordersDocs, apiKeysDocs, webhooksDocs, mcpDocs, metaDocs];

const DESCRIPTION = `Create paid AI tasks, upload their input files and follow them to their results.

Every JSON answer is an envelope: \`{ "code": 0, "message": "ok", "data": … }\` on success; on an error \`code\` is the HTTP status, \`message\` says why and \`data\` is null or says more (\`data.field\` names the bad input on a 400). Nothing is written or charged on a 4xx.

Authenticate with an API key (\`Authorization: Bearer sk_live_…\`) or, from the app's own pages, the session cookie.`;

/** The document for a server at `serverUrl` (APP_URL). */
export function openApiDocument(serverUrl: string) {
  return createDocument({
    openapi: "3.1.0",
    info: { title: `${siteConfig.name} API`, version: "1.0.0", description: DESCRIPTION },
    servers: [{ url: serverUrl }],
    security: security.apiCaller,
    tags: MODULES.flatMap((m) => m.tags),
    paths: mergePaths(MODULES.map((m) => m.paths())),
    webhooks: mergePaths(MODULES.flatMap((m) => (m.webhooks ? [m.webhooks()] : []))),
    components: { securitySchemes },
  });
}

/** The modules' paths in one object; two modules declaring the same method on a path is a mistake. */
function mergePaths(parts: ZodOpenApiPathsObject[]): ZodOpenApiPathsObject {
  const paths: ZodOpenApiPathsObject = {};
  for (const part of parts) {
    for (const [path, item] of Object.entries(part)) {
      const existing = paths[path] ?? {};
      for (const method of Object.keys(item)) {
        if (method in existing) throw new Error(`OpenAPI: ${method.toUpperCase()} ${path} is documented twice`);
      }
      paths[path] = { ...existing, ...item };
    }
  }
  return paths;
}
