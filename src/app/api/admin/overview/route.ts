import { ok, route } from "@/lib/http/api";
import { requireAdmin } from "@/lib/auth/admin";
import { getOverview } from "@/services/admin/overview";

export const dynamic = "force-dynamic";

export const GET = route(async () => {
  await requireAdmin();
  return ok(await getOverview());
});
