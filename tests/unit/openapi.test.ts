// The OpenAPI document (src/services/api-docs): valid OpenAPI 3.1 by a maintained validator,
// every registered task type as its own path with its registry input schema, and every public
// route file under src/app/api documented (a new route without docs fails here).
import fs from "node:fs";
import path from "node:path";
import { compileErrors, validate } from "@readme/openapi-parser";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { WEBHOOK_EVENT_TYPES, WEBHOOK_TEST_EVENT } from "@/lib/schemas/webhooks";
import { openApiDocument } from "@/services/api-docs";
import { taskTypes } from "@/services/tasks";

const doc = openApiDocument("http://localhost:3000");
type Operation = { security?: unknown[]; requestBody?: { content: Record<string, { schema: { $ref?: string } }> }; responses: Record<string, unknown> };
const METHODS = ["get", "post", "put", "patch", "delete"] as const;
const paths = doc.paths as Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>;

// Route files under src/app/api that are not part of the public API, and why. Everything else must be documented.
const NOT_PUBLIC: Record<string, string> = {
  "/api/{...path}": "the JSON 404 for unknown /api paths",
  "/api/account": "account management: the signed-in browser's own pages",
  "/api/account/email": "account management",
  "/api/account/email/confirm": "account management",
  "/api/account/password": "account management",
  "/api/account/sign-out-everywhere": "account management",
  "/api/admin/audit": "operator console",
  "/api/admin/keys/{id}/revoke": "operator console",
  "/api/admin/orders": "operator console",
  "/api/admin/overview": "operator console",
  "/api/admin/tasks": "operator console",
  "/api/admin/users": "operator console",
  "/api/admin/users/{uuid}": "operator console",
  "/api/admin/users/{uuid}/credits": "operator console",
  "/api/admin/users/{uuid}/disable": "operator console",
  "/api/admin/users/{uuid}/enable": "operator console",
  "/api/admin/users/{uuid}/keys": "operator console",
  "/api/auth/{...nextauth}": "next-auth's own endpoints (sign-in, session, CSRF)",
  "/api/auth/magic-link": "browser sign-in",
  "/api/auth/password/forgot": "browser sign-in",
  "/api/auth/password/reset": "browser sign-in",
  "/api/auth/signup": "browser sign-up",
  "/api/auth/verify-email": "browser sign-up",
  "/api/auth/verify-email/resend": "browser sign-up",
  "/api/cron/stripe-reconcile": "the operator's cron (CRON_SECRET)",
  "/api/cron/tasks": "the operator's cron (CRON_SECRET)",
  "/api/og": "social cards for pages",
  "/api/storage/{...key}": "signed storage URLs handed out in task and upload answers",
  "/api/stripe/checkout/credits": "billing: Stripe Checkout from the browser",
  "/api/stripe/checkout/subscription": "billing: Stripe Checkout from the browser",
  "/api/stripe/portal": "billing: the Stripe portal from the browser",
  "/api/stripe/webhook": "Stripe's signed webhook",
  "/api/webhooks/replicate": "Replicate's signed webhook",
};

/** Every route file under src/app/api: its URL template and the methods it exports. */
function routeFiles(): { template: string; methods: string[] }[] {
  const root = path.join(process.cwd(), "src/app/api");
  const found: { template: string; methods: string[] }[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/^route\.(ts|tsx|js)$/.test(entry.name)) {
        const source = fs.readFileSync(full, "utf8");
        const methods = [
          ...source.matchAll(/export\s+(?:const|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g),
          ...source.matchAll(/\bas\s+(GET|POST|PUT|PATCH|DELETE)\b/g),
        ].map((m) => m[1].toLowerCase());
        const rel = path.relative(root, dir).split(path.sep).filter(Boolean);
        const template = "/api" + rel.map((s) => "/" + s.replace(/^\[(.+)\]$/, "{$1}")).join("");
        found.push({ template, methods: [...new Set(methods)] });
      }
    }
  };
  walk(root);
  return found;
}

/** Whether a documented path can be answered by a route file's template (a `{param}` segment matches any one segment). */
function served(documented: string, template: string): boolean {
  const a = documented.split("/");
  const b = template.split("/");
  return a.length === b.length && a.every((seg, i) => seg === b[i] || /^\{[^.]+\}$/.test(b[i]) || (/^\{.+\}$/.test(seg) && /^\{.+\}$/.test(b[i])));
}

describe("GET /api/openapi.json's document", () => {
  it("is valid OpenAPI 3.1 (@readme/openapi-parser)", async () => {
    expect(doc.openapi).toBe("3.1.0");
    const result = await validate(structuredClone(doc) as never);
    expect(result.valid, result.valid ? "" : compileErrors(result)).toBe(true);
    expect(result.warnings).toEqual([]);
  });

  it("declares both ways in (session cookie, bearer API key) and says on every operation which apply", () => {
    expect(doc.components?.securitySchemes).toMatchObject({
      sessionCookie: { type: "apiKey", in: "cookie" },
      bearerAuth: { type: "http", scheme: "bearer" },
    });
    for (const [p, item] of Object.entries(paths)) {
      for (const method of METHODS) {
        const op = item[method];
        if (op) expect(op.security, `${method} ${p}`).toBeDefined();
      }
    }
  });

  it("has every registered task type as its own POST path, with the registry's input schema", () => {
    expect(taskTypes().length).toBeGreaterThan(0);
    for (const d of taskTypes()) {
      const op = paths[`/api/tasks/${d.slug}`]?.post;
      expect(op, d.slug).toBeDefined();
      const ref = op!.requestBody!.content["application/json"].schema.$ref!;
      const component = doc.components!.schemas![ref.replace("#/components/schemas/", "")] as { properties: object; required?: string[] };
      const fromRegistry = z.toJSONSchema(d.input, { io: "input" }) as { properties: object; required?: string[] };
      expect(Object.keys(component.properties).sort(), d.slug).toEqual(Object.keys(fromRegistry.properties).sort());
      expect(component.required ?? [], d.slug).toEqual(fromRegistry.required ?? []);
      expect(Object.keys(op!.responses)).toEqual(expect.arrayContaining(["201", "200", "400", "401", "402", "422", "429"]));
    }
  });

  it("key management and webhook endpoints take the session only; the MCP server an API key only", () => {
    const ops = Object.entries(paths).flatMap(([p, item]) => METHODS.filter((m) => item[m]).map((m) => ({ p, m, op: item[m]! })));
    const sessionOnly = ops.filter(({ p }) => p.startsWith("/api/keys") || p.startsWith("/api/webhooks/endpoints"));
    expect(sessionOnly.length).toBe(8);
    for (const { p, m, op } of sessionOnly) {
      expect(op.security, `${m} ${p}`).toEqual([{ sessionCookie: [] }]);
      expect(Object.keys(op.responses), `${m} ${p}`).toContain("403");
    }
    expect(paths["/api/mcp"]!.post!.security).toEqual([{ bearerAuth: [] }]);
  });

  it("declares each delivery body an endpoint can receive as an OpenAPI 3.1 webhook", () => {
    const webhooks = doc.webhooks as Record<string, { post: Operation }>;
    expect(Object.keys(webhooks).sort()).toEqual([...WEBHOOK_EVENT_TYPES, WEBHOOK_TEST_EVENT].sort());
    for (const [type, { post }] of Object.entries(webhooks)) {
      const ref = post.requestBody!.content["application/json"].schema.$ref!;
      const body = doc.components!.schemas![ref.replace("#/components/schemas/", "")] as { properties: { type: { const: string } }; required: string[] };
      expect(body.properties.type.const, type).toBe(type);
      expect(body.required.sort(), type).toEqual(["data", "timestamp", "type"]);
    }
  });

  it("documents the upload flow as multipart with a binary `file`", () => {
    const body = paths["/api/uploads"]!.post!.requestBody!.content["multipart/form-data"].schema as unknown as { properties: { file: { format?: string } }; required: string[] };
    expect(body.required).toEqual(["file"]);
    expect(body.properties.file.format).toBe("binary");
  });

  it("documents every public route file under src/app/api, each exported method (a new route without docs fails)", () => {
    const files = routeFiles();
    expect(files.length).toBeGreaterThan(20);
    const undocumented: string[] = [];
    for (const { template, methods } of files) {
      if (template in NOT_PUBLIC) continue;
      for (const method of methods) {
        const ok = Object.entries(paths).some(([p, item]) => item[method as (typeof METHODS)[number]] && served(p, template));
        if (!ok) undocumented.push(`${method.toUpperCase()} ${template}`);
      }
    }
    expect(undocumented, "document these in src/services/api-docs (or list them in NOT_PUBLIC with a reason)").toEqual([]);
    // And the exclusions name routes that exist, so the list cannot rot.
    const templates = new Set(files.map((f) => f.template));
    expect(Object.keys(NOT_PUBLIC).filter((t) => !templates.has(t))).toEqual([]);
  });

  it("documents no path that no route file serves", () => {
    const files = routeFiles().filter((f) => !(f.template in NOT_PUBLIC));
    for (const [p, item] of Object.entries(paths)) {
      for (const method of METHODS) {
        if (!item[method]) continue;
        expect(files.some((f) => f.methods.includes(method) && served(p, f.template)), `${method} ${p}`).toBe(true);
      }
    }
  });
});
