/**
 * The checkout inputs, shared by the JSON routes (src/app/api/stripe/*), the checkout
 * forms' Server Actions (src/components/billing/actions.ts) and the services that
 * re-validate them. Client-safe: zod and src/data only, so a client component may
 * import these rules (bounds, bundle and plan ids) without pulling in server code.
 */
import { z } from "zod";
import { MAX_PURCHASE_CREDITS, MIN_PURCHASE_CREDITS, findBundle } from "@/data/credits";
import { PLAN_INTERVALS, SUBSCRIPTION_PLANS, findPlan } from "@/data/plans";

export const CHECKOUT_LOCALES = ["en", "zh"] as const;
export type CheckoutLocale = (typeof CHECKOUT_LOCALES)[number];

const quantityMessage = `must be a whole number between ${MIN_PURCHASE_CREDITS} and ${MAX_PURCHASE_CREDITS}`;

const quantity = z
  .number({ error: quantityMessage })
  .int({ error: quantityMessage })
  .min(MIN_PURCHASE_CREDITS, { error: quantityMessage })
  .max(MAX_PURCHASE_CREDITS, { error: quantityMessage });

const bundle = z
  .string({ error: "must be a bundle id" })
  .max(64, { error: "unknown bundle" })
  .refine((id) => findBundle(id) !== undefined, { error: "unknown bundle" });

const locale = z.enum(CHECKOUT_LOCALES, { error: `must be one of ${CHECKOUT_LOCALES.join(", ")}` });

/** A form field holding a number: "" is absent, anything else is read as a number (NaN fails the rule). */
const formNumber = <S extends z.ZodType>(rule: S) =>
  z.preprocess((v) => (v === "" || v === undefined ? undefined : typeof v === "string" ? Number(v.trim() || Number.NaN) : v), rule.optional());

/** Exactly one of quantity and bundle. */
function oneOfQuantityOrBundle(value: { quantity?: number; bundle?: string }, ctx: z.RefinementCtx) {
  const given = Number(value.quantity !== undefined) + Number(value.bundle !== undefined);
  if (given !== 1) ctx.addIssue({ code: "custom", path: ["quantity"], message: "give either quantity or bundle, exactly one" });
}

/** A purchase (JSON): a custom `quantity` of credits or a `bundle` id, exactly one of them. */
export const checkoutRequestSchema = z
  .strictObject({ quantity: quantity.optional(), bundle: bundle.optional(), locale: locale.optional() }, { error: "unknown field" })
  .superRefine(oneOfQuantityOrBundle);
export type CheckoutRequest = z.infer<typeof checkoutRequestSchema>;

/** The same purchase from a form (every value a string). */
export const checkoutFormSchema = z
  .strictObject({ quantity: formNumber(quantity), bundle: bundle.optional(), locale: locale.optional() }, { error: "unknown field" })
  .superRefine(oneOfQuantityOrBundle);

/** A subscription checkout: a plan id and a billing interval (JSON and forms alike: all strings). */
export const subscriptionCheckoutSchema = z.strictObject(
  {
    plan: z
      .string({ error: "must be a plan id" })
      .max(64, { error: "unknown plan" })
      .refine((id) => findPlan(id) !== undefined, { error: `unknown plan (${SUBSCRIPTION_PLANS.map((p) => p.id).join(", ")})` }),
    interval: z.enum(PLAN_INTERVALS, { error: `must be one of ${PLAN_INTERVALS.join(", ")}` }),
    locale: locale.optional(),
  },
  { error: "unknown field" },
);
export type SubscriptionCheckoutRequest = z.infer<typeof subscriptionCheckoutSchema>;

/** The billing portal: only the locale of the pages Stripe sends the user back to. */
export const portalSchema = z.strictObject({ locale: locale.optional() }, { error: "unknown field" });
