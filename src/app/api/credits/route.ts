import { ok, route } from "@/lib/api";
import { requireUser } from "@/lib/current-user";
import { getUserCredits } from "@/services/credits";

export const dynamic = "force-dynamic";

// { balance, nextExpiry: { credits, expiresAt } | null }
export const GET = route(async () => {
  const user = await requireUser();
  return ok(await getUserCredits(user.uuid));
});
