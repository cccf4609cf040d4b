import { ok, route } from "@/lib/api";
import { requireUser } from "@/lib/current-user";
import { pageQuery } from "@/lib/pagination";
import { listOrders } from "@/services/payments";

export const dynamic = "force-dynamic";

// The signed-in user's credit orders, newest first: ?page=N[&pageSize=M]
export const GET = route(async (request) => {
  const user = await requireUser();
  return ok(await listOrders(user.uuid, pageQuery(request)));
});
