/**
 * Chat benchmark: the time to first token of POST /api/chat (`next start`, PostgreSQL,
 * the mock provider) against the same mock stream served alone, in the same run. What the
 * app adds before the first token: the session, parsing, the conversation and history
 * reads, the credit hold (one committed transaction), writing the messages. Goal: the
 * added median <= 20 ms.
 *
 *   alone   a bare node:http server in this process answering the mock provider's stream
 *           as the AI SDK UI message stream (createUIMessageStreamResponse), no database;
 *   app     POST /api/chat, a new conversation each time, users taken in turn.
 *
 * Both use CHAT_MOCK_DELAY_MS = 20 before each token (so the first token's own wait is in
 * both), and each reply is read to its end (the app settles its hold then). Requests are
 * sequential and interleaved (alone, app, alone, ...), BENCH_CHAT_REQUESTS pairs (default 60)
 * after a warm-up.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { createUIMessageStream, createUIMessageStreamResponse } from "ai";
import type { Env } from "@/lib/env";
import { grantCredits } from "@/services/credits/ledger";
import { mockChatProvider } from "@/services/chat/providers";
import { signUpUsers, startFreshApp } from "../tests/reliability/harness";
import { median, percentile, printTable, runIfMain } from "./stats";

const MOCK = { CHAT_MOCK_TOKENS: 5, CHAT_MOCK_DELAY_MS: 20 };

/** The mock stream served alone: no session, no database, no hold. */
async function startAlone(): Promise<{ url: string; close(): Promise<void> }> {
  const provider = mockChatProvider(MOCK as Env);
  const server = http.createServer(async (req, res) => {
    for await (const chunk of req) void chunk;
    const controller = new AbortController();
    res.on("close", () => controller.abort());
    const stream = createUIMessageStream({
      async execute({ writer }) {
        writer.write({ type: "start" });
        writer.write({ type: "text-start", id: "text" });
        for await (const event of provider.stream({ messages: [{ role: "user", text: "hello" }], maxOutputTokens: 1024, signal: controller.signal })) {
          if (event.type === "text") writer.write({ type: "text-delta", id: "text", delta: event.delta });
        }
        writer.write({ type: "text-end", id: "text" });
        writer.write({ type: "finish" });
      },
    });
    const response = createUIMessageStreamResponse({ stream });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    Readable.fromWeb(response.body! as import("node:stream/web").ReadableStream).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Milliseconds from sending the request to the first text-delta; the stream is read to its end. */
async function timeToFirstToken(url: string, init: RequestInit): Promise<number> {
  const started = performance.now();
  const res = await fetch(url, init);
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let first: number | null = null;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    if (first === null && text.includes('"text-delta"')) first = performance.now() - started;
  }
  if (first === null) throw new Error(`${url}: no token in ${text.slice(0, 300)}`);
  return first;
}

export async function runChatBench() {
  const adminUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    console.log("\nChat: skipped (needs BENCH_DATABASE_URL or TEST_DATABASE_URL: the app runs on PostgreSQL)");
    return null;
  }
  const pairs = Number(process.env.BENCH_CHAT_REQUESTS ?? 60);
  console.log("\nChat benchmark: building and starting next start on a fresh PostgreSQL database …");
  const app = await startFreshApp({
    adminUrl,
    prefix: "bench_chat",
    env: {
      CHAT_MOCK_TOKENS: String(MOCK.CHAT_MOCK_TOKENS),
      CHAT_MOCK_DELAY_MS: String(MOCK.CHAT_MOCK_DELAY_MS),
      // A loaded host can stall a statement past the default 2.5 s (503): the figure is the latency, not the timeout.
      DATABASE_STATEMENT_TIMEOUT_MS: process.env.BENCH_STATEMENT_TIMEOUT_MS ?? "30000",
    },
  });
  const alone = await startAlone();
  try {
    const users = await signUpUsers(app, 4, "bench-chat");
    for (const u of users) await grantCredits({ userUuid: u.userUuid, credits: 1_000_000, transType: "system_add", validityDays: 365 }, app.database.db);
    const body = JSON.stringify({ id: "", messages: [{ role: "user", parts: [{ type: "text", text: "hello" }] }] });
    const viaApp = (i: number) =>
      timeToFirstToken(`${app.url}/api/chat`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie: users[i % users.length].cookie, origin: app.url },
        body: body.replace('"id":""', `"id":"${crypto.randomUUID()}"`),
      });
    const viaAlone = () => timeToFirstToken(alone.url, { method: "POST", headers: { "content-type": "application/json" }, body });
    for (let i = 0; i < 10; i++) {
      await viaAlone();
      await viaApp(i);
    }
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < pairs; i++) {
      a.push(await viaAlone());
      b.push(await viaApp(i));
    }
    const sa = [...a].sort((x, y) => x - y);
    const sb = [...b].sort((x, y) => x - y);
    const ms = (v: number) => v.toFixed(1);
    printTable(
      `Chat time to first token (${pairs} interleaved requests each, sequential; mock: a token every ${MOCK.CHAT_MOCK_DELAY_MS} ms)`,
      ["stream", "median ms", "p90 ms", "p99 ms"],
      [
        ["baseline: the mock stream served alone", ms(median(a)), ms(percentile(sa, 90)), ms(percentile(sa, 99))],
        ["POST /api/chat (session, hold, messages)", ms(median(b)), ms(percentile(sb, 90)), ms(percentile(sb, 99))],
      ],
    );
    const added = median(b) - median(a);
    console.log(`added time to first token (median): ${added.toFixed(1)} ms (${(median(b) / median(a)).toFixed(2)} x the stream alone)  goal <= 20 ms: ${added <= 20 ? "met" : "NOT met"}`);
    return { alone: median(a), app: median(b), added };
  } finally {
    await alone.close();
    await app.close();
  }
}

// `npx tsx bench/chat.ts` runs this benchmark alone.
runIfMain(import.meta.url, runChatBench);
