import { ok, route } from "@/lib/http/api";
import { requireUser } from "@/lib/auth/current-user";
import { revokeApiKey } from "@/services/api-keys";

export const dynamic = "force-dynamic";

// DELETE /api/keys/{id}: revokes one of the caller's keys (session only; 404 for a key
// that is not theirs). Repeating it changes nothing. data.apiKey: the key, revoked.
export const DELETE = route<{ params: Promise<{ id: string }> }>(async (_request, { params }) => {
  const user = await requireUser();
  const { after } = await revokeApiKey((await params).id, user.uuid);
  return ok({ apiKey: after });
});
