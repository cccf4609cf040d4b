import { ok, route } from "@/lib/http/api";
import { requireAdmin } from "@/lib/auth/admin";
import { pageQuery } from "@/lib/http/pagination";
import { listAudit } from "@/services/admin/audit";

export const dynamic = "force-dynamic";

// The admin audit log, newest first: ?page=N[&pageSize=M]
export const GET = route(async (request) => {
  await requireAdmin();
  return ok(await listAudit(pageQuery(request)));
});
