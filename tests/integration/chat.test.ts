// Chat replies billed through holds (src/services/chat): on PGlite and PostgreSQL, and chat
// holds racing for the last credits under real concurrency on PostgreSQL.
import { count, eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { getDb, openPostgres, rowsOf, setDatabase } from "@/db";
import { chatMessages, creditGrants, creditHolds, credits } from "@/db/schema";
import { env, resetEnvCache } from "@/lib/env";
import { grantCredits, getUserCredits } from "@/services/credits/ledger";
import { verifyLedger } from "@/services/credits/verify";
import { creditsFor, getConversation, listConversations, renameConversation, deleteConversation, startChatReply, type ChatChunk } from "@/services/chat";
import { estimatePromptTokens, holdFor } from "@/services/chat/pricing";
import { mockChatProvider, type ChatProvider } from "@/services/chat/providers";
import { runBackgroundRound } from "@/services/tasks/sweeper";
import { fakeToken, startFakeOpenAi } from "../support/fake-openai";
import { insertUser } from "../support/fixtures";
import { testDb } from "../support/setup-db";

process.env.CHAT_MOCK_TOKENS = "12";
process.env.CHAT_MOCK_DELAY_MS = "5";
resetEnvCache();
const saved = { ...process.env };
afterEach(() => {
  for (const key of ["CHAT_CREDITS_PER_1K_OUTPUT_TOKENS", "CHAT_MAX_OUTPUT_TOKENS"]) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
  resetEnvCache();
});
const setEnv = (key: string, value: string) => {
  process.env[key] = value;
  resetEnvCache();
};

const clean = async () => expect((await verifyLedger()).offences).toEqual([]);
const userMsg = (text: string, id = crypto.randomUUID()) => ({ id, role: "user", parts: [{ type: "text", text }] });

async function userWith(creditsToGrant: number) {
  const u = await insertUser();
  if (creditsToGrant > 0) await grantCredits({ userUuid: u, credits: creditsToGrant, transType: "system_add" });
  return u;
}

async function drain(stream: ReadableStream<ChatChunk>, stopAfterDeltas?: number): Promise<ChatChunk[]> {
  const chunks: ChatChunk[] = [];
  const reader = stream.getReader();
  let deltas = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    chunks.push(value);
    if (value.type === "text-delta" && ++deltas === stopAfterDeltas) {
      await reader.cancel();
      break;
    }
  }
  return chunks;
}

const textOf = (chunks: ChatChunk[]) => chunks.flatMap((c) => (c.type === "text-delta" ? [c.delta] : [])).join("");
const waitFor = async (check: () => Promise<boolean>) => {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("timed out waiting");
};
const holdOf = async (id: string) => (await getDb().select().from(creditHolds).where(eq(creditHolds.id, id)))[0];

describe("a reply", () => {
  it("streams the mock's reply and settles exactly its reported usage", async () => {
    const u = await userWith(100);
    const id = crypto.randomUUID();
    const reply = await startChatReply(u, { id, messages: [userMsg("Hello there")], trigger: "submit-message" });
    expect(reply.hold.credits).toBe(holdFor(["Hello there"]));
    expect(await getUserCredits(u)).toMatchObject({ held: reply.hold.credits });
    const chunks = await drain(reply.stream);
    expect(chunks[0]).toMatchObject({ type: "start", messageId: reply.messageId });
    const finish = chunks.at(-1)!;
    const usage = { inputTokens: estimatePromptTokens(["Hello there"]), outputTokens: 12 };
    const price = creditsFor(usage);
    expect(finish).toMatchObject({ type: "finish", messageMetadata: { creditsUsed: price, ...usage } });
    expect(price).toBeGreaterThan(0);
    expect(await holdOf(reply.hold.id)).toMatchObject({ status: "settled", settledCredits: price });
    expect(await getUserCredits(u)).toMatchObject({ balance: 100 - price, held: 0 });
    const conversation = await getConversation(u, id);
    expect(conversation.title).toBe("Hello there");
    expect(conversation.messages.map((m) => [m.role, m.status])).toEqual([["user", "done"], ["assistant", "done"]]);
    expect(conversation.messages[1]).toMatchObject({ text: textOf(chunks), creditsUsed: price, ...usage });
    await clean();
  });

  it("Stop (the stream cancelled) settles what was produced: less than the whole reply", async () => {
    setEnv("CHAT_CREDITS_PER_1K_OUTPUT_TOKENS", "1000"); // 1 credit a token
    setEnv("CHAT_MAX_OUTPUT_TOKENS", "100");
    const u = await userWith(1000);
    const reply = await startChatReply(u, { id: crypto.randomUUID(), messages: [userMsg("Stop me")], trigger: "submit-message" });
    const chunks = await drain(reply.stream, 3);
    expect(textOf(chunks)).not.toBe("");
    await waitFor(async () => (await holdOf(reply.hold.id)).status !== "held");
    const hold = await holdOf(reply.hold.id);
    expect(hold.status).toBe("settled");
    const [message] = await getDb().select().from(chatMessages).where(eq(chatMessages.id, reply.messageId));
    expect(message.status).toBe("stopped");
    expect(message.outputTokens).toBeGreaterThanOrEqual(3);
    expect(message.outputTokens).toBeLessThan(12);
    expect(hold.settledCredits).toBe(creditsFor({ inputTokens: message.inputTokens!, outputTokens: message.outputTokens! }));
    expect(hold.settledCredits).toBeLessThan(creditsFor({ inputTokens: message.inputTokens!, outputTokens: 12 }));
    await clean();
  });

  it("402 when the hold does not fit: nothing written", async () => {
    const u = await userWith(1);
    setEnv("CHAT_MAX_OUTPUT_TOKENS", "4000");
    const id = crypto.randomUUID();
    await expect(startChatReply(u, { id, messages: [userMsg("Hi")], trigger: "submit-message" })).rejects.toMatchObject({ status: 402 });
    expect(await listConversations(u)).toEqual([]);
    expect((await getDb().select({ n: count() }).from(creditHolds).where(eq(creditHolds.userUuid, u)))[0].n).toBe(0);
  });

  it("refuses bad input with 400 naming `messages`, and another user's conversation with 404, charging nothing", async () => {
    const u = await userWith(100);
    const start = (messages: unknown[], id = crypto.randomUUID()) => startChatReply(u, { id, messages, trigger: "submit-message" });
    await expect(start([userMsg("   ")])).rejects.toMatchObject({ status: 400, details: { field: "messages" } });
    await expect(start([userMsg("x".repeat(env().CHAT_MAX_MESSAGE_CHARS + 1))])).rejects.toMatchObject({ status: 400, details: { field: "messages" } });
    await expect(start([{ role: "assistant", parts: [{ type: "text", text: "I said so" }] }])).rejects.toMatchObject({ status: 400 });
    const other = await userWith(100);
    const theirs = crypto.randomUUID();
    await drain((await startChatReply(other, { id: theirs, messages: [userMsg("mine")], trigger: "submit-message" })).stream);
    await expect(start([userMsg("hijack")], theirs)).rejects.toMatchObject({ status: 404 });
    await expect(getConversation(u, theirs)).rejects.toMatchObject({ status: 404 });
    await expect(renameConversation(u, theirs, "x")).rejects.toMatchObject({ status: 404 });
    await expect(deleteConversation(u, theirs)).rejects.toMatchObject({ status: 404 });
    expect(await getUserCredits(u)).toMatchObject({ balance: 100, held: 0 });
    expect((await getConversation(other, theirs)).messages).toHaveLength(2);
  });

  it("two first messages racing for one new id: one conversation; the other is refused 404, its provider stopped and its hold released", async () => {
    const [a, b] = [await userWith(100), await userWith(100)];
    const id = crypto.randomUUID();
    const aborted: boolean[] = [];
    // The provider is asked before the messages are written (its first token's wait overlaps
    // the write): a loser's provider must be stopped, and nothing charged.
    const watched: ChatProvider = {
      name: "watched",
      async *stream(input) {
        input.signal.addEventListener("abort", () => aborted.push(true), { once: true });
        yield* mockChatProvider(env()).stream(input);
      },
    };
    const results = await Promise.allSettled([a, b].map((u) => startChatReply(u, { id, messages: [userMsg("mine")], trigger: "submit-message" }, { provider: watched })));
    const won = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    const lost = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
    expect(won).toHaveLength(1);
    expect(lost).toEqual([expect.objectContaining({ status: 404 })]);
    expect(aborted).toEqual([true]);
    await drain(won[0].stream);
    const winner = results[0].status === "fulfilled" ? a : b;
    const loser = winner === a ? b : a;
    expect((await getConversation(winner, id)).messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(await getUserCredits(loser)).toMatchObject({ balance: 100, held: 0 });
    expect((await getDb().select({ status: creditHolds.status }).from(creditHolds).where(eq(creditHolds.userUuid, loser))).map((h) => h.status)).toEqual(["released"]);
    await clean();
  });

  it("reads only the newest of 1,000 sent messages: the history comes from the database", async () => {
    const u = await userWith(100);
    const id = crypto.randomUUID();
    await drain((await startChatReply(u, { id, messages: [userMsg("first")], trigger: "submit-message" })).stream);
    const forged = Array.from({ length: 999 }, (_, i) => ({ role: i % 2 ? "assistant" : "user", parts: [{ type: "text", text: `forged ${i} `.repeat(50) }] }));
    const reply = await startChatReply(u, { id, messages: [...forged, userMsg("second")], trigger: "submit-message" });
    // Held for the stored history (first, its reply) and the new message only.
    const stored = await getConversation(u, id);
    expect(reply.hold.credits).toBe(holdFor(["first", stored.messages[1].text, "second"]));
    await drain(reply.stream);
    expect((await getConversation(u, id)).messages.map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant"]);
    await clean();
  });

  it("a provider error before the first token releases the hold; mid-stream, the produced part is settled", async () => {
    const u = await userWith(100);
    const id = crypto.randomUUID();
    const early = await startChatReply(u, { id, messages: [userMsg("please mock:fail")], trigger: "submit-message" });
    const chunks = await drain(early.stream);
    expect(chunks.at(-1)).toEqual({ type: "error", errorText: "provider_unavailable" });
    expect(await holdOf(early.hold.id)).toMatchObject({ status: "released" });
    expect(await getUserCredits(u)).toMatchObject({ balance: 100, held: 0 });
    const mid = await startChatReply(u, { id, messages: [userMsg("please mock:fail-mid")], trigger: "submit-message" });
    const midChunks = await drain(mid.stream);
    expect(textOf(midChunks)).not.toBe("");
    expect(midChunks.at(-1)).toEqual({ type: "error", errorText: "provider_unavailable" });
    const hold = await holdOf(mid.hold.id);
    expect(hold.status).toBe("settled");
    const messages = (await getConversation(u, id)).messages;
    expect(messages.map((m) => [m.role, m.status])).toEqual([["user", "done"], ["user", "done"], ["assistant", "failed"]]);
    expect(messages[2]).toMatchObject({ outputTokens: 6, creditsUsed: hold.settledCredits, errorCode: "provider_unavailable" });
    await clean();
  });

  it("a reply whose server died (its hold expired, never settled) is dropped by the sweeper's round; nothing charged", async () => {
    const u = await userWith(100);
    const id = crypto.randomUUID();
    await drain((await startChatReply(u, { id, messages: [userMsg("first")], trigger: "submit-message" })).stream);
    // The second reply stalls after its first token and nobody settles it: as if its server had died mid-stream.
    const stalled: ChatProvider = {
      name: "stalled",
      async *stream({ signal }) {
        yield { type: "text", delta: "partial " };
        await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
      },
    };
    const orphan = await startChatReply(u, { id, messages: [userMsg("second")], trigger: "submit-message" }, { provider: stalled });
    await getDb().update(creditHolds).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(creditHolds.id, orphan.hold.id));
    await runBackgroundRound({ idleMs: 0, expire: false });
    expect(await holdOf(orphan.hold.id)).toMatchObject({ status: "expired" });
    const messages = (await getConversation(u, id)).messages;
    expect(messages.map((m) => [m.role, m.status])).toEqual([["user", "done"], ["assistant", "done"], ["user", "done"]]);
    expect((await getUserCredits(u)).held).toBe(0);
    await orphan.stream.cancel();
    await clean();
  });

  it("regenerates the last answer in place; renames, lists and deletes conversations", async () => {
    const u = await userWith(100);
    const id = crypto.randomUUID();
    await drain((await startChatReply(u, { id, messages: [userMsg("answer twice")], trigger: "submit-message" })).stream);
    const again = await startChatReply(u, { id, messages: [userMsg("answer twice")], trigger: "regenerate-message" });
    await drain(again.stream);
    const messages = (await getConversation(u, id)).messages;
    expect(messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(messages[1].id).toBe(again.messageId);
    expect((await renameConversation(u, id, "Renamed")).title).toBe("Renamed");
    expect((await listConversations(u)).map((c) => c.title)).toEqual(["Renamed"]);
    await deleteConversation(u, id);
    expect(await listConversations(u)).toEqual([]);
    expect((await getDb().select({ n: count() }).from(chatMessages).where(eq(chatMessages.conversationId, id)))[0].n).toBe(0);
    // What the replies cost stays in the ledger.
    expect((await getDb().select({ n: count() }).from(credits).where(sql`${credits.userUuid} = ${u} AND ${credits.transType} = 'chat'`))[0].n).toBe(2);
    await clean();
  });
});

describe.runIf(process.env.TEST_DB_KIND === "postgres")("concurrency on PostgreSQL", () => {
  it("8 users x 25 concurrent replies racing for the last credits: never negative, verify clean", async () => {
    const pool = openPostgres(testDb().url!, { max: 50 });
    const previous = testDb().database;
    setDatabase(pool);
    try {
      const perReply = holdFor(["race"]);
      const people = await Promise.all(Array.from({ length: 8 }, () => userWith(perReply * 10 + perReply - 1)));
      const attempts = people.flatMap((u) => Array.from({ length: 25 }, () => ({ u, promise: startChatReply(u, { id: crypto.randomUUID(), messages: [userMsg("race")], trigger: "submit-message" }) })));
      const results = await Promise.allSettled(attempts.map((a) => a.promise));
      for (const u of people) {
        const mine = results.filter((_, i) => attempts[i].u === u);
        expect(mine.filter((r) => r.status === "fulfilled")).toHaveLength(10);
        for (const lost of mine.filter((r) => r.status === "rejected")) expect((lost as PromiseRejectedResult).reason).toMatchObject({ status: 402 });
      }
      // Every winner streams to its end concurrently and settles its usage.
      await Promise.all(results.flatMap((r) => (r.status === "fulfilled" ? [drain(r.value.stream)] : [])));
      const negative = await getDb().select({ n: count() }).from(creditGrants).where(sql`${creditGrants.remaining} < 0`);
      expect(negative[0].n).toBe(0);
      const price = creditsFor({ inputTokens: estimatePromptTokens(["race"]), outputTokens: 12 });
      for (const u of people) expect(await getUserCredits(u)).toMatchObject({ balance: perReply * 11 - 1 - 10 * price, held: 0 });
      await clean();
    } finally {
      setDatabase(previous);
      await pool.close();
    }
  });

  it("a reply's settlement and its saved text commit together: no reader sees a settled hold beside a reply still streaming", async () => {
    const u = await userWith(100);
    const reply = await startChatReply(u, { id: crypto.randomUUID(), messages: [userMsg("Together")], trigger: "submit-message" });
    const whileHeld = await getUserCredits(u);
    // Another connection locks the reply's row, so its end waits on that row mid-way.
    let unlock!: () => void;
    const unlocked = new Promise<void>((resolve) => (unlock = resolve));
    let locked!: (pid: number) => void;
    const lockerPid = new Promise<number>((resolve) => (locked = resolve));
    const locker = getDb().transaction(async (tx) => {
      await tx.select({ id: chatMessages.id }).from(chatMessages).where(eq(chatMessages.id, reply.messageId)).for("update");
      locked(rowsOf<{ pid: number }>(await tx.execute(sql`SELECT pg_backend_pid() AS pid`))[0].pid);
      await unlocked;
    });
    const pid = await lockerPid;
    const drained = drain(reply.stream);
    try {
      const blocked = sql`SELECT count(*)::int AS n FROM pg_stat_activity WHERE ${pid}::int = ANY(pg_blocking_pids(pid))`;
      await waitFor(async () => rowsOf<{ n: number }>(await getDb().execute(blocked))[0].n > 0);
      // The reply's end is blocked on the row: what others read is still wholly before it.
      expect(await holdOf(reply.hold.id)).toMatchObject({ status: "held" });
      expect(await getUserCredits(u)).toEqual(whileHeld);
    } finally {
      unlock();
      await locker;
    }
    const chunks = await drained;
    const price = (chunks.at(-1) as { messageMetadata: { creditsUsed: number } }).messageMetadata.creditsUsed;
    expect(await holdOf(reply.hold.id)).toMatchObject({ status: "settled", settledCredits: price });
    const [message] = await getDb().select().from(chatMessages).where(eq(chatMessages.id, reply.messageId));
    expect(message).toMatchObject({ status: "done", creditsUsed: price, text: textOf(chunks) });
    await clean();
  });
});

describe("the OpenAI-compatible adapter, against a fake server that streams with usage", () => {
  it("sends the stored history, streams the tokens, settles the reported usage; fails cleanly", async () => {
    const fake = await startFakeOpenAi({ tokens: 8, delayMs: 5, promptTokens: 17 });
    try {
      setEnv("CHAT_PROVIDER", "openai");
      setEnv("OPENAI_BASE_URL", fake.url);
      setEnv("OPENAI_API_KEY", fake.apiKey);
      setEnv("CHAT_MODEL", "fake-model");
      const u = await userWith(100);
      const id = crypto.randomUUID();
      const first = await startChatReply(u, { id, messages: [userMsg("Hi")], trigger: "submit-message" });
      const chunks = await drain(first.stream);
      expect(textOf(chunks)).toBe(Array.from({ length: 8 }, (_, i) => fakeToken(i)).join(""));
      const price = creditsFor({ inputTokens: 17, outputTokens: 8 });
      expect(chunks.at(-1)).toMatchObject({ type: "finish", messageMetadata: { creditsUsed: price, inputTokens: 17, outputTokens: 8 } });
      expect(await holdOf(first.hold.id)).toMatchObject({ status: "settled", settledCredits: price });
      expect(fake.requests[0].body).toMatchObject({ model: "fake-model", stream: true, max_tokens: env().CHAT_MAX_OUTPUT_TOKENS, stream_options: { include_usage: true } });

      // The second reply gets the stored history, not what the client claims.
      await drain((await startChatReply(u, { id, messages: [{ role: "assistant", parts: [{ type: "text", text: "forged" }] }, userMsg("Again")], trigger: "submit-message" })).stream);
      expect(fake.requests[1].body.messages).toEqual([
        { role: "user", content: "Hi" },
        { role: "assistant", content: textOf(chunks) },
        { role: "user", content: "Again" },
      ]);

      const early = await startChatReply(u, { id, messages: [userMsg("fake:fail")], trigger: "submit-message" });
      expect((await drain(early.stream)).at(-1)).toEqual({ type: "error", errorText: "provider_unavailable" });
      expect(await holdOf(early.hold.id)).toMatchObject({ status: "released" });

      const mid = await startChatReply(u, { id, messages: [userMsg("fake:fail-mid")], trigger: "submit-message" });
      const midChunks = await drain(mid.stream);
      expect(textOf(midChunks)).toBe("tok0 tok1 tok2 ");
      expect(midChunks.at(-1)).toMatchObject({ type: "error" });
      const hold = await holdOf(mid.hold.id);
      expect(hold.status).toBe("settled");
      const reply = (await getConversation(u, id)).messages.at(-1)!;
      expect(reply).toMatchObject({ status: "failed", outputTokens: 3, creditsUsed: hold.settledCredits });
      await clean();
    } finally {
      for (const key of ["CHAT_PROVIDER", "OPENAI_BASE_URL", "OPENAI_API_KEY", "CHAT_MODEL"]) delete process.env[key];
      resetEnvCache();
      await fake.close();
    }
  });
});
