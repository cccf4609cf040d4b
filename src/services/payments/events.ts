/**
 * The webhook's dispatcher: a verified Stripe event -> the service that applies it.
 * Events for objects the app did not create are answered 200 and ignored.
 */
import { getDb, type Executor } from "@/db";
import type { Stripe } from "@/lib/stripe";
import { closeOrder, fulfilOrder, idOf, orderNoOfSession, paidSessionOf } from "./fulfilment";
import { closeDispute, openDispute, refundOrder, type DisputeInput } from "./refunds";
import { handleInvoicePaid, syncSubscription } from "./subscriptions";

export interface EventOutcome {
  handled: boolean;
  action: string;
  orderNo?: string;
}

function disputeInput(dispute: Stripe.Dispute): DisputeInput {
  return {
    disputeId: dispute.id,
    chargeId: idOf(dispute.charge),
    paymentIntentId: idOf(dispute.payment_intent),
    amount: dispute.amount,
    currency: dispute.currency,
    status: dispute.status,
    reason: dispute.reason ?? null,
  };
}

/** Applies a verified Stripe event. Unknown events and other people's objects are ignored (200). */
export async function handleStripeEvent(event: Stripe.Event, db: Executor = getDb()): Promise<EventOutcome> {
  switch (event.type) {
    case "checkout.session.completed":
    case "checkout.session.async_payment_succeeded": {
      const session = event.data.object;
      if (session.mode === "subscription") return { handled: false, action: "subscription_checkout" }; // invoice.paid grants
      const paid = paidSessionOf(session);
      if (!paid) return { handled: false, action: "not_our_session" };
      // Delayed payment methods complete the session unpaid; async_payment_succeeded follows.
      const result = await fulfilOrder(paid, db);
      const action = result.fulfilled ? "fulfilled" : result.reason === "unpaid" ? "awaiting_payment" : result.reason;
      return { handled: result.fulfilled, action, orderNo: paid.orderNo };
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
        {
          chargeId: charge.id,
          paymentIntentId: idOf(charge.payment_intent),
          orderNo: charge.metadata?.order_no,
          amount: charge.amount,
          amountRefunded: charge.amount_refunded,
          refundId: charge.refunds?.data?.[0]?.id ?? null,
        },
        db,
      );
      return { handled: result.handled, action: result.action, orderNo: result.order?.orderNo };
    }
    case "charge.dispute.created": {
      const result = await openDispute(disputeInput(event.data.object), db);
      return { handled: result.handled, action: result.action, orderNo: result.order?.orderNo };
    }
    case "charge.dispute.closed": {
      const result = await closeDispute(disputeInput(event.data.object), db);
      return { handled: result.handled, action: result.action, orderNo: result.order?.orderNo };
    }
    case "invoice.paid":
      return handleInvoicePaid(event.data.object, db);
    case "customer.subscription.created":
    case "customer.subscription.updated":
    case "customer.subscription.deleted":
      return syncSubscription(event.data.object, event.type === "customer.subscription.deleted", db);
    default:
      return { handled: false, action: "ignored" };
  }
}
