// Real answers against the document the server publishes: every call to a documented route on
// the real `next start` must answer a status its operation declares, with a JSON body that
// matches the declared schema. The schema is the served document's own (its JSON Schema, with
// its components, turned into a validator by zod's fromJSONSchema), so the document itself is
// what is checked, not a hand-written expectation. Every documented operation is exercised.
import fs from "node:fs";
import { validate } from "@readme/openapi-parser";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { z } from "zod";
import { signedInClient, TestClient, waitForTask } from "../support/http-client";
import { multipartFile } from "../support/multipart";

const base = inject("baseUrl");
const PNG = fs.readFileSync("tests/fixtures/image-512x512.png");

interface Operation {
  responses: Record<string, { headers?: Record<string, { required?: boolean }>; content?: Record<string, { schema: object }> }>;
}
type Doc = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, object> } };

let doc: Doc;
const exercised = new Set<string>();

/** A validator for one of the document's schemas: its `#/components/schemas/X` refs resolved as `$defs`. */
function validatorOf(schema: object): z.ZodType {
  const rewrite = (value: object) => JSON.parse(JSON.stringify(value).replaceAll('"#/components/schemas/', '"#/$defs/'));
  const $defs = Object.fromEntries(Object.entries(doc.components.schemas).map(([k, v]) => [k, rewrite(v)]));
  return z.fromJSONSchema({ ...rewrite(schema), $defs } as never);
}

/**
 * Checks an answer against the document: `template` is the documented path (e.g. /api/tasks/{id}).
 * Returns the parsed JSON body (or null for a stream).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary payloads
async function conforms(method: string, template: string, res: Response): Promise<any> {
  const op = doc.paths[template]?.[method.toLowerCase()];
  expect(op, `${method} ${template} is documented`).toBeDefined();
  exercised.add(`${method.toUpperCase()} ${template}`);
  const declared = op!.responses[String(res.status)];
  const text = await res.text();
  expect(declared, `${method} ${template} answered ${res.status}, which it does not declare: ${text.slice(0, 300)}`).toBeDefined();
  for (const [name, header] of Object.entries(declared!.headers ?? {})) {
    if (header.required !== false) expect(res.headers.get(name), `${method} ${template} ${res.status}: header ${name}`).not.toBeNull();
  }
  const type = (res.headers.get("content-type") ?? "").split(";")[0].trim();
  expect(Object.keys(declared!.content ?? {}), `${method} ${template} ${res.status}: content type`).toContain(type);
  if (type !== "application/json") return null;
  const body = JSON.parse(text);
  const result = validatorOf(declared!.content![type].schema).safeParse(body);
  expect(result.success, `${method} ${template} ${res.status} does not match its declared schema: ${JSON.stringify(result.error?.issues.slice(0, 3))}\n${text.slice(0, 500)}`).toBe(true);
  return body;
}

const post = (client: TestClient, path: string, body: unknown, headers: Record<string, string> = {}) =>
  client.fetch(path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

let alice: TestClient;
let bob: TestClient;
let poor: TestClient;
let mcpKey: string; // an API key of alice's (made in the keys test)

beforeAll(async () => {
  const res = await fetch(`${base}/api/openapi.json`);
  expect(res.status).toBe(200);
  doc = (await res.json()) as Doc;
  [{ client: alice }, { client: bob }, { client: poor }] = await Promise.all([
    signedInClient(base),
    signedInClient(base),
    signedInClient(base, { verify: false }), // no welcome credits
  ]);
});

describe("GET /api/openapi.json", () => {
  it("serves a valid OpenAPI 3.1 document, public", async () => {
    const res = await fetch(`${base}/api/openapi.json`);
    await conforms("GET", "/api/openapi.json", res.clone());
    const served = await res.json();
    expect(served.openapi).toBe("3.1.0");
    expect(served.servers[0].url).toMatch(/^http/);
    const result = await validate(served);
    expect(result.valid).toBe(true);
  });
});

describe("real answers match their declared schemas", () => {
  it("health and the task types, signed out", async () => {
    await conforms("GET", "/api/health", await fetch(`${base}/api/health`));
    const { data } = await conforms("GET", "/api/tasks/types", await fetch(`${base}/api/tasks/types`));
    expect(data.types.map((t: { endpoint: string }) => t.endpoint).sort()).toEqual(
      Object.keys(doc.paths).filter((p) => doc.paths[p].post && p.startsWith("/api/tasks/")).sort(),
    );
  });

  it("401 signed out, on every operation that needs a caller", async () => {
    const out = new TestClient(base);
    await conforms("GET", "/api/credits", await out.fetch("/api/credits"));
    await conforms("GET", "/api/tasks", await out.fetch("/api/tasks"));
    await conforms("GET", "/api/uploads", await out.fetch("/api/uploads"));
    await conforms("GET", "/api/orders", await out.fetch("/api/orders"));
    const post = await out.fetch("/api/tasks/text-to-image", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(post.status).toBe(400); // the input is checked before the caller
    const anon = await out.fetch("/api/tasks/text-to-image", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ prompt: "x", size: "512x512" }),
    });
    expect(anon.status).toBe(401);
    await conforms("POST", "/api/tasks/text-to-image", anon);
  });

  it("uploads: 201, list, one, 400 naming the parameter, 404, 403 someone else's, 415", async () => {
    const { contentType, body } = multipartFile(PNG, { filename: "photo.png" });
    const created = await conforms("POST", "/api/uploads", await alice.fetch("/api/uploads", { method: "POST", headers: { "content-type": contentType }, body: new Uint8Array(body) }));
    const id = created.data.upload.id;
    expect(created.data.upload).toMatchObject({ kind: "image", width: 512, height: 512 });
    const list = await conforms("GET", "/api/uploads", await alice.fetch("/api/uploads?kind=image&limit=5"));
    expect(list.data.uploads[0].id).toBe(id);
    await conforms("GET", "/api/uploads/{id}", await alice.fetch(`/api/uploads/${id}`));
    const bad = await conforms("GET", "/api/uploads", await alice.fetch("/api/uploads?kind=pdf"));
    expect(bad.data.field).toBe("kind");
    await conforms("GET", "/api/uploads/{id}", await alice.fetch(`/api/uploads/${crypto.randomUUID()}`));
    const theirs = await bob.fetch(`/api/uploads/${id}`);
    expect(theirs.status).toBe(403);
    await conforms("GET", "/api/uploads/{id}", theirs);
    const text = multipartFile(Buffer.from("just text, not an image"), { filename: "a.png" });
    const refused = await alice.fetch("/api/uploads", { method: "POST", headers: { "content-type": text.contentType }, body: new Uint8Array(text.body) });
    expect(refused.status).toBe(415);
    await conforms("POST", "/api/uploads", refused);

    // A task made from the upload (a file field), followed to its result.
    const task = await conforms("POST", "/api/tasks/image-upscale", await post(alice, "/api/tasks/image-upscale", { image: id, scale: 2 }));
    expect(task.data.task.inputs.image.id).toBe(id);
    await waitForTask(alice, task.data.task.uuid, ["succeeded", "failed"]);
    await conforms("GET", "/api/tasks/{id}", await alice.fetch(`/api/tasks/${task.data.task.uuid}`));
  });

  it("tasks: 201, the replay's 200, 422, 400 naming the field, 402, list, one, latest, 403, 404, events", async () => {
    const input = { prompt: "A lighthouse at dawn, watercolor", size: "512x512" };
    const key = { "idempotency-key": `openapi-${crypto.randomUUID()}` };
    const created = await conforms("POST", "/api/tasks/text-to-image", await post(alice, "/api/tasks/text-to-image", input, key));
    const uuid = created.data.task.uuid;
    await conforms("POST", "/api/tasks/text-to-image", await post(alice, "/api/tasks/text-to-image", input, key));
    await conforms("POST", "/api/tasks/text-to-image", await post(alice, "/api/tasks/text-to-image", { ...input, size: "1024x1024" }, key));
    const bad = await conforms("POST", "/api/tasks/text-to-image", await post(alice, "/api/tasks/text-to-image", { ...input, size: "9x9" }));
    expect(bad.data.field).toBe("size");
    const broke = await conforms("POST", "/api/tasks/text-to-image", await post(poor, "/api/tasks/text-to-image", input));
    expect(broke.code).toBe(402);

    // Every registered type's own path: a body that fails its schema is a 400 naming the field.
    for (const p of Object.keys(doc.paths).filter((p) => doc.paths[p].post && p.startsWith("/api/tasks/"))) {
      const res = await post(alice, p, {});
      expect(res.status, p).toBe(400);
      expect((await conforms("POST", p, res)).data.field, p).toBeTruthy();
    }

    const events = await alice.fetch(`/api/tasks/${uuid}/events`);
    expect(events.status).toBe(200);
    const reader = events.body!.getReader();
    // Read up to the end of the first `task` event (a `retry:` line may come first, in its own chunk).
    let first = "";
    while (!/event: task\ndata: .*\n\n/.test(first)) {
      const { value, done } = await reader.read();
      if (done) break;
      first += new TextDecoder().decode(value);
    }
    await reader.cancel();
    expect(first).toContain("event: task");
    exercised.add("GET /api/tasks/{id}/events");
    expect(events.headers.get("content-type")).toContain("text/event-stream");
    const dataLine = first.split("\n").find((l) => l.startsWith("data: "))!;
    expect(validatorOf({ $ref: "#/components/schemas/Task" }).safeParse(JSON.parse(dataLine.slice(6))).success).toBe(true);
    await conforms("GET", "/api/tasks/{id}/events", await bob.fetch(`/api/tasks/${uuid}/events`));

    const done = await waitForTask<{ status: string }>(alice, uuid, ["succeeded", "failed"]);
    expect(done.status).toBe("succeeded");
    const one = await conforms("GET", "/api/tasks/{id}", await alice.fetch(`/api/tasks/${uuid}`));
    expect(one.data.task.outputUrl).toBeTruthy();
    await conforms("GET", "/api/tasks/{id}", await bob.fetch(`/api/tasks/${uuid}`));
    await conforms("GET", "/api/tasks/{id}", await alice.fetch(`/api/tasks/${crypto.randomUUID()}`));
    await conforms("GET", "/api/tasks/latest", await alice.fetch("/api/tasks/latest"));
    await conforms("GET", "/api/tasks/latest", await poor.fetch("/api/tasks/latest"));
    const list = await conforms("GET", "/api/tasks", await alice.fetch("/api/tasks?page=1&pageSize=5&type=text_to_image&status=succeeded"));
    expect(list.data.items.length).toBeGreaterThan(0);
    const badList = await conforms("GET", "/api/tasks", await alice.fetch("/api/tasks?status=done"));
    expect(badList.data.field).toBe("status");
  });

  it("credits, the ledger and orders", async () => {
    const credits = await conforms("GET", "/api/credits", await alice.fetch("/api/credits"));
    expect(credits.data.balance).toBeGreaterThan(0);
    // The checker itself: a body that drifts from the document (an undeclared field, a wrong type) is refused.
    const schema = validatorOf(doc.paths["/api/credits"].get.responses["200"].content!["application/json"].schema);
    expect(schema.safeParse(credits).success).toBe(true);
    expect(schema.safeParse({ ...credits, data: { ...credits.data, extra: 1 } }).success).toBe(false);
    expect(schema.safeParse({ ...credits, data: { ...credits.data, balance: "5" } }).success).toBe(false);
    const history = await conforms("GET", "/api/credits/history", await alice.fetch("/api/credits/history?pageSize=50"));
    expect(history.data.items.length).toBeGreaterThan(1);
    await conforms("GET", "/api/credits/history", await alice.fetch("/api/credits/history?page=0"));
    await conforms("GET", "/api/orders", await alice.fetch("/api/orders"));
  });
});

describe("chat", () => {
  it("a streamed reply, 400 naming the field, 402, the conversations: list, one, rename, 404 someone else's, delete", async () => {
    const id = crypto.randomUUID();
    const message = (text: string) => ({ id: crypto.randomUUID(), role: "user", parts: [{ type: "text", text }] });
    const reply = await post(alice, "/api/chat", { id, messages: [message("Hello there")] });
    expect(reply.status).toBe(200);
    await conforms("POST", "/api/chat", reply);
    const bad = await conforms("POST", "/api/chat", await post(alice, "/api/chat", { id, messages: [message("   ")] }));
    expect(bad.data.field).toBe("messages");
    expect((await conforms("POST", "/api/chat", await post(poor, "/api/chat", { id: crypto.randomUUID(), messages: [message("Hi")] }))).code).toBe(402);
    const list = await conforms("GET", "/api/chat/conversations", await alice.fetch("/api/chat/conversations"));
    expect(list.data.conversations.map((c: { id: string }) => c.id)).toContain(id);
    const one = await conforms("GET", "/api/chat/conversations/{id}", await alice.fetch(`/api/chat/conversations/${id}`));
    expect(one.data.conversation.messages.map((m: { role: string }) => m.role)).toEqual(["user", "assistant"]);
    const patch = (client: TestClient, body: unknown) =>
      client.fetch(`/api/chat/conversations/${id}`, { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    expect((await conforms("PATCH", "/api/chat/conversations/{id}", await patch(alice, { title: "Renamed" }))).data.conversation.title).toBe("Renamed");
    expect((await conforms("PATCH", "/api/chat/conversations/{id}", await patch(alice, { title: "" }))).data.field).toBe("title");
    expect((await conforms("GET", "/api/chat/conversations/{id}", await bob.fetch(`/api/chat/conversations/${id}`))).code).toBe(404);
    await conforms("DELETE", "/api/chat/conversations/{id}", await alice.fetch(`/api/chat/conversations/${id}`, { method: "DELETE" }));
    expect((await alice.fetch(`/api/chat/conversations/${id}`)).status).toBe(404);
  });
});

describe("API keys, webhook endpoints and MCP", () => {
  const del = (client: TestClient, path: string) => client.fetch(path, { method: "DELETE" });

  it("keys: 201 with the secret, list, 400 naming the field, 403 with a key, revoke, 404, 401", async () => {
    const created = await conforms("POST", "/api/keys", await post(alice, "/api/keys", { name: "openapi", monthlyCreditCap: 50 }));
    expect(created.data.key).toMatch(/^sk_(live|test)_/);
    const { id } = created.data.apiKey;
    const list = await conforms("GET", "/api/keys", await alice.fetch("/api/keys"));
    expect(list.data.apiKeys.map((k: { id: string }) => k.id)).toContain(id);
    const bad = await conforms("POST", "/api/keys", await post(alice, "/api/keys", { name: "x", monthlyCreditCap: 0 }));
    expect(bad.data.field).toBe("monthlyCreditCap");
    const withKey = new TestClient(base);
    const refused = await withKey.fetch("/api/keys", { headers: { authorization: `Bearer ${created.data.key}` } });
    expect(refused.status).toBe(403);
    await conforms("GET", "/api/keys", refused);
    await conforms("GET", "/api/keys", await new TestClient(base).fetch("/api/keys"));
    // The key works where keys are taken (the MCP server), before it is revoked.
    mcpKey = (await (await post(alice, "/api/keys", { name: "openapi-mcp" })).json()).data.key;
    const revoked = await conforms("DELETE", "/api/keys/{id}", await del(alice, `/api/keys/${id}`));
    expect(revoked.data.apiKey.status).toBe("revoked");
    await conforms("DELETE", "/api/keys/{id}", await del(bob, `/api/keys/${id}`));
  });

  it("webhook endpoints: 201 with the secret, list, deliveries, test event, 400 naming the field, 403 with a key, delete, 404", async () => {
    // An address that never resolves: the test event's delivery fails quietly, after the answer.
    const created = await conforms(
      "POST",
      "/api/webhooks/endpoints",
      await post(alice, "/api/webhooks/endpoints", { url: "https://hooks.example.invalid/ai", events: ["task.succeeded", "credits.low"] }),
    );
    expect(created.data.secret).toMatch(/^whsec_/);
    const { id } = created.data.endpoint;
    const list = await conforms("GET", "/api/webhooks/endpoints", await alice.fetch("/api/webhooks/endpoints"));
    expect(list.data.endpoints.map((e: { id: string }) => e.id)).toContain(id);
    const bad = await conforms("POST", "/api/webhooks/endpoints", await post(alice, "/api/webhooks/endpoints", { url: "https://hooks.example.invalid/ai", events: ["task.done"] }));
    expect(bad.data.field).toMatch(/^events/);
    const refused = await new TestClient(base).fetch("/api/webhooks/endpoints", { headers: { authorization: `Bearer ${mcpKey}` } });
    expect(refused.status).toBe(403);
    await conforms("GET", "/api/webhooks/endpoints", refused);
    const queued = await conforms("POST", "/api/webhooks/endpoints/{id}/test", await post(alice, `/api/webhooks/endpoints/${id}/test`, {}));
    const log = await conforms("GET", "/api/webhooks/endpoints/{id}/deliveries", await alice.fetch(`/api/webhooks/endpoints/${id}/deliveries`));
    expect(log.data.deliveries[0]).toMatchObject({ id: queued.data.deliveryId, type: "webhook.test" });
    await conforms("GET", "/api/webhooks/endpoints/{id}/deliveries", await bob.fetch(`/api/webhooks/endpoints/${id}/deliveries`));
    await conforms("POST", "/api/webhooks/endpoints/{id}/test", await post(bob, `/api/webhooks/endpoints/${id}/test`, {}));
    await conforms("DELETE", "/api/webhooks/endpoints/{id}", await del(bob, `/api/webhooks/endpoints/${id}`));
    await conforms("DELETE", "/api/webhooks/endpoints/{id}", await del(alice, `/api/webhooks/endpoints/${id}`));
  });

  it("MCP: JSON-RPC answers with a key, 401 without, 406 without the Accept it needs, 405 on GET and DELETE", async () => {
    const client = new TestClient(base);
    const rpc = (message: object, headers: Record<string, string> = {}) =>
      client.fetch("/api/mcp", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream", authorization: `Bearer ${mcpKey}`, ...headers },
        body: JSON.stringify(message),
      });
    const init = await conforms(
      "POST",
      "/api/mcp",
      await rpc({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "openapi-test", version: "1" } } }),
    );
    expect(init.result.serverInfo).toBeDefined();
    const tools = await conforms("POST", "/api/mcp", await rpc({ jsonrpc: "2.0", id: 2, method: "tools/list" }));
    expect(tools.result.tools.map((t: { name: string }) => t.name)).toContain("get_balance");
    await conforms("POST", "/api/mcp", await rpc({ jsonrpc: "2.0", id: 3, method: "tools/list" }, { authorization: "" }));
    const unacceptable = await rpc({ jsonrpc: "2.0", id: 4, method: "tools/list" }, { accept: "application/json" });
    expect(unacceptable.status).toBe(406);
    await conforms("POST", "/api/mcp", unacceptable);
    await conforms("GET", "/api/mcp", await client.fetch("/api/mcp", { headers: { authorization: `Bearer ${mcpKey}` } }));
    await conforms("DELETE", "/api/mcp", await client.fetch("/api/mcp", { method: "DELETE", headers: { authorization: `Bearer ${mcpKey}` } }));
  });
});

describe("coverage", () => {
  it("every documented operation was called above (each task type's POST included)", () => {
    const documented = Object.entries(doc.paths).flatMap(([p, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${p}`));
    expect(documented.filter((op) => !exercised.has(op))).toEqual([]);
  });
});
