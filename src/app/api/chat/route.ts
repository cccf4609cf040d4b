import { createUIMessageStreamResponse } from "ai";
import { parseJson, route } from "@/lib/http/api";
import { BODY_LIMITS } from "@/lib/http/body";
import { requireApiCaller } from "@/lib/auth/api-caller";
import { chatRequestSchema } from "@/lib/schemas/chat";
import { startChatReply } from "@/services/chat";

export const dynamic = "force-dynamic";

// POST /api/chat: useChat's request ({ id: the conversation, messages: only the newest is
// read }) -> the AI SDK UI message stream of the reply, billed through a credit hold.
// 400 bad message, 402 not enough credits (the provider is not called), 404 not your conversation.
export const POST = route(async (request) => {
  const body = await parseJson(request, chatRequestSchema, BODY_LIMITS.chat);
  const user = await requireApiCaller(request);
  const reply = await startChatReply(user.uuid, body, { signal: request.signal, apiKeyId: user.apiKeyId });
  return createUIMessageStreamResponse({ stream: reply.stream, headers: { "X-Chat-Hold-Credits": String(reply.hold.credits) } });
});
