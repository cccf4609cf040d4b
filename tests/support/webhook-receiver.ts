// A local HTTP server standing in for a customer's webhook endpoint: records every
// delivery (headers, raw body, parsed body) and answers with the statuses queued by
// the test (`answerNext(500, 500)`), then 200 (or `answerByDefault`). `url` is plain http on 127.0.0.1, so the
// app must run with WEBHOOK_ALLOW_PRIVATE_URLS=true to deliver to it.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedWebhook {
  headers: Record<string, string>;
  raw: string;
  body: { type: string; timestamp: string; data: Record<string, unknown> };
  status: number;
  /** Date.now() when it arrived. */
  at: number;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Statuses the next deliveries get, in order (afterwards: the default answer). */
  answerNext(...statuses: number[]): void;
  /** The answer when nothing is queued (200 unless changed). */
  answerByDefault(status: number): void;
  /** Resolves when `count` deliveries (all answered, any status) have arrived, else fails after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(options: { port?: number } = {}): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const queue: number[] = [];
  let fallback = 200;
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const status = queue.shift() ?? fallback;
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    let body: ReceivedWebhook["body"];
    try {
      body = JSON.parse(raw);
    } catch {
      body = { type: "(not json)", timestamp: "", data: {} };
    }
    received.push({ headers, raw, body, status, at: Date.now() });
    res.writeHead(status, { "content-type": "text/plain" });
    res.end(status < 300 ? "ok" : "try again");
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    answerNext: (...statuses) => queue.push(...statuses),
    answerByDefault: (status) => {
      fallback = status;
    },
    async waitFor(count, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} webhook deliveries, got ${received.length}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return received.slice(0, count);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
