/**
 * Credit bundles paid through Stripe Checkout (docs/architecture.md "Payments").
 *
 * What holds:
 * 1. An order is written before Stripe is called, so every Checkout Session we
 *    create has a row to reconcile against (`order_no` in its metadata and
 *    client_reference_id). The Stripe call carries an idempotency key derived
 *    from the order, so an SDK retry never creates a second session.
 * 2. Fulfilment is one transaction: a conditional UPDATE moves the order to
 *    `paid` (only one caller can win it) and the same transaction grants the
 *    credits with the key `order_pay:<order_no>`. Webhook replays, concurrent
 *    deliveries, out-of-order events and the success page all call the same
 *    `fulfilOrder`, so an order is credited exactly once.
 * 3. A paid event is cross-checked against the order: amount, currency and session
 *    id must match what we created, or nothing is granted.
 * 4. A full refund (charge.refunded) moves the order to `refunded` and takes back
 *    the part of its credits that is still unspent, in one transaction, once.
 */
import crypto from "node:crypto";
import { and, desc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb, type Executor } from "@/db";
import { orders, type Order, type OrderStatus } from "@/db/schema";
import {
  CREDIT_CURRENCY,
  MAX_PURCHASE_CREDITS,
  MIN_PURCHASE_CREDITS,
  PURCHASED_CREDITS_VALIDITY_DAYS,
  findBundle,
  priceInCents,
} from "@/data/credits";
import { parseInput } from "@/lib/api";
import { env } from "@/lib/env";
import { pageWindow, type Page } from "@/lib/pagination";
import { AppError, BadRequestError, ForbiddenError, NotFoundError } from "@/lib/errors";
import { Stripe, getStripe } from "@/lib/stripe";
import { TRANS_TYPES, getUserCredits, grantCredits, revokeOrderCredits } from "@/services/credits";
import { lookupCheckoutSession } from "@/services/checkout-lookup";
import { hitRateLimit } from "@/services/rate-limit";

export const CHECKOUT_LOCALES = ["en", "zh"] as const;
export type CheckoutLocale = (typeof CHECKOUT_LOCALES)[number];

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
// Input
// ---------------------------------------------------------------------------

const quantityMessage = `must be a whole number between ${MIN_PURCHASE_CREDITS} and ${MAX_PURCHASE_CREDITS}`;

/** A purchase: a custom `quantity` of credits or a `bundle` id, exactly one of them. */
export const checkoutRequestSchema = z
  .strictObject({
    quantity: z
      .number({ error: quantityMessage })
      .int({ error: quantityMessage })
      .min(MIN_PURCHASE_CREDITS, { error: quantityMessage })
      .max(MAX_PURCHASE_CREDITS, { error: quantityMessage })
      .optional(),
    bundle: z
      .string({ error: "must be a bundle id" })
      .max(64, { error: "unknown bundle" })
      .refine((id) => findBundle(id) !== undefined, { error: "unknown bundle" })
      .optional(),
    locale: z.enum(CHECKOUT_LOCALES, { error: `must be one of ${CHECKOUT_LOCALES.join(", ")}` }).optional(),
  }, { error: "unknown field" })
  .superRefine((value, ctx) => {
    const given = Number(value.quantity !== undefined) + Number(value.bundle !== undefined);
    if (given !== 1) {
      ctx.addIssue({ code: "custom", path: ["quantity"], message: "give either quantity or bundle, exactly one" });
    }
  });

export type CheckoutRequest = z.infer<typeof checkoutRequestSchema>;

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

/** The ledger key of an order's grant: one order, one grant, however often it is fulfilled. */
export function orderGrantKey(orderNo: string): string {
  return `${TRANS_TYPES.orderPay}:${orderNo}`;
}

export interface CheckoutInput {
  user: { uuid: string; email: string };
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
  await hitRateLimit(`checkout:${input.user.uuid}`, CHECKOUT_RATE_LIMIT.perUser, CHECKOUT_RATE_LIMIT.windowSeconds, db);
  const locale: CheckoutLocale = CHECKOUT_LOCALES.find((l) => l === (input.locale ?? request.locale)) ?? "en";
  const labels = input.labels?.(purchase.credits) ?? {
    name: `${purchase.credits} credits`,
    description: `Bundle of ${purchase.credits} credits, valid for ${PURCHASED_CREDITS_VALIDITY_DAYS} days`,
  };
  const appUrl = env().APP_URL.replace(/\/+$/, "");

  const orderNo = newOrderNo();
  await db.insert(orders).values({
    orderNo,
    userUuid: input.user.uuid,
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
              product_data: { name: labels.name, description: labels.description },
            },
          },
        ],
        metadata: { order_no: orderNo, user_uuid: input.user.uuid, credits: String(purchase.credits) },
        payment_intent_data: { metadata: { order_no: orderNo } },
        client_reference_id: orderNo,
        customer_email: input.user.email,
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
    console.error("[payments] creating the Checkout Session failed", { orderNo, error: (error as Error).message });
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

// ---------------------------------------------------------------------------
// Fulfilment
// ---------------------------------------------------------------------------

/** What a paid Checkout Session says, as plain values. */
export interface PaidSession {
  orderNo: string;
  sessionId: string;
  amountTotal: number | null;
  currency: string | null;
  paymentIntentId: string | null;
}

export type FulfilResult =
  | { fulfilled: true; order: Order }
  | { fulfilled: false; reason: "unknown_order" | "mismatch" | "already_fulfilled"; order: Order | null };

/** Our order number on a session we created, or null for someone else's session. */
export function orderNoOfSession(session: Pick<Stripe.Checkout.Session, "metadata" | "client_reference_id">): string | null {
  return session.metadata?.order_no || session.client_reference_id || null;
}

const idOf = (value: string | { id: string } | null | undefined) => (typeof value === "string" ? value : value?.id ?? null);

export function paidSessionOf(session: Stripe.Checkout.Session): PaidSession | null {
  const orderNo = orderNoOfSession(session);
  if (!orderNo) return null;
  return {
    orderNo,
    sessionId: session.id,
    amountTotal: session.amount_total,
    currency: session.currency,
    paymentIntentId: idOf(session.payment_intent),
  };
}

function paymentMismatch(order: Order, paid: PaidSession): string | null {
  if (order.stripeSessionId && order.stripeSessionId !== paid.sessionId) return "session id";
  if (paid.amountTotal !== order.amount) return "amount";
  if ((paid.currency ?? "").toLowerCase() !== order.currency.toLowerCase()) return "currency";
  return null;
}

/** Statuses a confirmed payment may move to `paid` from. A closure never outranks money received. */
const PAYABLE: OrderStatus[] = ["created", "failed", "expired"];

/**
 * Marks the order paid and grants its credits, in one transaction, exactly once.
 * Called by the webhook and the success page alike; replays are no-ops.
 */
export async function fulfilOrder(paid: PaidSession, db: Executor = getDb()): Promise<FulfilResult> {
  return db.transaction(async (tx) => {
    const [order] = await tx.select().from(orders).where(eq(orders.orderNo, paid.orderNo));
    if (!order) return { fulfilled: false, reason: "unknown_order", order: null };
    const mismatch = paymentMismatch(order, paid);
    if (mismatch) {
      console.error(`[payments] paid session does not match order (${mismatch}); nothing granted`, {
        orderNo: order.orderNo,
        sessionId: paid.sessionId,
      });
      return { fulfilled: false, reason: "mismatch", order };
    }
    // The one winner of this UPDATE grants; every concurrent or later caller gets no row.
    const [claimed] = await tx
      .update(orders)
      .set({
        status: "paid",
        paidAt: sql`now()`,
        updatedAt: sql`now()`,
        stripeSessionId: paid.sessionId,
        stripePaymentIntentId: paid.paymentIntentId,
        creditsTransNo: orderGrantKey(order.orderNo),
      })
      .where(and(eq(orders.orderNo, order.orderNo), inArray(orders.status, PAYABLE)))
      .returning();
    if (!claimed) {
      const [current] = await tx.select().from(orders).where(eq(orders.orderNo, order.orderNo));
      return { fulfilled: false, reason: "already_fulfilled", order: current ?? order };
    }
    await grantCredits(
      {
        userUuid: claimed.userUuid,
        credits: claimed.credits,
        transType: TRANS_TYPES.orderPay,
        validityDays: PURCHASED_CREDITS_VALIDITY_DAYS,
        orderNo: claimed.orderNo,
        reason: `Stripe Checkout ${paid.sessionId}`,
        key: orderGrantKey(claimed.orderNo),
      },
      tx,
    );
    return { fulfilled: true, order: claimed };
  });
}

/** async_payment_failed -> failed, expired -> expired; only an order still waiting for payment. */
export async function closeOrder(
  input: { orderNo: string; sessionId: string; status: "failed" | "expired" },
  db: Executor = getDb(),
): Promise<Order | null> {
  const [closed] = await db
    .update(orders)
    .set({ status: input.status, updatedAt: sql`now()` })
    .where(
      and(
        eq(orders.orderNo, input.orderNo),
        eq(orders.status, "created"),
        or(isNull(orders.stripeSessionId), eq(orders.stripeSessionId, input.sessionId)),
      ),
    )
    .returning();
  return closed ?? null;
}

export interface RefundInput {
  paymentIntentId: string | null;
  /** From the charge's metadata, when Stripe copied it there. */
  orderNo?: string | null;
  /** Stripe's `refunded`: true once the whole charge is refunded. */
  fullyRefunded: boolean;
}

/**
 * A fully refunded payment: the order becomes `refunded` and the unspent part of
 * its credits is taken back, in one transaction, once. Credits already spent stay
 * spent. Partial refunds change nothing here (see docs/payments.md).
 */
export async function refundOrder(
  input: RefundInput,
  db: Executor = getDb(),
): Promise<{ refunded: boolean; order: Order | null; revokedCredits: number }> {
  if (!input.fullyRefunded) return { refunded: false, order: null, revokedCredits: 0 };
  const match = input.paymentIntentId
    ? eq(orders.stripePaymentIntentId, input.paymentIntentId)
    : input.orderNo
      ? eq(orders.orderNo, input.orderNo)
      : null;
  if (!match) return { refunded: false, order: null, revokedCredits: 0 };
  return db.transaction(async (tx) => {
    let [order] = await tx.select().from(orders).where(match).limit(1);
    if (!order && input.orderNo) [order] = await tx.select().from(orders).where(eq(orders.orderNo, input.orderNo));
    if (!order) return { refunded: false, order: null, revokedCredits: 0 };
    // A refund seen before the payment event (order still `created`) also closes the
    // order, so the late payment event finds nothing to grant.
    const [updated] = await tx
      .update(orders)
      .set({ status: "refunded", refundedAt: sql`now()`, updatedAt: sql`now()` })
      .where(and(eq(orders.orderNo, order.orderNo), inArray(orders.status, ["paid", "created"])))
      .returning();
    if (!updated) return { refunded: false, order, revokedCredits: 0 };
    const revoked = await revokeOrderCredits({ orderNo: updated.orderNo, reason: "Stripe refund" }, tx);
    return { refunded: true, order: updated, revokedCredits: revoked.credits };
  });
}

// ---------------------------------------------------------------------------
// Webhook events
// ---------------------------------------------------------------------------

export interface EventOutcome {
  handled: boolean;
  action: string;
  orderNo?: string;
}

/** Applies a verified Stripe event. Unknown events and other people's sessions are ignored (200). */
export async function handleStripeEvent(event: Stripe.Event, db: Executor = getDb()): Promise<EventOutcome> {
  switch (event.type) {
    case "checkout.session.completed":
    case "checkout.session.async_payment_succeeded": {
      const session = event.data.object;
      const paid = paidSessionOf(session);
      if (!paid) return { handled: false, action: "not_our_session" };
      // Delayed payment methods complete the session unpaid; async_payment_succeeded follows.
      if (session.payment_status !== "paid") return { handled: false, action: "awaiting_payment", orderNo: paid.orderNo };
      const result = await fulfilOrder(paid, db);
      return { handled: result.fulfilled, action: result.fulfilled ? "fulfilled" : result.reason, orderNo: paid.orderNo };
    }
    case "checkout.session.async_payment_failed":
    case "checkout.session.expired": {
      const session = event.data.object;
      const orderNo = orderNoOfSession(session);
      if (!orderNo) return { handled: false, action: "not_our_session" };
      const status = event.type === "checkout.session.expired" ? "expired" : "failed";
      const closed = await closeOrder({ orderNo, sessionId: session.id, status }, db);
      return { handled: closed !== null, action: closed ? status : "unchanged", orderNo };
    }
    case "charge.refunded": {
      const charge = event.data.object;
      const result = await refundOrder(
        { paymentIntentId: idOf(charge.payment_intent), orderNo: charge.metadata?.order_no, fullyRefunded: charge.refunded },
        db,
      );
      if (!charge.refunded) {
        console.warn("[payments] partial refund: credits left unchanged", { charge: charge.id, amountRefunded: charge.amount_refunded });
      }
      return {
        handled: result.refunded,
        action: result.refunded ? "refunded" : charge.refunded ? "unchanged" : "partial_refund_ignored",
        orderNo: result.order?.orderNo,
      };
    }
    default:
      return { handled: false, action: "ignored" };
  }
}

// ---------------------------------------------------------------------------
// Success page and order history
// ---------------------------------------------------------------------------

const sessionIdSchema = z
  .string({ error: "is required" })
  .regex(/^cs_[A-Za-z0-9_]{1,250}$/, { error: "must be a Checkout Session id" });

export interface OrderDto {
  orderNo: string;
  credits: number;
  amount: number;
  currency: string;
  bundle: string | null;
  status: OrderStatus;
  createdAt: string;
  paidAt: string | null;
  refundedAt: string | null;
}

export function toOrderDto(order: Order): OrderDto {
  return {
    orderNo: order.orderNo,
    credits: order.credits,
    amount: order.amount,
    currency: order.currency,
    bundle: order.bundle,
    status: order.status,
    createdAt: order.createdAt.toISOString(),
    paidAt: order.paidAt?.toISOString() ?? null,
    refundedAt: order.refundedAt?.toISOString() ?? null,
  };
}

export interface ConfirmedCheckout {
  order: OrderDto;
  /** True when this call (not a webhook before it) granted the credits. */
  fulfilledNow: boolean;
  paymentStatus: Stripe.Checkout.Session.PaymentStatus;
  balance: number;
}

/**
 * The success page: asks Stripe about the session, and when it is paid runs the
 * same idempotent fulfilment as the webhook. Only the order's owner may look.
 */
export async function confirmCheckoutSession(
  input: { sessionId: unknown; userUuid: string },
  db: Executor = getDb(),
): Promise<ConfirmedCheckout> {
  const sessionId = parseInput(sessionIdSchema, input.sessionId);
  const stripe = getStripe();
  let session: Stripe.Checkout.Session;
  try {
    session = await lookupCheckoutSession(stripe, sessionId, input.userUuid);
  } catch (error) {
    if (!(error instanceof Stripe.errors.StripeError)) throw error; // 429 (too many lookups), database errors
    if (error instanceof Stripe.errors.StripeInvalidRequestError && error.statusCode === 404) {
      throw new NotFoundError("unknown checkout session");
    }
    console.error("[payments] retrieving the Checkout Session failed", { sessionId, error: (error as Error).message });
    throw new PaymentProviderError("could not reach Stripe, try again shortly");
  }
  const orderNo = orderNoOfSession(session);
  const [order] = orderNo ? await db.select().from(orders).where(eq(orders.orderNo, orderNo)) : [];
  if (!order) throw new NotFoundError("unknown checkout session");
  if (order.userUuid !== input.userUuid) throw new ForbiddenError("this checkout belongs to another account");

  let fulfilledNow = false;
  const paid = paidSessionOf(session);
  if (paid && session.payment_status === "paid") fulfilledNow = (await fulfilOrder(paid, db)).fulfilled;
  const [current] = await db.select().from(orders).where(eq(orders.orderNo, order.orderNo));
  const { balance } = await getUserCredits(input.userUuid, db);
  return { order: toOrderDto(current), fulfilledNow, paymentStatus: session.payment_status, balance };
}

export async function listOrders(
  userUuid: string,
  options: { page?: number; pageSize?: number } = {},
  db: Executor = getDb(),
): Promise<Page<OrderDto>> {
  const window = pageWindow(options);
  const rows = await db
    .select()
    .from(orders)
    .where(eq(orders.userUuid, userUuid))
    .orderBy(desc(orders.createdAt), desc(orders.orderNo))
    .limit(window.limit)
    .offset(window.offset);
  return window.toPage(rows.map(toOrderDto));
}

export async function getOrder(orderNo: string, db: Executor = getDb()): Promise<Order | null> {
  const [order] = await db.select().from(orders).where(eq(orders.orderNo, orderNo));
  return order ?? null;
}
