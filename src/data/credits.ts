/**
 * Code-driven credit configuration. Pricing per credit can be overridden with
 * the CREDIT_PRICE_USD environment variable (see src/lib/env.ts).
 */

/** Credits every new account receives once, and how long they stay spendable. */
export const WELCOME_CREDITS = 50;
export const WELCOME_CREDITS_VALIDITY_DAYS = 30;

/** How long purchased credits stay spendable. */
export const PURCHASED_CREDITS_VALIDITY_DAYS = 365;

/** The largest single ledger movement accepted; anything above is a typo or an attack. */
export const MAX_CREDITS_PER_MOVEMENT = 10_000_000;

/**
 * Credit holds (src/services/credits/holds.ts): how long a hold lasts when its caller gives
 * no expiry, and the longest one may last. When it lapses the sweeper releases it, so it is
 * also how long credits stay out of reach after a server died mid-work.
 */
export const HOLD_DEFAULT_TTL_MS = 15 * 60 * 1000;
export const HOLD_MAX_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** Default price of one credit in USD (CREDIT_PRICE_USD overrides it). */
export const DEFAULT_CREDIT_PRICE_USD = 0.1;
export const CREDIT_CURRENCY = "usd";

/**
 * Below this balance the user gets one low-balance notice per crossing (mail) and a
 * banner with a Buy button on the credits and tasks pages.
 */
export const LOW_BALANCE_THRESHOLD = 20;

/** Bounds for a custom `quantity` at checkout. */
export const MIN_PURCHASE_CREDITS = 10;
export const MAX_PURCHASE_CREDITS = 100_000;

export interface CreditBundle {
  id: string;
  credits: number;
  /** Marketing highlight on the pricing card. */
  popular?: boolean;
}

export const CREDIT_BUNDLES: readonly CreditBundle[] = [
  { id: "starter", credits: 100 },
  { id: "creator", credits: 500, popular: true },
  { id: "studio", credits: 2000 },
] as const;

export function findBundle(id: string): CreditBundle | undefined {
  return CREDIT_BUNDLES.find((b) => b.id === id);
}

/** Price in cents for `credits` credits at `priceUsd` per credit. */
export function priceInCents(credits: number, priceUsd: number): number {
  return Math.round(credits * priceUsd * 100);
}
