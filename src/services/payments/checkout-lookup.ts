import type Stripe from "stripe";
import { hitRateLimit } from "@/services/rate-limit";

/**
 * The success page asks Stripe about a Checkout Session on every view. Reloading it
 * (or scripting it with made-up session ids) must not turn into unbounded Stripe API
 * calls, which count against the account's Stripe rate limit. So a settled session
 * (paid, or no payment required: it does not change; refunds arrive by webhook) is
 * cached per session id in this process for 5 minutes, and a user may make at most
 * CHECKOUT_LOOKUPS_PER_MINUTE uncached lookups per minute (429 beyond). An unpaid
 * session is not cached, so the page shows the payment as soon as Stripe has it. The
 * caller checks that the session's order belongs to the user, whatever the cache holds.
 */
export const CHECKOUT_LOOKUPS_PER_MINUTE = 20;
const SETTLED_TTL_MS = 5 * 60_000;
const CACHE_MAX = 1000;

const cache = new Map<string, { session: Stripe.Checkout.Session; until: number }>();

export async function lookupCheckoutSession(
  stripe: Stripe,
  sessionId: string,
  userUuid: string,
): Promise<Stripe.Checkout.Session> {
  const hit = cache.get(sessionId);
  if (hit && hit.until > Date.now()) return hit.session;
  cache.delete(sessionId);
  await hitRateLimit(`checkout-lookup:${userUuid}`, CHECKOUT_LOOKUPS_PER_MINUTE, 60);
  const session = await stripe.checkout.sessions.retrieve(sessionId);
  if (session.payment_status !== "unpaid") {
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
    cache.set(sessionId, { session, until: Date.now() + SETTLED_TTL_MS });
  }
  return session;
}
