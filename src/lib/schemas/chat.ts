import { z } from "zod";

/**
 * Client-safe schemas of the chat API (docs/chat.md). POST /api/chat takes what useChat's
 * DefaultChatTransport sends: `id` (the conversation's id: a new one starts a conversation),
 * `messages` (only the newest is read: the history comes from the database), `trigger`
 * (`regenerate-message` answers the last user message again, replacing its reply).
 */
export const chatRequestSchema = z.object({
  id: z.string().uuid("must be a UUID"),
  messages: z.array(z.unknown()).min(1, "must hold the new message").max(100_000),
  trigger: z.enum(["submit-message", "regenerate-message"]).default("submit-message"),
  messageId: z.string().max(200).optional(),
});
export type ChatRequest = z.infer<typeof chatRequestSchema>;

export const renameConversationSchema = z.object({
  title: z.string().trim().min(1, "must not be empty").max(100, "must be at most 100 characters"),
});

/** What a reply's stream carries besides its text (UIMessage metadata). */
export interface ChatReplyMetadata {
  conversationId?: string;
  /** Credits held for the reply while it streams. */
  heldCredits?: number;
  /** What the reply cost (its hold's settlement) and the tokens billed, when it ended. */
  creditsUsed?: number;
  inputTokens?: number;
  outputTokens?: number;
}
