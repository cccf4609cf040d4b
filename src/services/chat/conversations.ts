import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { getDb, type Executor } from "@/db";
import { z } from "zod";
import { CHAT_MESSAGE_STATUSES, chatConversations, chatMessages, type ChatConversation, type ChatMessage } from "@/db/schema";
import { NotFoundError } from "@/lib/http/errors";

/**
 * Conversations and their messages, always scoped to their owner: another user's
 * conversation is answered exactly like one that does not exist (404).
 */
export class UnknownConversationError extends NotFoundError {
  constructor() {
    super("conversation not found");
  }
}

/** A message as the API answers it (data.conversation.messages[]); also its OpenAPI schema (src/services/api-docs/chat.ts). */
export const chatMessageDtoSchema = z
  .object({
    id: z.string(),
    role: z.enum(["user", "assistant"]),
    text: z.string(),
    creditsUsed: z.int().nullable().meta({ description: "Assistant replies: the credits their hold settled (null while streaming; 0 for nothing charged)." }),
    inputTokens: z.int().nullable(),
    outputTokens: z.int().nullable(),
    status: z.enum(CHAT_MESSAGE_STATUSES),
    errorCode: z.string().nullable().meta({ description: "A failed reply's code (provider_unavailable, ...)." }),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "ChatMessage" });
export type ChatMessageDto = z.infer<typeof chatMessageDtoSchema>;

export const conversationSummarySchema = z
  .object({ id: z.uuid(), title: z.string(), createdAt: z.iso.datetime(), updatedAt: z.iso.datetime() })
  .meta({ id: "ConversationSummary" });
export type ConversationSummary = z.infer<typeof conversationSummarySchema>;

export const conversationDtoSchema = z
  .object({ id: z.uuid(), title: z.string(), messages: z.array(chatMessageDtoSchema) })
  .meta({ id: "Conversation" });
export type ConversationDto = z.infer<typeof conversationDtoSchema>;

export const CONVERSATION_TITLE_MAX = 100;
const LIST_LIMIT = 200;

/** A conversation's first title: the start of its first message, on one line. */
export function titleFrom(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}

const summary = (c: ChatConversation): ConversationSummary => ({
  id: c.id,
  title: c.title,
  createdAt: c.createdAt.toISOString(),
  updatedAt: c.updatedAt.toISOString(),
});

export function toMessageDto(m: ChatMessage): ChatMessageDto {
  return {
    id: m.id,
    role: m.role,
    text: m.text,
    creditsUsed: m.creditsUsed,
    inputTokens: m.inputTokens,
    outputTokens: m.outputTokens,
    status: m.status,
    errorCode: m.errorCode,
    createdAt: m.createdAt.toISOString(),
  };
}

/** The user's conversations, most recently active first. */
export async function listConversations(userUuid: string, db: Executor = getDb()): Promise<ConversationSummary[]> {
  const rows = await db
    .select()
    .from(chatConversations)
    .where(eq(chatConversations.userUuid, userUuid))
    .orderBy(desc(chatConversations.updatedAt))
    .limit(LIST_LIMIT);
  return rows.map(summary);
}

/** The conversation if it is the user's, else null (whether it exists or not). */
export async function findConversation(userUuid: string, id: string, db: Executor = getDb()): Promise<ChatConversation | null> {
  const [row] = await db.select().from(chatConversations).where(eq(chatConversations.id, id)).limit(1);
  return row && row.userUuid === userUuid ? row : null;
}

/** Whether the id names a conversation of someone else (a new id is nobody's). */
export async function conversationOwnedByOther(userUuid: string, id: string, db: Executor = getDb()): Promise<boolean> {
  const [row] = await db.select({ userUuid: chatConversations.userUuid }).from(chatConversations).where(eq(chatConversations.id, id)).limit(1);
  return !!row && row.userUuid !== userUuid;
}

/** The user's conversation with every message, oldest first; 404 when it is not theirs. */
export async function getConversation(userUuid: string, id: string, db: Executor = getDb()): Promise<ConversationDto> {
  const conversation = await findConversation(userUuid, id, db);
  if (!conversation) throw new UnknownConversationError();
  const messages = await db
    .select()
    .from(chatMessages)
    .where(eq(chatMessages.conversationId, id))
    .orderBy(asc(chatMessages.createdAt), asc(chatMessages.id));
  return { id: conversation.id, title: conversation.title, messages: messages.map(toMessageDto) };
}

/** Renames the user's conversation; 404 when it is not theirs. */
export async function renameConversation(userUuid: string, id: string, title: string, db: Executor = getDb()): Promise<ConversationSummary> {
  const [row] = await db
    .update(chatConversations)
    .set({ title })
    .where(and(eq(chatConversations.id, id), eq(chatConversations.userUuid, userUuid)))
    .returning();
  if (!row) throw new UnknownConversationError();
  return summary(row);
}

/** Deletes the user's conversation and its messages (what they cost stays in the ledger); 404 when it is not theirs. */
export async function deleteConversation(userUuid: string, id: string, db: Executor = getDb()): Promise<void> {
  const rows = await db
    .delete(chatConversations)
    .where(and(eq(chatConversations.id, id), eq(chatConversations.userUuid, userUuid)))
    .returning({ id: chatConversations.id });
  if (rows.length === 0) throw new UnknownConversationError();
}

/** The last `limit` messages of a conversation that a new reply reads, oldest first (failed replies left out). */
export async function recentMessages(conversationId: string, limit: number, db: Executor = getDb()): Promise<ChatMessage[]> {
  if (limit <= 0) return [];
  const rows = await db
    .select()
    .from(chatMessages)
    .where(and(eq(chatMessages.conversationId, conversationId), sql`${chatMessages.status} <> 'failed'`, sql`${chatMessages.text} <> ''`))
    .orderBy(desc(chatMessages.createdAt), desc(chatMessages.id))
    .limit(limit);
  return rows.reverse();
}

/**
 * The sweeper's part, after it expired `holdIds`: a reply whose hold expired never ended (the
 * server died mid-stream; a live reply is cut off and settled before its hold can expire), so
 * its row is still `streaming`, with no text (the text is saved when the stream ends) and no
 * charge. It is removed, as a failed reply with no text is. Returns how many were.
 */
export async function dropInterruptedReplies(holdIds: readonly string[], db: Executor = getDb()): Promise<number> {
  if (holdIds.length === 0) return 0;
  const rows = await db
    .delete(chatMessages)
    .where(and(inArray(chatMessages.holdId, [...holdIds]), eq(chatMessages.status, "streaming")))
    .returning({ id: chatMessages.id });
  return rows.length;
}
