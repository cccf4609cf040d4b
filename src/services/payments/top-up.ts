import { WELCOME_CREDITS } from "@/data/credits";
import { isStripeConfigured } from "@/lib/stripe";
import { needsEmailVerification } from "@/services/accounts/email-verification";

/**
 * What a user short of credits can do next, wherever the app says so (the low-balance banner,
 * a task form's shortfall), so no control leads to a dead end:
 * - confirmEmail: the welcome credits wait for the email confirmation (a Resend button, not Buy);
 * - buy: purchasing works (Stripe is configured): a Buy credits link;
 * - unavailable: no Stripe keys: say so, and offer nothing to press.
 */
export type TopUp = { kind: "confirmEmail"; credits: number } | { kind: "buy" } | { kind: "unavailable" };

export async function topUpFor(userUuid: string): Promise<TopUp> {
  if (await needsEmailVerification(userUuid)) return { kind: "confirmEmail", credits: WELCOME_CREDITS };
  return isStripeConfigured() ? { kind: "buy" } : { kind: "unavailable" };
}
