import { ok, parseJson, route } from "@/lib/http/api";
import { requireApiCaller } from "@/lib/auth/api-caller";
import { renameConversationSchema } from "@/lib/schemas/chat";
import { deleteConversation, getConversation, renameConversation } from "@/services/chat";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

// data.conversation = { id, title, messages: [{ id, role, text, creditsUsed, inputTokens, outputTokens, status, errorCode, createdAt }] }
export const GET = route<Context>(async (request, { params }) => {
  const user = await requireApiCaller(request);
  return ok({ conversation: await getConversation(user.uuid, (await params).id) });
});

// { title } -> data.conversation = { id, title, createdAt, updatedAt }
export const PATCH = route<Context>(async (request, { params }) => {
  const { title } = await parseJson(request, renameConversationSchema);
  const user = await requireApiCaller(request);
  return ok({ conversation: await renameConversation(user.uuid, (await params).id, title) });
});

export const DELETE = route<Context>(async (request, { params }) => {
  const user = await requireApiCaller(request);
  await deleteConversation(user.uuid, (await params).id);
  return ok({ deleted: true });
});
