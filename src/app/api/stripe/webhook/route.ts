import { ok, route } from "@/lib/http/api";
import { BODY_LIMITS, readBodyText } from "@/lib/http/body";
import { verifyStripeWebhook } from "@/lib/stripe";
import { handleStripeEvent } from "@/services/payments";

export const dynamic = "force-dynamic";

// Stripe's signed event deliveries. The signature covers the exact bytes, so the body
// is read as text and never re-serialized. Bad or stale signatures: 400, nothing changed.
export const POST = route(async (request) => {
  const raw = await readBodyText(request, BODY_LIMITS.webhook);
  const event = verifyStripeWebhook(raw, request.headers.get("stripe-signature"));
  const outcome = await handleStripeEvent(event);
  return ok({ received: true, eventId: event.id, type: event.type, ...outcome });
});
