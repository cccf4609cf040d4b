import { ok, route } from "@/lib/http/api";
import { requireAdmin } from "@/lib/auth/admin";
import { pageQuery } from "@/lib/http/pagination";
import { listAllOrders } from "@/services/admin/lists";

export const dynamic = "force-dynamic";

// ?status=<an order status>&page=N[&pageSize=M]
export const GET = route(async (request) => {
  await requireAdmin();
  const params = new URL(request.url).searchParams;
  return ok(await listAllOrders({ status: params.get("status") ?? undefined, ...pageQuery(request) }));
});
