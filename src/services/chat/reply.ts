import { randomUUID } from "node:crypto";
import type { UIMessageChunk } from "ai";
import { and, eq, gt, sql } from "drizzle-orm";
import { getDb, type Executor } from "@/db";
import { chatConversations, chatMessages, type ChatMessageStatus } from "@/db/schema";
import { env, type Env } from "@/lib/env";
import { BadRequestError } from "@/lib/http/errors";
import { logger } from "@/lib/logger";
import { providerErrorCodeOf } from "@/lib/provider-errors";
import type { ChatReplyMetadata, ChatRequest } from "@/lib/schemas/chat";
import { holdCreditsAs } from "@/services/api-keys";
import { releaseHold, settleHold, type CreditHold } from "@/services/credits/holds";
import { UnknownConversationError, recentMessages, titleFrom } from "./conversations";
import { creditsFor, estimatePromptTokens, holdFor, type TokenUsage } from "./pricing";
import { chatProvider, type ChatEvent, type ChatProvider, type ChatTurn } from "./providers";

/**
 * A chat reply, billed through a credit hold (docs/chat.md):
 *
 *  1. the newest message is read and checked (400), the conversation must be the user's or
 *     new (404), the history comes from the database;
 *  2. the most the reply can cost is held (402: nothing written, the provider not called);
 *  3. the provider is called and, while it prepares its first token, the user's message and
 *     the reply's row are written (committed before the answer starts); its text is streamed
 *     as the AI SDK's UI message chunks;
 *  4. the hold resolves once, when the stream ends: the reported usage is settled; on Stop,
 *     a dropped connection, the hold's deadline or a provider error mid-reply, what was
 *     produced is settled; when nothing was produced it is released. If the server dies,
 *     the hold expires (CHAT_HOLD_TTL_SECONDS) and the sweeper releases it.
 */

/** The ledger's trans_type of a reply's spend (the credits page labels it). */
export const CHAT_TRANS_TYPE = "chat";

export type ChatChunk = UIMessageChunk<ChatReplyMetadata>;

export interface ChatReply {
  conversationId: string;
  messageId: string;
  hold: CreditHold;
  /** The UI message stream (the route answers it as server-sent events). */
  stream: ReadableStream<ChatChunk>;
}

export interface ChatReplyOptions {
  /** The request's signal: aborted when the client goes away. */
  signal?: AbortSignal;
  /** The API key the request came with (null or absent: a browser session): the hold counts against its monthly cap. */
  apiKeyId?: string | null;
  provider?: ChatProvider;
  env?: Env;
}

/** The text of the newest message, which must be the user's: 400 (field `messages`) otherwise. */
export function newestUserText(messages: readonly unknown[], maxChars: number): string {
  const last = messages.at(-1) as { role?: unknown; parts?: unknown; content?: unknown } | undefined;
  if (!last || typeof last !== "object") throw new BadRequestError("messages: the newest message must be an object", "messages");
  if (last.role !== "user") throw new BadRequestError("messages: the newest message must be the user's (role \"user\")", "messages");
  let text: string;
  if (Array.isArray(last.parts)) {
    text = last.parts
      .filter((p): p is { type: "text"; text: string } => !!p && typeof p === "object" && p.type === "text" && typeof p.text === "string")
      .map((p) => p.text)
      .join("");
  } else if (typeof last.content === "string") {
    text = last.content;
  } else {
    throw new BadRequestError("messages: the newest message has no text parts", "messages");
  }
  text = text.trim();
  if (text === "") throw new BadRequestError("messages: the message must not be empty", "messages");
  if (text.length > maxChars) throw new BadRequestError(`messages: the message must be at most ${maxChars} characters`, "messages");
  return text;
}

/**
 * Starts a reply to the user's newest message. Throws before anything is written or held:
 * BadRequestError (400), UnknownConversationError (404: another user's conversation, or a
 * regeneration in one that does not exist), InsufficientCreditsError (402: the provider is
 * not called).
 */
export async function startChatReply(userUuid: string, request: ChatRequest, options: ChatReplyOptions = {}): Promise<ChatReply> {
  const e = options.env ?? env();
  const db = getDb();
  const conversationId = request.id;
  const text = newestUserText(request.messages, e.CHAT_MAX_MESSAGE_CHARS);
  const regenerate = request.trigger === "regenerate-message";

  const [existing] = await db.select().from(chatConversations).where(eq(chatConversations.id, conversationId)).limit(1);
  if (existing && existing.userUuid !== userUuid) throw new UnknownConversationError();
  if (regenerate && !existing) throw new UnknownConversationError();

  // The prompt: the stored history, then the new message (or, to regenerate, the history
  // up to its last user message, whose replies are replaced).
  const history: ChatTurn[] = (existing ? await recentMessages(conversationId, e.CHAT_HISTORY_MESSAGES + (regenerate ? 1 : 0), db) : []).map(
    (m) => ({ role: m.role, text: m.text }),
  );
  if (regenerate) {
    while (history.length > 0 && history.at(-1)!.role === "assistant") history.pop();
    if (history.length === 0) throw new BadRequestError("messages: there is no message to answer again", "messages");
  }
  const prompt: ChatTurn[] = regenerate ? history : [...history.slice(history.length - e.CHAT_HISTORY_MESSAGES), { role: "user", text }];

  const messageId = randomUUID();
  const { hold } = await holdCreditsAs(options.apiKeyId ?? null, userUuid, holdFor(prompt.map((t) => t.text), e), {
    reason: "chat reply",
    transType: CHAT_TRANS_TYPE,
    expiresAt: new Date(Date.now() + e.CHAT_HOLD_TTL_SECONDS * 1000),
    metadata: { conversation: conversationId, message: messageId },
  });

  // The provider is asked at once: its wait for the first token runs while the messages are
  // written (they commit before the answer starts; if they cannot be, the reply is dropped).
  const provider = options.provider ?? chatProvider(e);
  const abort = new AbortController();
  const events = startEarly(provider.stream({ messages: prompt, maxOutputTokens: e.CHAT_MAX_OUTPUT_TOKENS, signal: abort.signal }));

  try {
    await db.transaction(async (tx) => {
      const now = new Date();
      if (!existing) {
        await tx.insert(chatConversations).values({ id: conversationId, userUuid, title: titleFrom(text), createdAt: now, updatedAt: now }).onConflictDoNothing();
        // Two first messages racing for one new id: the conversation is whoever's insert won.
        const [owner] = await tx.select({ userUuid: chatConversations.userUuid }).from(chatConversations).where(eq(chatConversations.id, conversationId));
        if (owner?.userUuid !== userUuid) throw new UnknownConversationError();
      } else {
        await tx.update(chatConversations).set({ updatedAt: now }).where(eq(chatConversations.id, conversationId));
      }
      if (regenerate) {
        const [lastUser] = await tx
          .select({ createdAt: chatMessages.createdAt })
          .from(chatMessages)
          .where(and(eq(chatMessages.conversationId, conversationId), eq(chatMessages.role, "user")))
          .orderBy(sql`${chatMessages.createdAt} DESC`)
          .limit(1);
        if (lastUser) {
          await tx.delete(chatMessages).where(and(eq(chatMessages.conversationId, conversationId), gt(chatMessages.createdAt, lastUser.createdAt)));
        }
      } else {
        await tx.insert(chatMessages).values({ id: randomUUID(), conversationId, role: "user", text, createdAt: now });
      }
      // The reply comes after the message it answers, whatever the clock's resolution.
      await tx.insert(chatMessages).values({
        id: messageId,
        conversationId,
        role: "assistant",
        text: "",
        status: "streaming",
        holdId: hold.id,
        createdAt: new Date(now.getTime() + 1),
      });
    });
  } catch (error) {
    abort.abort();
    events.drop();
    await releaseHold(hold).catch((err) => logger.error({ hold: hold.id, error: (err as Error).message }, "[chat] releasing a hold failed"));
    throw error;
  }

  const stream = replyStream({ provider, events, abort, prompt, hold, conversationId, messageId, e, signal: options.signal });
  return { conversationId, messageId, hold, stream };
}

/** A stream whose first event is asked for now (a rejection waits for the reader); `drop` lets it go unread. */
function startEarly<T>(iterable: AsyncIterable<T>): AsyncIterable<T> & { drop(): void } {
  const iterator = iterable[Symbol.asyncIterator]();
  let first: Promise<IteratorResult<T>> | null = iterator.next();
  first.catch(() => {});
  return {
    [Symbol.asyncIterator]: () => ({
      next: () => {
        const next = first ?? iterator.next();
        first = null;
        return next;
      },
      return: async (value?: unknown) => {
        await first?.catch(() => {});
        first = null;
        return (await iterator.return?.(value)) ?? { done: true, value: undefined };
      },
    }),
    drop: () => {
      void first?.then(() => iterator.return?.(), () => {});
      first = null;
    },
  };
}

interface ReplyContext {
  provider: ChatProvider;
  /** The provider's stream, already started. */
  events: AsyncIterable<ChatEvent>;
  /** Aborts the provider: Stop, a dropped connection, the hold's deadline. */
  abort: AbortController;
  prompt: ChatTurn[];
  hold: CreditHold;
  conversationId: string;
  messageId: string;
  e: Env;
  signal?: AbortSignal;
}

const TEXT_PART = "text";

/** The provider's reply as UI message chunks; the hold resolves when it ends, however it ends. */
function replyStream(ctx: ReplyContext): ReadableStream<ChatChunk> {
  const { abort } = ctx;
  let clientGone = false;
  let closed = false;
  const goneListener = () => {
    clientGone = true;
    abort.abort();
  };

  return new ReadableStream<ChatChunk>({
    start(controller) {
      const send = (chunk: ChatChunk) => {
        if (closed || clientGone) return;
        try {
          controller.enqueue(chunk);
        } catch {
          clientGone = true;
        }
      };
      const close = () => {
        if (closed) return;
        closed = true;
        try {
          controller.close();
        } catch {
          // cancelled already
        }
      };
      if (ctx.signal?.aborted) goneListener();
      ctx.signal?.addEventListener("abort", goneListener, { once: true });
      void runReply(ctx, send).finally(() => {
        ctx.signal?.removeEventListener("abort", goneListener);
        close();
      });
    },
    cancel() {
      goneListener();
    },
  });
}

async function runReply(ctx: ReplyContext, send: (chunk: ChatChunk) => void): Promise<void> {
  const { provider, abort, prompt, hold, e } = ctx;
  // Cut the reply off before its hold can expire, so it is settled while the hold stands.
  const ttlMs = e.CHAT_HOLD_TTL_SECONDS * 1000;
  const deadline = setTimeout(() => abort.abort(), ttlMs - Math.min(30_000, ttlMs / 4));
  send({ type: "start", messageId: ctx.messageId, messageMetadata: { conversationId: ctx.conversationId, heldCredits: hold.credits } });

  let text = "";
  let produced = 0;
  let reported: TokenUsage | null = null;
  let failure: unknown = null;
  try {
    for await (const event of ctx.events) {
      if (event.type === "usage") {
        reported = { inputTokens: event.inputTokens, outputTokens: event.outputTokens };
        continue;
      }
      if (produced === 0) send({ type: "text-start", id: TEXT_PART });
      produced++;
      text += event.delta;
      send({ type: "text-delta", id: TEXT_PART, delta: event.delta });
      if (abort.signal.aborted) break;
    }
  } catch (error) {
    if (!abort.signal.aborted) failure = error;
  } finally {
    clearTimeout(deadline);
  }

  const status: ChatMessageStatus = failure ? "failed" : abort.signal.aborted ? "stopped" : "done";
  // Usage: the provider's when it reported it; else what was produced (one token per delta) and the prompt's estimate.
  const usage = reported ?? (produced > 0 ? { inputTokens: estimatePromptTokens(prompt.map((t) => t.text)), outputTokens: produced } : null);
  const errorCode = failure ? providerErrorCodeOf(failure) : null;
  if (failure) logger.warn({ conversation: ctx.conversationId, provider: provider.name, code: errorCode, error: (failure as Error).message }, "[chat] provider failed");
  const creditsUsed = await finishReply(ctx, { text, status, errorCode, usage });

  const metadata: ChatReplyMetadata = { creditsUsed, inputTokens: usage?.inputTokens ?? 0, outputTokens: usage?.outputTokens ?? 0 };
  if (produced > 0) send({ type: "text-end", id: TEXT_PART });
  if (failure) {
    send({ type: "message-metadata", messageMetadata: metadata });
    send({ type: "error", errorText: errorCode ?? "internal" });
  } else {
    send({ type: "finish", finishReason: abort.signal.aborted ? "length" : "stop", messageMetadata: metadata });
  }
}

type FinishedReply = { text: string; status: ChatMessageStatus; errorCode: string | null; usage: TokenUsage | null };

/**
 * Resolves the hold and saves the reply in one transaction: nobody reads a settled hold
 * beside a reply still `streaming`, and a crash between the two cannot leave a charged reply
 * without its text (the sweeper would then release the hold and drop the row, both unwritten).
 * Returns the credits spent.
 */
async function finishReply(ctx: ReplyContext, reply: FinishedReply): Promise<number> {
  const db = getDb();
  try {
    return await db.transaction(async (tx) => {
      const creditsUsed = await resolveHold(ctx.hold, reply.usage, tx);
      await saveReply(ctx.messageId, { ...reply, creditsUsed }, tx);
      return creditsUsed;
    });
  } catch (error) {
    // The hold expired meanwhile (the sweeper released it) or the database is down: the
    // sweeper releases an open hold after its expiry, so nothing is charged twice. The text
    // is kept where the row still stands, charged nothing.
    logger.error({ hold: ctx.hold.id, error: (error as Error).message }, "[chat] resolving a reply's hold failed");
    await saveReply(ctx.messageId, { ...reply, creditsUsed: 0 }, db).catch((err) =>
      logger.error({ message: ctx.messageId, error: (err as Error).message }, "[chat] saving a reply failed"),
    );
    return 0;
  }
}

/** Settles the price of `usage` (at most the hold), or releases the hold when nothing was used. Returns the credits spent. */
async function resolveHold(hold: CreditHold, usage: TokenUsage | null, tx: Executor): Promise<number> {
  if (!usage) {
    await releaseHold(hold, tx);
    return 0;
  }
  const price = creditsFor(usage);
  if (price > hold.credits) logger.warn({ hold: hold.id, price, held: hold.credits }, "[chat] usage above the hold: the hold is settled in full");
  const credits = Math.min(price, hold.credits);
  await settleHold(hold, credits, tx);
  return credits;
}

async function saveReply(messageId: string, reply: FinishedReply & { creditsUsed: number }, db: Executor): Promise<void> {
  if (reply.status === "failed" && reply.text === "") {
    // Nothing produced, nothing charged: no reply to keep (the user saw the error).
    await db.delete(chatMessages).where(eq(chatMessages.id, messageId));
    return;
  }
  await db
    .update(chatMessages)
    .set({
      text: reply.text,
      status: reply.status,
      errorCode: reply.errorCode,
      creditsUsed: reply.creditsUsed,
      inputTokens: reply.usage?.inputTokens ?? 0,
      outputTokens: reply.usage?.outputTokens ?? 0,
    })
    .where(eq(chatMessages.id, messageId));
}
