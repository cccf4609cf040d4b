import { ok, route } from "@/lib/http/api";
import { requireAdmin } from "@/lib/auth/admin";
import { pageQuery } from "@/lib/http/pagination";
import { listAllTasks } from "@/services/admin/lists";

export const dynamic = "force-dynamic";

// ?status=&type=&provider=&page=N[&pageSize=M]
export const GET = route(async (request) => {
  await requireAdmin();
  const params = new URL(request.url).searchParams;
  const get = (k: string) => params.get(k) ?? undefined;
  return ok(await listAllTasks({ status: get("status"), type: get("type"), provider: get("provider"), ...pageQuery(request) }));
});
