import { parseJson, route } from "@/lib/http/api";
import { requireUser } from "@/lib/auth/current-user";
import { okWithUrl } from "@/lib/http/redirect-envelope";
import { portalSchema } from "@/lib/schemas/payments";
import { createPortalSession } from "@/services/payments";

export const dynamic = "force-dynamic";

// {} (+ optional locale) -> a Stripe Billing Portal session for the user's Stripe customer (400 when there is none).
export const POST = route(async (request) => {
  const input = await parseJson(request, portalSchema);
  const user = await requireUser();
  return okWithUrl(await createPortalSession({ userUuid: user.uuid, locale: input.locale }));
});
