import { ok, route } from "@/lib/http/api";
import { requireApiCaller } from "@/lib/auth/api-caller";
import { getUserCredits } from "@/services/credits/ledger";

export const dynamic = "force-dynamic";

// { balance (spendable now), held (reserved by open holds), nextExpiry: { credits, expiresAt } | null }
export const GET = route(async (request) => {
  const user = await requireApiCaller(request);
  return ok(await getUserCredits(user.uuid));
});
