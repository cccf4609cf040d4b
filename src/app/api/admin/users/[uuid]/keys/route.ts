import { ok, route } from "@/lib/http/api";
import { requireAdmin } from "@/lib/auth/admin";
import { listUserApiKeys } from "@/services/admin/api-keys";

export const dynamic = "force-dynamic";

// GET /api/admin/users/{uuid}/keys: data.apiKeys, the user's API keys (never their secrets).
export const GET = route<{ params: Promise<{ uuid: string }> }>(async (_request, { params }) => {
  await requireAdmin();
  return ok({ apiKeys: await listUserApiKeys((await params).uuid) });
});
