"use server";

/**
 * The checkout forms' Server Actions: the same inputs (src/lib/schemas/payments.ts) and
 * services as POST /api/stripe/checkout/{credits,subscription} and /api/stripe/portal,
 * which stay for API clients. Success sends the browser to Stripe's hosted page.
 */
import { validatedAction } from "@/lib/http/action";
import { checkoutFormSchema, portalSchema, subscriptionCheckoutSchema } from "@/lib/schemas/payments";
import { createCreditsCheckout, createPortalSession, createSubscriptionCheckout } from "@/services/payments";
import { creditLabels, planLabels } from "@/services/payments/labels";
import { resumePurchasePath, signUpToBuyPath } from "./resume";

/** A bundle or a custom quantity. Signed out: sign-up, then back to the credits page with the bundle selected. */
export const buyCredits = validatedAction(
  checkoutFormSchema,
  async (input, { user }) => {
    const locale = input.locale ?? "en";
    const checkout = await createCreditsCheckout({ userUuid: user.uuid, request: input, locale, labels: await creditLabels(locale) });
    return { redirectTo: checkout.url };
  },
  { name: "buyCredits", signedOut: (input) => signUpToBuyPath(input.locale ?? "en", resumePurchasePath(input.locale ?? "en", input.bundle)) },
);

export const subscribe = validatedAction(
  subscriptionCheckoutSchema,
  async (input, { user }) => {
    const checkout = await createSubscriptionCheckout({ userUuid: user.uuid, request: input, labels: await planLabels(input.locale ?? "en") });
    return { redirectTo: checkout.url };
  },
  { name: "subscribe" },
);

export const openBillingPortal = validatedAction(
  portalSchema,
  async (input, { user }) => ({ redirectTo: (await createPortalSession({ userUuid: user.uuid, locale: input.locale })).url }),
  { name: "openBillingPortal" },
);
