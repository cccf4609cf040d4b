import { DefaultChatTransport, type UIMessage } from "ai";
import { apiFetch } from "@/lib/http/api-client";
import type { ChatReplyMetadata } from "@/lib/schemas/chat";
import type { ChatMessageDto, ConversationDto, ConversationSummary } from "@/services/chat/conversations";

/** The browser side of the chat API (client-safe). */
export type ChatUIMessage = UIMessage<ChatReplyMetadata & { status?: ChatMessageDto["status"]; errorCode?: string | null }>;

/** useChat's transport: only the newest message goes up (the server reads the history from the database). */
export const chatTransport = () =>
  new DefaultChatTransport<ChatUIMessage>({
    api: "/api/chat",
    prepareSendMessagesRequest: ({ id, messages, trigger, messageId }) => ({ body: { id, messages: messages.slice(-1), trigger, messageId } }),
  });

export function toUIMessages(messages: ChatMessageDto[]): ChatUIMessage[] {
  return messages.map((m) => ({
    id: m.id,
    role: m.role,
    parts: [{ type: "text", text: m.text }],
    metadata:
      m.role === "assistant"
        ? { creditsUsed: m.creditsUsed ?? undefined, inputTokens: m.inputTokens ?? undefined, outputTokens: m.outputTokens ?? undefined, status: m.status, errorCode: m.errorCode }
        : undefined,
  }));
}

export const textOf = (message: ChatUIMessage) =>
  message.parts.map((p) => (p.type === "text" ? p.text : "")).join("");

export const listConversations = () => apiFetch<{ conversations: ConversationSummary[] }>("/api/chat/conversations");
export const fetchConversation = (id: string) => apiFetch<{ conversation: ConversationDto }>(`/api/chat/conversations/${encodeURIComponent(id)}`);
export const renameConversation = (id: string, title: string) =>
  apiFetch<{ conversation: ConversationSummary }>(`/api/chat/conversations/${encodeURIComponent(id)}`, { method: "PATCH", json: { title } });
export const deleteConversation = (id: string) => apiFetch<{ deleted: true }>(`/api/chat/conversations/${encodeURIComponent(id)}`, { method: "DELETE" });

/**
 * The conversation once its last reply has been saved (a Stop is settled by the server just
 * after the stream is cut): polls briefly while a reply is still `streaming`.
 */
export async function settledConversation(id: string): Promise<ConversationDto | null> {
  for (let attempt = 0; attempt < 12; attempt++) {
    const result = await fetchConversation(id);
    if (!result.ok) return null;
    if (!result.data.conversation.messages.some((m) => m.status === "streaming")) return result.data.conversation;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return null;
}

/** What went wrong with a reply, for the words: an HTTP refusal (status, envelope) or a stream error's code. */
export type ChatFailure =
  | { kind: "insufficient"; balance?: number; required?: number }
  | { kind: "tooLong" | "invalid" | "notFound" | "rateLimited" | "network" | "generic" }
  | { kind: "provider"; code: string };

export function chatFailureOf(error: Error): ChatFailure {
  const status = (error as { statusCode?: number }).statusCode;
  if (status !== undefined) {
    let details: Record<string, unknown> = {};
    try {
      details = (JSON.parse((error as { responseBody?: string }).responseBody ?? "{}") as { data?: Record<string, unknown> }).data ?? {};
    } catch {
      // not an envelope
    }
    if (status === 402) return { kind: "insufficient", balance: Number(details.balance), required: Number(details.required) };
    if (status === 400) return { kind: /at most/.test(error.message) ? "tooLong" : "invalid" };
    if (status === 404) return { kind: "notFound" };
    if (status === 429) return { kind: "rateLimited" };
    return { kind: "generic" };
  }
  if (/^[a-z_]+$/.test(error.message)) return { kind: "provider", code: error.message };
  if (error instanceof TypeError || /fetch|network/i.test(error.message)) return { kind: "network" };
  return { kind: "generic" };
}
