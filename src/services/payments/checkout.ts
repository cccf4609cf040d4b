/**
 * Starting a credit purchase: validate the request, write the order, create its
 * Stripe Checkout Session (see docs/payments.md and src/services/payments/index.ts).
 */
import crypto from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { getDb, type Executor } from "@/db";
import { orders } from "@/db/schema";
import { brandedProductName } from "@/config/site";
import { CREDIT_CURRENCY, PURCHASED_CREDITS_VALIDITY_DAYS, findBundle, priceInCents } from "@/data/credits";
import { CHECKOUT_LOCALES, checkoutRequestSchema, type CheckoutLocale, type CheckoutRequest } from "@/lib/schemas/payments";
import { parseInput } from "@/lib/http/api";
import { env } from "@/lib/env";
import { AppError, BadRequestError } from "@/lib/http/errors";
import { Stripe, getStripe } from "@/lib/stripe";
import { hitRateLimit } from "@/services/rate-limit";
import { requireActiveUser } from "@/services/accounts/users";
import { findStripeCustomer } from "./customers";
import { logger } from "@/lib/logger";
import { appUrl as publicUrl } from "@/lib/app-url";

export { CHECKOUT_LOCALES, checkoutRequestSchema, type CheckoutLocale, type CheckoutRequest } from "@/lib/schemas/payments";

/** Checkouts a user may start per window: each one is an order row and a Stripe API call. */
export const CHECKOUT_RATE_LIMIT = { perUser: 20, windowSeconds: 600 } as const;

/** Stripe's smallest and largest single USD charge, in cents. */
export const STRIPE_MIN_AMOUNT = 50;
export const STRIPE_MAX_AMOUNT = 99_999_999;

/** Stripe answered with an error or could not be reached while starting a checkout. */
export class PaymentProviderError extends AppError {
  constructor(message = "could not start the checkout with Stripe, try again shortly") {
    super(502, message);
  }
}

// ---------------------------------------------------------------------------
// Input (the schema itself is in src/lib/schemas/payments.ts, shared with the forms)
// ---------------------------------------------------------------------------

export interface Purchase {
  credits: number;
  bundle: string | null;
  amount: number; // cents
  currency: string;
}

/** What a request buys and what it costs; throws a 400 for anything Stripe could not charge. */
export function resolvePurchase(request: CheckoutRequest, priceUsd = env().CREDIT_PRICE_USD): Purchase {
  const credits = request.bundle !== undefined ? findBundle(request.bundle)!.credits : request.quantity!;
  const amount = priceInCents(credits, priceUsd);
  if (amount < STRIPE_MIN_AMOUNT || amount > STRIPE_MAX_AMOUNT) {
    const field = request.bundle !== undefined ? "bundle" : "quantity";
    throw new BadRequestError(
      `${field}: the total must be between $${STRIPE_MIN_AMOUNT / 100} and $${STRIPE_MAX_AMOUNT / 100}`,
      field,
    );
  }
  return { credits, bundle: request.bundle ?? null, amount, currency: CREDIT_CURRENCY };
}

// ---------------------------------------------------------------------------
// Checkout
// ---------------------------------------------------------------------------

export function newOrderNo(): string {
  return `ord_${Date.now().toString(36)}${crypto.randomBytes(6).toString("hex")}`;
}

export interface CheckoutInput {
  /** The signed-in user; the account is read again (401 once deleted or disabled), its email sent to Stripe. */
  userUuid: string;
  request: CheckoutRequest;
  /** Locale of the success/cancel pages and of Stripe's hosted page. */
  locale?: string;
  /** Product text shown on Stripe's page for `credits` (the route passes translated text). */
  labels?: (credits: number) => { name: string; description: string };
}

export interface CheckoutResult {
  orderNo: string;
  sessionId: string;
  url: string;
  credits: number;
  amount: number;
  currency: string;
}

/**
 * Writes the order, then creates its Checkout Session. Line item representation:
 * quantity 1 at the order's total (`unit_amount` = order.amount, in cents), so the
 * amount Stripe charges is exactly the amount stored on the order whatever
 * CREDIT_PRICE_USD is (a per-credit price such as $0.015 is not a whole number of cents).
 */
export async function createCreditsCheckout(input: CheckoutInput, db: Executor = getDb()): Promise<CheckoutResult> {
  const request = parseInput(checkoutRequestSchema, input.request);
  const purchase = resolvePurchase(request);
  const stripe = getStripe(); // 503 before any order is written when Stripe is not configured
  const user = await requireActiveUser(input.userUuid, db);
  await hitRateLimit(`checkout:${user.id}`, CHECKOUT_RATE_LIMIT.perUser, CHECKOUT_RATE_LIMIT.windowSeconds, db);
  const locale: CheckoutLocale = CHECKOUT_LOCALES.find((l) => l === (input.locale ?? request.locale)) ?? "en";
  const labels = input.labels?.(purchase.credits) ?? {
    name: `${purchase.credits} credits`,
    description: `Bundle of ${purchase.credits} credits, valid for ${PURCHASED_CREDITS_VALIDITY_DAYS} days`,
  };
  const appUrl = await publicUrl();

  const customer = await findStripeCustomer(user.id, db);
  const orderNo = newOrderNo();
  await db.insert(orders).values({
    orderNo,
    userUuid: user.id,
    credits: purchase.credits,
    amount: purchase.amount,
    currency: purchase.currency,
    bundle: purchase.bundle,
    status: "created",
  });

  let session: Stripe.Checkout.Session;
  try {
    session = await stripe.checkout.sessions.create(
      {
        mode: "payment",
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: purchase.currency,
              unit_amount: purchase.amount,
              product_data: { name: brandedProductName(labels.name), description: labels.description },
            },
          },
        ],
        metadata: { order_no: orderNo, user_uuid: user.id, credits: String(purchase.credits) },
        payment_intent_data: { metadata: { order_no: orderNo } },
        client_reference_id: orderNo,
        // The user's Stripe customer when there is one (subscribers), else their email.
        ...(customer ? { customer } : { customer_email: user.email }),
        locale,
        success_url: `${appUrl}/${locale}/success?session_id={CHECKOUT_SESSION_ID}`,
        cancel_url: `${appUrl}/${locale}/cancel`,
      },
      { idempotencyKey: `checkout:${orderNo}` },
    );
    if (!session.url) throw new Error(`Checkout Session ${session.id} has no url`);
  } catch (error) {
    await db
      .update(orders)
      .set({ status: "failed", updatedAt: sql`now()` })
      .where(and(eq(orders.orderNo, orderNo), eq(orders.status, "created")));
    logger.error({ orderNo, error: (error as Error).message }, "[payments] creating the Checkout Session failed");
    throw new PaymentProviderError();
  }

  await db.update(orders).set({ stripeSessionId: session.id, updatedAt: sql`now()` }).where(eq(orders.orderNo, orderNo));
  return {
    orderNo,
    sessionId: session.id,
    url: session.url,
    credits: purchase.credits,
    amount: purchase.amount,
    currency: purchase.currency,
  };
}

