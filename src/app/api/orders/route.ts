import { ok, route } from "@/lib/http/api";
import { requireUser } from "@/lib/auth/current-user";
import { pageQuery } from "@/lib/http/pagination";
import { listOrders } from "@/services/payments";

export const dynamic = "force-dynamic";

// The signed-in user's credit orders, newest first: ?page=N[&pageSize=M]
export const GET = route(async (request) => {
  const user = await requireUser();
  return ok(await listOrders(user.uuid, pageQuery(request)));
});
