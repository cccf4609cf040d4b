/** Chat in the API reference: a streamed reply billed per token through a credit hold, and the stored conversations. */
import { z } from "zod";
import { chatRequestSchema, renameConversationSchema } from "@/lib/schemas/chat";
import { conversationDtoSchema, conversationSummarySchema } from "@/services/chat";
import { errors, json, security, uuidParam, type ApiDocsModule } from "./common";

const conversationParam = uuidParam("id", "The conversation's id.");

export const chatDocs: ApiDocsModule = {
  tags: [{ name: "Chat", description: "An AI chat billed per token: each reply holds the most it can cost and settles what it used (docs/chat.md)." }],
  paths: () => ({
    "/api/chat": {
      post: {
        operationId: "chat_reply",
        tags: ["Chat"],
        summary: "Reply to a message (streamed)",
        description: [
          "The body is what the AI SDK's `useChat` sends: `id` is the conversation (a new uuid starts one), and only the newest message of `messages` is read (it must be the user's); the history comes from the stored conversation.",
          "Before the provider is called, the most the reply can cost is held (402 when it does not fit: nothing is called or charged). When the stream ends the reported usage is settled; a Stop or a dropped connection settles what was produced.",
        ].join("\n\n"),
        security: security.apiCaller,
        requestBody: { required: true, content: { "application/json": { schema: chatRequestSchema.meta({ id: "ChatRequest" }) } } },
        responses: {
          200: {
            description: "The AI SDK UI message stream (server-sent events); the reply's metadata carries `creditsUsed`, `inputTokens` and `outputTokens` at its end.",
            headers: z.object({ "X-Chat-Hold-Credits": z.string().meta({ description: "The credits held for this reply while it streams." }) }),
            content: { "text/event-stream": { schema: z.string().meta({ description: "`data:` lines, each a UI message stream part (JSON)." }) } },
          },
          ...errors([400, 401, 402, 403, 404, 413, 415, 429, 503], { 404: "A conversation that is not yours (or, to regenerate, does not exist)." }),
        },
      },
    },
    "/api/chat/conversations": {
      get: {
        operationId: "list_conversations",
        tags: ["Chat"],
        summary: "Your conversations",
        description: "Most recently active first.",
        security: security.apiCaller,
        responses: { 200: json("Your conversations.", z.object({ conversations: z.array(conversationSummarySchema) })), ...errors([401, 503]) },
      },
    },
    "/api/chat/conversations/{id}": {
      get: {
        operationId: "get_conversation",
        tags: ["Chat"],
        summary: "A conversation with its messages",
        security: security.apiCaller,
        requestParams: { path: conversationParam },
        responses: { 200: json("The conversation.", z.object({ conversation: conversationDtoSchema })), ...errors([401, 404, 503]) },
      },
      patch: {
        operationId: "rename_conversation",
        tags: ["Chat"],
        summary: "Rename a conversation",
        security: security.apiCaller,
        requestParams: { path: conversationParam },
        requestBody: { required: true, content: { "application/json": { schema: renameConversationSchema } } },
        responses: { 200: json("Renamed.", z.object({ conversation: conversationSummarySchema })), ...errors([400, 401, 403, 404, 503]) },
      },
      delete: {
        operationId: "delete_conversation",
        tags: ["Chat"],
        summary: "Delete a conversation",
        description: "With its messages; the credits its replies spent stay in the ledger.",
        security: security.apiCaller,
        requestParams: { path: conversationParam },
        responses: { 200: json("Deleted.", z.object({ deleted: z.literal(true) })), ...errors([401, 403, 404, 503]) },
      },
    },
  }),
};
