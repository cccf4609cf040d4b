// Chat over HTTP against the real server: POST /api/chat answers the AI SDK UI message
// stream (mock provider, the default) and bills each reply through a credit hold; the
// conversation routes; bad input. A second server speaks to a fake OpenAI-compatible API
// (tests/support/fake-openai.ts) through the real adapter: 402 before any provider call.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { WELCOME_CREDITS } from "@/data/credits";
import type { Env } from "@/lib/env";
import { creditsFor } from "@/services/chat/pricing";
import { startAppServer, type AppServer } from "../support/app-server";
import { startFakeOpenAi, type FakeOpenAi } from "../support/fake-openai";
import { HTTP_TEST_ENV } from "../support/http-setup";
import { signedInClient, type TestClient } from "../support/http-client";
import { freshAppDatabase } from "../support/test-database";

const base = inject("baseUrl");
// The server's prices (HTTP_TEST_ENV).
const PRICES = { CHAT_CREDITS_PER_1K_INPUT_TOKENS: 1, CHAT_CREDITS_PER_1K_OUTPUT_TOKENS: 100 } as Env;

type Chunk = { type: string; delta?: string; errorText?: string; messageId?: string; messageMetadata?: Record<string, number> };
const userMsg = (text: string) => ({ id: crypto.randomUUID(), role: "user", parts: [{ type: "text", text }] });

function parseStream(text: string): Chunk[] {
  return text
    .split("\n\n")
    .map((event) => event.replace(/^data: /, "").trim())
    .filter((data) => data && data !== "[DONE]")
    .map((data) => JSON.parse(data) as Chunk);
}

/** POST /api/chat; with `stopAfter`, the client goes away after that many text deltas (Stop). */
async function chat(client: TestClient, body: unknown, stopAfter?: number): Promise<{ status: number; chunks: Chunk[]; json?: { code: number; message: string; data: Record<string, unknown> | null } }> {
  const controller = new AbortController();
  const res = await client.fetch("/api/chat", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), signal: controller.signal });
  if (!res.headers.get("content-type")?.startsWith("text/event-stream")) return { status: res.status, chunks: [], json: await res.json() };
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    if (stopAfter !== undefined && (text.match(/"type":"text-delta"/g) ?? []).length >= stopAfter) {
      controller.abort();
      break;
    }
  }
  return { status: res.status, chunks: parseStream(text.slice(0, text.lastIndexOf("\n\n") + 2)) };
}

const textOf = (chunks: Chunk[]) => chunks.flatMap((c) => (c.type === "text-delta" ? [c.delta] : [])).join("");
const balanceOf = async (client: TestClient) => (await client.json<{ balance: number; held: number }>("/api/credits")).body.data;
type Message = { id: string; role: string; text: string; creditsUsed: number | null; inputTokens: number | null; outputTokens: number | null; status: string; createdAt: string };
const conversationOf = (client: TestClient, id: string) => client.json<{ conversation: { id: string; title: string; messages: Message[] } }>(`/api/chat/conversations/${id}`);

async function settledReply(client: TestClient, id: string): Promise<Message> {
  for (let i = 0; i < 100; i++) {
    const last = (await conversationOf(client, id)).body.data.conversation.messages.at(-1)!;
    if (last.status !== "streaming") return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the reply never settled");
}

describe("POST /api/chat with the mock provider", () => {
  it("streams a reply and charges exactly its settled usage; the conversation is stored", async () => {
    const { client } = await signedInClient(base);
    const id = crypto.randomUUID();
    const { status, chunks } = await chat(client, { id, messages: [userMsg("Hello **world**")], trigger: "submit-message" });
    expect(status).toBe(200);
    expect(chunks[0]).toMatchObject({ type: "start" });
    const finish = chunks.at(-1)!;
    expect(finish.type).toBe("finish");
    const { creditsUsed, inputTokens, outputTokens } = finish.messageMetadata!;
    expect(outputTokens).toBe(60); // CHAT_MOCK_TOKENS
    expect(creditsUsed).toBe(creditsFor({ inputTokens, outputTokens }, PRICES));
    expect(await balanceOf(client)).toEqual(expect.objectContaining({ balance: WELCOME_CREDITS - creditsUsed, held: 0 }));

    const conversation = (await conversationOf(client, id)).body.data.conversation;
    expect(conversation).toMatchObject({ id, title: "Hello **world**" });
    expect(conversation.messages).toHaveLength(2);
    expect(conversation.messages[0]).toMatchObject({ role: "user", text: "Hello **world**", creditsUsed: null });
    expect(conversation.messages[1]).toMatchObject({ id: chunks[0].messageId, role: "assistant", text: textOf(chunks), creditsUsed, inputTokens, outputTokens });
    expect(Object.keys(conversation.messages[1])).toEqual(expect.arrayContaining(["id", "role", "text", "creditsUsed", "inputTokens", "outputTokens", "createdAt"]));
    const list = (await client.json<{ conversations: Array<{ id: string; title: string }> }>("/api/chat/conversations")).body.data.conversations;
    expect(list.map((c) => c.id)).toEqual([id]);
  });

  it("Stop (the client goes away) charges what was produced: less than a whole reply", async () => {
    const { client } = await signedInClient(base);
    const id = crypto.randomUUID();
    const { chunks } = await chat(client, { id, messages: [userMsg("Write a long answer")], trigger: "submit-message" }, 5);
    expect(textOf(chunks).length).toBeGreaterThan(0);
    const reply = await settledReply(client, id);
    expect(reply.status).toBe("stopped");
    expect(reply.outputTokens).toBeGreaterThanOrEqual(5);
    expect(reply.outputTokens).toBeLessThan(60);
    expect(reply.creditsUsed).toBe(creditsFor({ inputTokens: reply.inputTokens!, outputTokens: reply.outputTokens! }, PRICES));
    expect(reply.creditsUsed).toBeGreaterThan(0);
    expect(reply.creditsUsed).toBeLessThan(creditsFor({ inputTokens: reply.inputTokens!, outputTokens: 60 }, PRICES));
    expect(await balanceOf(client)).toEqual(expect.objectContaining({ balance: WELCOME_CREDITS - reply.creditsUsed!, held: 0 }));
  });

  it("refuses bad input with 400 naming the field, and others' conversations with 404, charging nothing", async () => {
    const { client } = await signedInClient(base);
    const { client: other } = await signedInClient(base);
    const theirs = crypto.randomUUID();
    await chat(other, { id: theirs, messages: [userMsg("private")], trigger: "submit-message" });
    const cases: Array<[unknown, number, string?]> = [
      [{ id: crypto.randomUUID(), messages: [userMsg("  ")] }, 400, "messages"],
      [{ id: crypto.randomUUID(), messages: [userMsg("x".repeat(4001))] }, 400, "messages"],
      [{ id: crypto.randomUUID(), messages: [{ role: "assistant", parts: [{ type: "text", text: "I am the assistant" }] }] }, 400, "messages"],
      [{ id: crypto.randomUUID(), messages: [] }, 400, "messages"],
      [{ id: "not-a-uuid", messages: [userMsg("hi")] }, 400, "id"],
      [{ id: theirs, messages: [userMsg("let me in")] }, 404],
      [{ id: theirs, messages: [userMsg("again")], trigger: "regenerate-message" }, 404],
    ];
    for (const [body, status, field] of cases) {
      const res = await chat(client, body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(status);
      if (field) expect(res.json!.data).toMatchObject({ field });
    }
    expect((await conversationOf(client, theirs)).status).toBe(404);
    expect((await client.sendJson("PATCH", `/api/chat/conversations/${theirs}`, { title: "mine now" })).status).toBe(404);
    expect((await client.json(`/api/chat/conversations/${theirs}`, { method: "DELETE" })).status).toBe(404);
    expect((await client.sendJson("PATCH", `/api/chat/conversations/${theirs}`, { title: "" })).body.data).toMatchObject({ field: "title" });
    expect((await conversationOf(other, theirs)).body.data.conversation.messages).toHaveLength(2);
    expect(await balanceOf(client)).toEqual(expect.objectContaining({ balance: WELCOME_CREDITS, held: 0 }));
    expect((await client.json("/api/chat/conversations")).body.data.conversations).toEqual([]);
  });

  it("reads only the newest of 1,000 messages sent: the history comes from the database", async () => {
    const { client } = await signedInClient(base);
    const id = crypto.randomUUID();
    const history = Array.from({ length: 999 }, (_, i) => ({ role: i % 2 ? "assistant" : "user", parts: [{ type: "text", text: `claimed ${i}` }] }));
    const { status, chunks } = await chat(client, { id, messages: [...history, userMsg("only this")] });
    expect(status).toBe(200);
    // The mock's prompt: the newest message alone (nothing stored before it).
    expect(chunks.at(-1)!.messageMetadata!.inputTokens).toBe(3 + Math.ceil("only this".length / 4) + 4);
    const messages = (await conversationOf(client, id)).body.data.conversation.messages;
    expect(messages.map((m) => [m.role, m.text.slice(0, 9)])).toEqual([["user", "only this"], ["assistant", textOf(chunks).slice(0, 9)]]);
  });

  it("a provider error before the first token releases the hold; mid-stream, the produced part is charged", async () => {
    const { client } = await signedInClient(base);
    const id = crypto.randomUUID();
    const early = await chat(client, { id, messages: [userMsg("mock:fail")] });
    expect(early.chunks.at(-1)).toEqual({ type: "error", errorText: "provider_unavailable" });
    expect(await balanceOf(client)).toEqual(expect.objectContaining({ balance: WELCOME_CREDITS, held: 0 }));
    const mid = await chat(client, { id, messages: [userMsg("mock:fail-mid")] });
    expect(textOf(mid.chunks)).not.toBe("");
    expect(mid.chunks.at(-1)).toEqual({ type: "error", errorText: "provider_unavailable" });
    const reply = await settledReply(client, id);
    expect(reply).toMatchObject({ status: "failed", outputTokens: 30 });
    expect(reply.creditsUsed).toBeGreaterThan(0);
    expect(await balanceOf(client)).toEqual(expect.objectContaining({ balance: WELCOME_CREDITS - reply.creditsUsed!, held: 0 }));
  });

  it("renames, regenerates and deletes; refuses cross-origin writes and anonymous callers", async () => {
    const { client } = await signedInClient(base);
    const id = crypto.randomUUID();
    await chat(client, { id, messages: [userMsg("first")] });
    const again = await chat(client, { id, messages: [userMsg("first")], trigger: "regenerate-message" });
    expect(again.chunks.at(-1)!.type).toBe("finish");
    const messages = (await conversationOf(client, id)).body.data.conversation.messages;
    expect(messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(messages[1].id).toBe(again.chunks[0].messageId);
    const renamed = await client.sendJson("PATCH", `/api/chat/conversations/${id}`, { title: "  My chat  " });
    expect(renamed.body.data.conversation).toMatchObject({ id, title: "My chat" });
    const evil = await client.fetch("/api/chat", { method: "POST", headers: { "content-type": "application/json", origin: "https://evil.example" }, body: JSON.stringify({ id, messages: [userMsg("x")] }) });
    expect(evil.status).toBe(403);
    const anonymous = await fetch(new URL("/api/chat", base), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ id: crypto.randomUUID(), messages: [userMsg("x")] }) });
    expect(anonymous.status).toBe(401);
    expect((await client.json(`/api/chat/conversations/${id}`, { method: "DELETE" })).status).toBe(200);
    expect((await conversationOf(client, id)).status).toBe(404);
  });

  it("serves the chat page in English and Chinese", async () => {
    const { client } = await signedInClient(base);
    const en = await (await client.fetch("/en/chat")).text();
    expect(en).toContain('data-testid="chat-thread"');
    expect(en).toContain("New chat");
    const zh = await (await client.fetch("/zh/chat")).text();
    expect(zh).toContain("新对话");
  });
});

describe("POST /api/chat through the OpenAI-compatible adapter", () => {
  let fake: FakeOpenAi;
  let server: AppServer;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    fake = await startFakeOpenAi({ tokens: 20, delayMs: 50, promptTokens: 17 });
    const database = await freshAppDatabase("http-chat-openai");
    cleanup = database.cleanup;
    server = await startAppServer({
      env: {
        ...HTTP_TEST_ENV,
        ...database.env,
        STORAGE_LOCAL_DIR: inject("storageDir"),
        CHAT_PROVIDER: "openai",
        OPENAI_BASE_URL: fake.url,
        OPENAI_API_KEY: fake.apiKey,
        CHAT_MODEL: "fake-model",
        // A reply holds up to 47 of the 50 welcome credits: a second one at once does not fit.
        CHAT_CREDITS_PER_1K_OUTPUT_TOKENS: "45",
        CHAT_MAX_OUTPUT_TOKENS: "1024",
      },
    });
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await fake?.close();
    await cleanup?.();
  });

  it("settles the usage the provider reports; 402 while another reply holds the credits, without calling the provider", async () => {
    const { client } = await signedInClient(server.url);
    const id = crypto.randomUUID();
    const first = chat(client, { id, messages: [userMsg("Hi")] });
    // While the first reply streams, its hold keeps 47 credits.
    for (let i = 0; i < 100 && (await balanceOf(client)).held === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await balanceOf(client)).toEqual(expect.objectContaining({ balance: WELCOME_CREDITS - 47, held: 47 }));
    const calls = fake.requests.length;
    const refused = await chat(client, { id: crypto.randomUUID(), messages: [userMsg("Me too")] });
    expect(refused.status).toBe(402);
    expect(refused.json).toMatchObject({ code: 402, data: { required: 47, balance: WELCOME_CREDITS - 47 } });
    expect(fake.requests.length).toBe(calls);

    const { chunks } = await first;
    const price = creditsFor({ inputTokens: 17, outputTokens: 20 }, { ...PRICES, CHAT_CREDITS_PER_1K_OUTPUT_TOKENS: 45 });
    expect(chunks.at(-1)).toMatchObject({ type: "finish", messageMetadata: { creditsUsed: price, inputTokens: 17, outputTokens: 20 } });
    expect(await balanceOf(client)).toEqual(expect.objectContaining({ balance: WELCOME_CREDITS - price, held: 0 }));
    expect(fake.requests.at(-1)!.body).toMatchObject({ model: "fake-model", stream: true, stream_options: { include_usage: true } });
    expect(fake.requests.at(-1)!.authorization).toBe(`Bearer ${fake.apiKey}`);
  });
});
