import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { streamText } from "ai";
import { env, type Env } from "@/lib/env";
import { ProviderError, classifyProviderFailure } from "@/lib/provider-errors";
import { estimatePromptTokens } from "./pricing";

/**
 * Chat providers: one interface, chosen by CHAT_PROVIDER. A provider streams a reply's
 * text and, when it knows it, the usage it bills for; the billing (./reply.ts) does the
 * rest. To add one: implement ChatProvider and list it in CHAT_PROVIDERS (and in the
 * CHAT_PROVIDER enum of src/lib/env.ts).
 */
export interface ChatTurn {
  role: "user" | "assistant";
  text: string;
}

export type ChatEvent = { type: "text"; delta: string } | { type: "usage"; inputTokens: number; outputTokens: number };

export interface ChatStreamInput {
  messages: ChatTurn[];
  maxOutputTokens: number;
  /** Aborted on Stop, a dropped connection or the hold's deadline: stop producing at once. */
  signal: AbortSignal;
}

export interface ChatProvider {
  name: string;
  /** The reply, streamed. Throws ProviderError (user-facing code) when the provider fails. */
  stream(input: ChatStreamInput): AsyncIterable<ChatEvent>;
}

// ---------------------------------------------------------------------------
// mock: no key, a deterministic reply of CHAT_MOCK_TOKENS tokens, one every CHAT_MOCK_DELAY_MS
// ---------------------------------------------------------------------------

const MOCK_WORDS = [
  "This", "is", "the", "**mock**", "chat", "provider.", "It", "streams", "a", "deterministic",
  "reply", "so", "that", "billing,", "Stop", "and", "regenerate", "can", "be", "tried",
  "without", "a", "key.\n\n-", "Set", "`CHAT_PROVIDER=openai`", "for", "a", "real", "model.\n-",
  "Every", "token", "is", "billed", "from", "the", "usage", "the", "provider", "reports.\n\n",
];

/** The mock's i-th token (each one word and its space). */
export function mockToken(i: number): string {
  const word = MOCK_WORDS[i % MOCK_WORDS.length];
  return word.endsWith("\n") ? word : `${word} `;
}

/**
 * Fails on demand, like the task mock: a message containing `mock:fail` fails before the
 * first token, `mock:fail-mid` after half the reply.
 */
function mockFailurePoint(text: string, tokens: number): number | null {
  if (text.includes("mock:fail-mid")) return Math.floor(tokens / 2);
  if (text.includes("mock:fail")) return 0;
  return null;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted || ms <= 0) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });

export function mockChatProvider(e: Env = env()): ChatProvider {
  return {
    name: "mock",
    async *stream({ messages, maxOutputTokens, signal }) {
      const tokens = Math.min(e.CHAT_MOCK_TOKENS, maxOutputTokens);
      const failAt = mockFailurePoint(messages.at(-1)?.text ?? "", tokens);
      for (let i = 0; i < tokens; i++) {
        if (i === failAt) throw new ProviderError("provider_unavailable", "mock:fail (asked for by the message)");
        await sleep(e.CHAT_MOCK_DELAY_MS, signal);
        if (signal.aborted) return;
        yield { type: "text", delta: mockToken(i) };
      }
      yield { type: "usage", inputTokens: estimatePromptTokens(messages.map((m) => m.text)), outputTokens: tokens };
    },
  };
}

// ---------------------------------------------------------------------------
// openai: any OpenAI-compatible chat completions API, through the AI SDK
// ---------------------------------------------------------------------------

function asProviderError(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  const e = error as { statusCode?: number; message?: string; name?: string } | null;
  const message = e?.message ?? String(error);
  const code = e?.name === "AbortError" ? "timed_out" : classifyProviderFailure({ status: e?.statusCode, message });
  // No answer, or a stream cut after a 200: the provider is unreachable or broke off, not the request's fault.
  const cut = e?.statusCode === undefined || e.statusCode < 300;
  return new ProviderError(code === "internal" && cut ? "provider_unavailable" : code, message, e?.statusCode, { cause: error });
}

export function openAiChatProvider(e: Env = env()): ChatProvider {
  const provider = createOpenAICompatible({
    name: "openai",
    baseURL: e.OPENAI_BASE_URL,
    apiKey: e.OPENAI_API_KEY,
    // Ask for the usage in the stream's last chunk (stream_options.include_usage).
    includeUsage: true,
  });
  return {
    name: "openai",
    async *stream({ messages, maxOutputTokens, signal }) {
      const result = streamText({
        model: provider.chatModel(e.CHAT_MODEL),
        messages: messages.map((m) => ({ role: m.role, content: m.text })),
        maxOutputTokens,
        abortSignal: signal,
        // The hold is already taken and the user is waiting: fail fast rather than retry.
        maxRetries: 0,
        onError: () => {}, // reported below, as a ProviderError
      });
      for await (const part of result.fullStream) {
        if (part.type === "text-delta") {
          if (part.text) yield { type: "text", delta: part.text };
        } else if (part.type === "finish") {
          const { inputTokens, outputTokens } = part.totalUsage;
          if (inputTokens !== undefined && outputTokens !== undefined) yield { type: "usage", inputTokens, outputTokens };
        } else if (part.type === "error") {
          throw asProviderError(part.error);
        } else if (part.type === "abort") {
          return;
        }
      }
    },
  };
}

export const CHAT_PROVIDERS: Record<Env["CHAT_PROVIDER"], (e: Env) => ChatProvider> = {
  mock: mockChatProvider,
  openai: openAiChatProvider,
};

/** The provider CHAT_PROVIDER names. */
export function chatProvider(e: Env = env()): ChatProvider {
  return CHAT_PROVIDERS[e.CHAT_PROVIDER](e);
}
