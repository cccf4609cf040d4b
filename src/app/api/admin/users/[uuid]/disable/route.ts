import { ok, parseJson, route } from "@/lib/http/api";
import { requireAdmin } from "@/lib/auth/admin";
import { setUserDisabled, statusReasonSchema } from "@/services/admin/users";

export const dynamic = "force-dynamic";

// Body: { reason? } (may be {}).
export const POST = route<{ params: Promise<{ uuid: string }> }>(async (request, { params }) => {
  const admin = await requireAdmin();
  const input = await parseJson(request, statusReasonSchema);
  return ok(await setUserDisabled(admin, (await params).uuid, true, input));
});
