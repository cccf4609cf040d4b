/**
 * Code-driven subscription plans: each grants credits every month while it is paid.
 * Prices: a Stripe Price id per plan and interval from STRIPE_PLAN_PRICES
 * (`pro:month=price_123,pro:year=price_456`, see src/lib/env.ts), or, when none is
 * configured, created on the fly at checkout with `price_data` from `priceCents`.
 */
export const PLAN_INTERVALS = ["month", "year"] as const;
export type PlanInterval = (typeof PLAN_INTERVALS)[number];

export interface SubscriptionPlan {
  id: string;
  /** Credits granted per month (yearly plans too: monthly, by the sweeper). */
  creditsPerMonth: number;
  /** USD cents per billing interval (used with price_data when no price id is configured). */
  priceCents: Record<PlanInterval, number>;
  /**
   * `expire`: a month's credits lapse at the end of that month (+ PLAN_CREDITS_GRACE_DAYS);
   * `rollover`: they stay for ROLLOVER_CREDITS_VALIDITY_DAYS like purchased credits.
   */
  unused: "expire" | "rollover";
  /** Credits granted instead of the first month's when the first invoice is free (a trial). */
  trialCredits?: number;
  popular?: boolean;
}

export const SUBSCRIPTION_PLANS: readonly SubscriptionPlan[] = [
  { id: "basic", creditsPerMonth: 300, priceCents: { month: 1900, year: 19000 }, unused: "expire" },
  { id: "pro", creditsPerMonth: 1000, priceCents: { month: 4900, year: 49000 }, unused: "rollover", trialCredits: 100, popular: true },
] as const;

/** Days a month's plan credits stay spendable after the month ends (payment retries, late renewals). */
export const PLAN_CREDITS_GRACE_DAYS = 3;

/** Validity of plan credits that roll over. */
export const ROLLOVER_CREDITS_VALIDITY_DAYS = 365;

export function findPlan(id: string | null | undefined): SubscriptionPlan | undefined {
  return SUBSCRIPTION_PLANS.find((p) => p.id === id);
}

/** `date` plus `months` calendar months (UTC); the day is clamped to the month's end. */
export function addMonths(date: Date, months: number): Date {
  const d = new Date(date.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}
