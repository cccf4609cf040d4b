import { ok, parseJson, route } from "@/lib/http/api";
import { requireAdmin } from "@/lib/auth/admin";
import { adminRevokeApiKey } from "@/services/admin/api-keys";
import { statusReasonSchema } from "@/services/admin/users";

export const dynamic = "force-dynamic";

// POST /api/admin/keys/{id}/revoke { reason? }: revokes any user's key, audited.
export const POST = route<{ params: Promise<{ id: string }> }>(async (request, { params }) => {
  const admin = await requireAdmin();
  const input = await parseJson(request, statusReasonSchema);
  return ok(await adminRevokeApiKey(admin, (await params).id, input));
});
