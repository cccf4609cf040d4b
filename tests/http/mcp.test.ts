// The MCP server at /api/mcp against `next start`, through the SDK's own client
// (StreamableHTTPClientTransport): API key only, every registered task type a tool with
// the registry's input schema plus get_task / list_tasks / get_balance, a tool call that
// creates a real paid task once per idempotency key, and a schema failure that names the
// field and charges nothing.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { signedInClient, type TestClient } from "../support/http-client";

const base = inject("baseUrl");

let alice: TestClient;
let key: string;
let client: Client;

async function connect(secret: string | null): Promise<Client> {
  const c = new Client({ name: "mcp-test", version: "1.0.0" });
  const headers: Record<string, string> = secret ? { authorization: `Bearer ${secret}` } : {};
  await c.connect(new StreamableHTTPClientTransport(new URL("/api/mcp", base), { requestInit: { headers } }));
  return c;
}

const balance = async () => (await alice.json("/api/credits")).body.data.balance as number;
const text = (r: Awaited<ReturnType<Client["callTool"]>>) => (r.content as Array<{ type: string; text: string }>).map((c) => c.text).join("\n");

beforeAll(async () => {
  ({ client: alice } = await signedInClient(base));
  key = (await alice.postJson("/api/keys", { name: "mcp" })).body.data.key;
  client = await connect(key);
});
afterAll(() => client?.close());

describe("MCP at /api/mcp", () => {
  it("refuses a client without a key, or with a bad one (401)", async () => {
    await expect(connect(null)).rejects.toThrow(/401/);
    await expect(connect(`sk_live_${"B".repeat(43)}`)).rejects.toThrow(/401/);
  });

  it("lists every registered task type as a tool with its input schema, and the three read tools", async () => {
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    const types = (await alice.json("/api/tasks/types")).body.data.types as Array<{ type: string; inputSchema: { properties: Record<string, unknown> } }>;
    for (const t of types) {
      expect(names).toContain(t.type);
      const tool = tools.find((x) => x.name === t.type)!;
      expect(Object.keys(tool.inputSchema.properties ?? {})).toEqual(expect.arrayContaining(Object.keys(t.inputSchema.properties)));
    }
    expect(names).toEqual(expect.arrayContaining(["get_task", "list_tasks", "get_balance"]));
  });

  it("a task tool creates a real paid task once per idempotency key; the answer gives the cost and how to follow it", async () => {
    const before = await balance();
    const args = { prompt: "A red kite over the sea", size: "512x512", idempotencyKey: "mcp-call-1" };
    const first = await client.callTool({ name: "text_to_image", arguments: args });
    expect(first.isError).toBeFalsy();
    const task = (first.structuredContent as { task: { uuid: string; creditsUsed: number } }).task;
    expect(text(first)).toContain(task.uuid);
    expect(text(first)).toMatch(/2 credits were charged/);
    expect(text(first)).toContain("get_task");
    const repeat = await client.callTool({ name: "text_to_image", arguments: args });
    expect((repeat.structuredContent as { task: { uuid: string } }).task.uuid).toBe(task.uuid);
    expect(await balance()).toBe(before - task.creditsUsed);
    // The same task over HTTP: it was created for the key's owner.
    expect((await alice.json(`/api/tasks/${task.uuid}`)).status).toBe(200);

    const got = await client.callTool({ name: "get_task", arguments: { id: task.uuid } });
    expect((got.structuredContent as { task: { uuid: string } }).task.uuid).toBe(task.uuid);
    const listed = await client.callTool({ name: "list_tasks", arguments: { pageSize: 5 } });
    expect((listed.structuredContent as { items: Array<{ uuid: string }> }).items.map((t) => t.uuid)).toContain(task.uuid);
    const credits = await client.callTool({ name: "get_balance", arguments: {} });
    expect((credits.structuredContent as { balance: number }).balance).toBe(before - task.creditsUsed);
  });

  it("input that fails the type's schema: a tool error naming the field, nothing charged", async () => {
    const before = await balance();
    const bad = await client.callTool({ name: "text_to_image", arguments: { prompt: "x", size: "9x9" } });
    expect(bad.isError).toBe(true);
    expect(text(bad)).toContain("size");
    expect((bad.structuredContent as { error: { field: string; status: number } }).error).toMatchObject({ field: "size", status: 400 });
    const missing = await client.callTool({ name: "text_to_image", arguments: { size: "512x512" } });
    expect(missing.isError).toBe(true);
    expect(text(missing)).toContain("prompt");
    const unknown = await client.callTool({ name: "get_task", arguments: { id: "00000000-0000-0000-0000-000000000000" } });
    expect(unknown.isError).toBe(true);
    expect(await balance()).toBe(before);
  });
});
