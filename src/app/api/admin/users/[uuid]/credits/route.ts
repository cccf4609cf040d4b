import { ok, parseJson, route } from "@/lib/http/api";
import { requireAdmin } from "@/lib/auth/admin";
import { adjustCreditsSchema, adjustUserCredits } from "@/services/admin/users";

export const dynamic = "force-dynamic";

// { credits, reason }: credits > 0 grants, credits < 0 deducts (never below zero: 402).
export const POST = route<{ params: Promise<{ uuid: string }> }>(async (request, { params }) => {
  const admin = await requireAdmin();
  const input = await parseJson(request, adjustCreditsSchema);
  return ok(await adjustUserCredits(admin, (await params).uuid, input));
});
