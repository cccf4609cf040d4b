/**
 * Fulfilment of credit orders: a paid (or free) Checkout Session becomes one
 * `order_pay` grant, exactly once, whoever reports it first (webhook, success page,
 * reconciliation). A paid session that does not match its order is parked in
 * `needs_review` and an operator is alerted: the customer paid, so it is never silently dropped.
 */
import { and, desc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb, type Executor } from "@/db";
import { ORDER_STATUSES, orders, type Order, type OrderStatus } from "@/db/schema";
import { PURCHASED_CREDITS_VALIDITY_DAYS } from "@/data/credits";
import { parseInput } from "@/lib/http/api";
import { ForbiddenError, NotFoundError } from "@/lib/http/errors";
import { pageWindow, type Page } from "@/lib/http/pagination";
import { Stripe, getStripe } from "@/lib/stripe";
import { lookupCheckoutSession } from "@/services/payments/checkout-lookup";
import { TRANS_TYPES, getUserCredits, grantCredits } from "@/services/credits/ledger";
import { sendAlert } from "@/services/notify/alerts";
import { checkLowBalance, sendReceipt } from "@/services/notify/billing-mails";
import { PaymentProviderError } from "./checkout";
import { logger } from "@/lib/logger";

/** What a completed Checkout Session says, as plain values. */
export interface PaidSession {
  orderNo: string;
  sessionId: string;
  /** "paid", or "no_payment_required" (e.g. a 100 % discount). */
  paymentStatus: Stripe.Checkout.Session.PaymentStatus;
  amountTotal: number | null;
  amountSubtotal: number | null;
  currency: string | null;
  paymentIntentId: string | null;
}

export type FulfilResult =
  | { fulfilled: true; order: Order }
  | {
      fulfilled: false;
      reason: "unknown_order" | "unpaid" | "needs_review" | "already_fulfilled";
      order: Order | null;
    };

/** Our order number on a session we created, or null for someone else's session. */
export function orderNoOfSession(session: Pick<Stripe.Checkout.Session, "metadata" | "client_reference_id">): string | null {
  return session.metadata?.order_no || session.client_reference_id || null;
}

export const idOf = (value: string | { id: string } | null | undefined) => (typeof value === "string" ? value : value?.id ?? null);

export function paidSessionOf(session: Stripe.Checkout.Session): PaidSession | null {
  // Subscription checkouts are settled by invoice.paid, not by an order.
  if (session.mode && session.mode !== "payment") return null;
  const orderNo = orderNoOfSession(session);
  if (!orderNo) return null;
  return {
    orderNo,
    sessionId: session.id,
    paymentStatus: session.payment_status,
    amountTotal: session.amount_total,
    amountSubtotal: session.amount_subtotal,
    currency: session.currency,
    paymentIntentId: idOf(session.payment_intent),
  };
}

/** Whether the session's money (or its absence) settles the order. */
export const isSettled = (status: Stripe.Checkout.Session.PaymentStatus) => status === "paid" || status === "no_payment_required";

/**
 * Why a settled session does not match its order, or null. A paid session must charge
 * exactly the order's amount; a free one (no_payment_required: a 100 % discount)
 * must be for the order's amount before the discount and charge nothing.
 */
function paymentMismatch(order: Order, paid: PaidSession): string | null {
  if (order.stripeSessionId && order.stripeSessionId !== paid.sessionId) {
    return `session id ${paid.sessionId} != ${order.stripeSessionId}`;
  }
  if ((paid.currency ?? "").toLowerCase() !== order.currency.toLowerCase()) return `currency ${paid.currency} != ${order.currency}`;
  if (paid.paymentStatus === "no_payment_required") {
    if (paid.amountTotal !== 0 || paid.amountSubtotal !== order.amount) {
      return `free session: total ${paid.amountTotal}, subtotal ${paid.amountSubtotal} != ${order.amount}`;
    }
    return null;
  }
  if (paid.amountTotal !== order.amount) return `amount ${paid.amountTotal} != ${order.amount}`;
  return null;
}

/** Statuses a confirmed payment may move to `paid` from. A closure never outranks money received. */
export const PAYABLE: OrderStatus[] = ["created", "failed", "expired"];

/** The ledger key of an order's grant: one order, one grant, however often it is fulfilled. */
export function orderGrantKey(orderNo: string): string {
  return `${TRANS_TYPES.orderPay}:${orderNo}`;
}

/**
 * Marks the order paid and grants its credits, in one transaction, exactly once.
 * Called by the webhook, the success page and reconciliation alike; replays are no-ops.
 * A mismatching session moves the order to `needs_review` (once) and alerts an operator.
 */
export async function fulfilOrder(paid: PaidSession, db: Executor = getDb()): Promise<FulfilResult> {
  let flagged: { order: Order; problem: string } | null = null;
  const result = await db.transaction(async (tx): Promise<FulfilResult> => {
    const [order] = await tx.select().from(orders).where(eq(orders.orderNo, paid.orderNo));
    if (!order) return { fulfilled: false, reason: "unknown_order", order: null };
    if (!isSettled(paid.paymentStatus)) return { fulfilled: false, reason: "unpaid", order };
    const problem = paymentMismatch(order, paid);
    if (problem) {
      // The customer was charged: park the order for an operator. Only the first report flags it.
      const [parked] = await tx
        .update(orders)
        .set({ status: "needs_review", reviewReason: problem, stripePaymentIntentId: paid.paymentIntentId, updatedAt: sql`now()` })
        .where(and(eq(orders.orderNo, order.orderNo), inArray(orders.status, PAYABLE)))
        .returning();
      if (parked) flagged = { order: parked, problem };
      return { fulfilled: false, reason: "needs_review", order: parked ?? order };
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
      const reason = current?.status === "needs_review" ? "needs_review" : "already_fulfilled";
      return { fulfilled: false, reason, order: current ?? order };
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
        metadata: { checkout_session: paid.sessionId, ...(paid.paymentIntentId ? { payment_intent: paid.paymentIntentId } : {}) },
      },
      tx,
    );
    return { fulfilled: true, order: claimed };
  });
  if (result.fulfilled) {
    const order = result.order;
    await sendReceipt({ userUuid: order.userUuid, credits: order.credits, amount: paid.amountTotal ?? 0, currency: order.currency, reference: order.orderNo }, db);
    await checkLowBalance(order.userUuid, db); // re-arms the low-balance notice
  }
  if (flagged) {
    const { order, problem } = flagged as { order: Order; problem: string };
    logger.error({ orderNo: order.orderNo, problem }, "[payments] paid session does not match its order; order needs review");
    await sendAlert({
      kind: "order_needs_review",
      message: `Order ${order.orderNo} was paid but does not match its Checkout Session (${problem}); nothing granted. Review with npm run orders:review.`,
      details: { order: order.orderNo, user: order.userUuid, session: paid.sessionId, payment_intent: paid.paymentIntentId },
    });
  }
  return result;
}

/**
 * Settles now the order a payment intent paid, when an event about that payment (a dispute)
 * reaches the app before its checkout.session.completed: Stripe is asked for the payment
 * intent's Checkout Session and the same idempotent `fulfilOrder` runs, as reconciliation
 * would run it later. Null when the payment is not one of our orders' (an invoice's, another
 * app's). Stripe errors propagate: the webhook answers 500 and the event comes again.
 */
export async function fulfilPaymentIntent(paymentIntentId: string | null, db: Executor = getDb()): Promise<FulfilResult | null> {
  if (!paymentIntentId) return null;
  const { data } = await getStripe().checkout.sessions.list({ payment_intent: paymentIntentId, limit: 1 });
  const paid = data[0] ? paidSessionOf(data[0]) : null;
  return paid ? fulfilOrder(paid, db) : null;
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


// ---------------------------------------------------------------------------
// Success page and order history
// ---------------------------------------------------------------------------

const sessionIdSchema = z
  .string({ error: "is required" })
  .regex(/^cs_[A-Za-z0-9_]{1,250}$/, { error: "must be a Checkout Session id" });

/** A credit order as GET /api/orders answers it: the one definition of its shape. */
export const orderDtoSchema = z
  .object({
    orderNo: z.string(),
    credits: z.int(),
    amount: z.int().meta({ description: "Smallest currency unit (cents)." }),
    currency: z.string(),
    bundle: z.string().nullable(),
    status: z.enum(ORDER_STATUSES),
    createdAt: z.iso.datetime(),
    paidAt: z.iso.datetime().nullable(),
    refundedAt: z.iso.datetime().nullable(),
    amountRefunded: z.int().meta({ description: "Refunded so far (partial refunds add up), smallest currency unit." }),
  })
  .meta({ id: "Order" });

export type OrderDto = z.infer<typeof orderDtoSchema>;

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
    amountRefunded: order.amountRefunded,
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
    logger.error({ sessionId, error: (error as Error).message }, "[payments] retrieving the Checkout Session failed");
    throw new PaymentProviderError("could not reach Stripe, try again shortly");
  }
  const orderNo = orderNoOfSession(session);
  const [order] = orderNo ? await db.select().from(orders).where(eq(orders.orderNo, orderNo)) : [];
  if (!order) throw new NotFoundError("unknown checkout session");
  if (order.userUuid !== input.userUuid) throw new ForbiddenError("this checkout belongs to another account");

  let fulfilledNow = false;
  const paid = paidSessionOf(session);
  if (paid && isSettled(session.payment_status)) fulfilledNow = (await fulfilOrder(paid, db)).fulfilled;
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

/** Orders an operator must look at (`npm run orders:review`), oldest first. */
export async function listOrdersForReview(db: Executor = getDb()): Promise<Order[]> {
  return db.select().from(orders).where(eq(orders.status, "needs_review")).orderBy(orders.createdAt);
}
