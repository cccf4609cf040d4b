import { ok, route } from "@/lib/http/api";
import { requireAdmin } from "@/lib/auth/admin";
import { getUserDetail } from "@/services/admin/users";

export const dynamic = "force-dynamic";

export const GET = route<{ params: Promise<{ uuid: string }> }>(async (_request, { params }) => {
  await requireAdmin();
  return ok(await getUserDetail((await params).uuid));
});
