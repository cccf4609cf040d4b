import { env, type Env } from "@/lib/env";

/**
 * What a chat reply costs (docs/chat.md "Billing"). Prices are per 1,000 tokens, from the
 * environment; a reply's price is rounded up to whole credits.
 *
 *   holdFor(prompt)   the most the reply can cost: the prompt at its largest possible token
 *                     count plus CHAT_MAX_OUTPUT_TOKENS, at least 1 credit. Held before the
 *                     provider is called.
 *   creditsFor(usage) the price of the tokens used, never more than the hold (settled).
 */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

/** A prompt as the provider gets it: the turns' texts. */
export type PromptTexts = readonly string[];

// Each turn costs a few tokens of framing (role markers) on top of its text.
const TOKENS_PER_TURN = 4;
const TOKENS_PER_PROMPT = 3;

/**
 * The largest number of tokens a prompt can take: no tokenizer makes a token of less than
 * one UTF-8 byte, so its bytes bound it, whatever the model. The hold uses it, so a
 * provider's reported prompt tokens never exceed what was held for.
 */
export function maxPromptTokens(prompt: PromptTexts): number {
  let bytes = 0;
  for (const text of prompt) bytes += Buffer.byteLength(text, "utf8") + TOKENS_PER_TURN;
  return bytes + TOKENS_PER_PROMPT;
}

/**
 * A fair guess of a prompt's tokens (about 4 characters a token): what a reply stopped
 * before its provider reported usage is billed for, and what the mock reports.
 */
export function estimatePromptTokens(prompt: PromptTexts): number {
  let tokens = TOKENS_PER_PROMPT;
  for (const text of prompt) tokens += Math.ceil(text.length / 4) + TOKENS_PER_TURN;
  return tokens;
}

/** The price of `usage` in whole credits (rounded up). */
export function creditsFor(usage: TokenUsage, e: Env = env()): number {
  const price = usage.inputTokens * e.CHAT_CREDITS_PER_1K_INPUT_TOKENS + usage.outputTokens * e.CHAT_CREDITS_PER_1K_OUTPUT_TOKENS;
  // Rounding guards against 0.1 + 0.2 style noise turning an exact price into one more credit.
  return Math.ceil(Math.round(price * 1000) / 1_000_000);
}

/** The most a reply to `prompt` can cost: what is held before the provider is called (at least 1). */
export function holdFor(prompt: PromptTexts, e: Env = env()): number {
  return Math.max(1, creditsFor({ inputTokens: maxPromptTokens(prompt), outputTokens: e.CHAT_MAX_OUTPUT_TOKENS }, e));
}
