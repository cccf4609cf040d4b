import { ok, route } from "@/lib/http/api";
import { requireApiCaller } from "@/lib/auth/api-caller";
import { pageQuery } from "@/lib/http/pagination";
import { listCredits } from "@/services/credits/ledger";

export const dynamic = "force-dynamic";

// The caller's ledger, newest first: ?page=N[&pageSize=M]
export const GET = route(async (request) => {
  const user = await requireApiCaller(request);
  return ok(await listCredits(user.uuid, pageQuery(request)));
});
