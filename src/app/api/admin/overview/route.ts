import { ok, route } from "@/lib/api";
import { requireAdmin } from "@/lib/admin";
import { getOverview } from "@/services/admin/overview";

export const dynamic = "force-dynamic";

export const GET = route(async () => {
  await requireAdmin();
  return ok(await getOverview());
});
