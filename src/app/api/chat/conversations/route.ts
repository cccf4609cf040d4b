import { ok, route } from "@/lib/http/api";
import { requireApiCaller } from "@/lib/auth/api-caller";
import { listConversations } from "@/services/chat";

export const dynamic = "force-dynamic";

// The signed-in user's conversations, most recently active first: data.conversations = [{ id, title, createdAt, updatedAt }].
export const GET = route(async (request) => {
  const user = await requireApiCaller(request);
  return ok({ conversations: await listConversations(user.uuid) });
});
