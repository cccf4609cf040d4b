import { ok, route } from "@/lib/api";
import { requireUser } from "@/lib/current-user";
import { pageQuery } from "@/lib/pagination";
import { listCredits } from "@/services/credits";

export const dynamic = "force-dynamic";

// The caller's ledger, newest first: ?page=N[&pageSize=M]
export const GET = route(async (request) => {
  const user = await requireUser();
  return ok(await listCredits(user.uuid, pageQuery(request)));
});
