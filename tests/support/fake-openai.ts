// A local stand-in for an OpenAI-compatible chat completions API (OpenAI, OpenRouter, vLLM,
// ...), in its documented streaming shape: POST {base}/chat/completions with `stream: true`
// answers server-sent events of `chat.completion.chunk` objects, one token each, and, when
// asked with `stream_options.include_usage`, a last chunk with `usage` and no choices,
// then `data: [DONE]`. Bearer auth. The last user message chooses a failure:
//   "fake:fail"      500 with an OpenAI error body (before any token)
//   "fake:fail-mid"  the connection is cut after 3 tokens
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeOpenAiRequest {
  authorization: string | undefined;
  body: {
    model: string;
    messages: Array<{ role: string; content: string }>;
    stream?: boolean;
    max_tokens?: number;
    stream_options?: { include_usage?: boolean };
  };
}

export interface FakeOpenAi {
  /** The base URL to give as OPENAI_BASE_URL (ends in /v1). */
  url: string;
  apiKey: string;
  requests: FakeOpenAiRequest[];
  /** Tokens per reply, the delay between them, and the prompt tokens it reports. */
  options: { tokens: number; delayMs: number; promptTokens: number };
  close(): Promise<void>;
}

export const fakeToken = (i: number) => `tok${i} `;

export async function startFakeOpenAi(options: Partial<FakeOpenAi["options"]> = {}): Promise<FakeOpenAi> {
  const apiKey = "sk-fake-openai-key";
  const requests: FakeOpenAiRequest[] = [];
  const settings = { tokens: 8, delayMs: 30, promptTokens: 17, ...options };
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.method !== "POST" || req.url !== "/v1/chat/completions") {
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "not found" } }));
      return;
    }
    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "Incorrect API key provided", type: "invalid_request_error" } }));
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as FakeOpenAiRequest["body"];
    requests.push({ authorization: req.headers.authorization, body });
    const last = body.messages.at(-1)?.content ?? "";
    if (last.includes("fake:fail") && !last.includes("fake:fail-mid")) {
      res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "The server had an error while processing your request.", type: "server_error" } }));
      return;
    }
    const id = `chatcmpl-${Date.now()}`;
    const created = Math.floor(Date.now() / 1000);
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
      `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: body.model, choices, ...extra })}\n\n`;
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    let closed = false;
    res.on("close", () => (closed = true));
    res.write(chunk([{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }]));
    const tokens = Math.min(settings.tokens, body.max_tokens ?? Infinity);
    for (let i = 0; i < tokens; i++) {
      await new Promise((r) => setTimeout(r, settings.delayMs));
      if (closed) return;
      if (last.includes("fake:fail-mid") && i === 3) {
        res.destroy();
        return;
      }
      res.write(chunk([{ index: 0, delta: { content: fakeToken(i) }, finish_reason: null }]));
    }
    res.write(chunk([{ index: 0, delta: {}, finish_reason: "stop" }]));
    if (body.stream_options?.include_usage) {
      res.write(chunk([], { usage: { prompt_tokens: settings.promptTokens, completion_tokens: tokens, total_tokens: settings.promptTokens + tokens } }));
    }
    res.end("data: [DONE]\n\n");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    apiKey,
    requests,
    options: settings,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
