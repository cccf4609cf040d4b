/**
 * The webhook's dispatcher: a verified Stripe event -> the service that applies it.
 * Events for objects the app did not create are answered 200 and ignored.
 */
import { getDb, type Executor } from "@/db";
import type { Stripe } from "@/lib/stripe";
import { closeOrder, fulfilOrder, fulfilPaymentIntent, idOf, orderNoOfSession, paidSessionOf } from "./fulfilment";
import { closeDispute, openDispute, refundOrder, type DisputeInput } from "./refunds";
import { closeInvoiceDispute, deferUntilGranted, invoiceOfCharge, invoiceOfPaymentIntent, openInvoiceDispute, refundInvoice } from "./invoice-refunds";
import { handleInvoicePaid, syncSubscription } from "./subscriptions";

export interface EventOutcome {
  handled: boolean;
  action: string;
  orderNo?: string;
  /** The subscription invoice a refund or dispute was applied to. */
  invoiceId?: string;
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
      const input = {
        chargeId: charge.id,
        paymentIntentId: idOf(charge.payment_intent),
        orderNo: charge.metadata?.order_no,
        amount: charge.amount,
        amountRefunded: charge.amount_refunded,
        refundId: charge.refunds?.data?.[0]?.id ?? null,
      };
      const result = await refundOrder(input, db);
      if (result.order) return { handled: result.handled, action: result.action, orderNo: result.order.orderNo };
      // Not an order's charge: a subscription invoice's (found through Stripe's invoice payments)?
      const invoiceId = await invoiceOfCharge(charge, db);
      if (!invoiceId) return { handled: false, action: "unchanged" };
      const outcome = await refundInvoice({ ...input, invoiceId }, db);
      if (outcome.action === "unknown_invoice") await deferUntilGranted(invoiceId, db);
      return outcome;
    }
    case "charge.dispute.created":
    case "charge.dispute.closed": {
      const input = disputeInput(event.data.object);
      const opened = event.type === "charge.dispute.created";
      let result = opened ? await openDispute(input, db) : await closeDispute(input, db);
      // A dispute can reach the app before the payment's checkout.session.completed: the order
      // does not know its payment intent yet. Settled now (granted, or parked for review), the
      // dispute then takes back what it must; acknowledged without that, the late grant would
      // stand in full. Only on opening: a closed dispute never grants an order it never saw.
      if (opened && result.action === "unknown_order" && (await fulfilPaymentIntent(input.paymentIntentId, db))?.order) {
        result = await openDispute(input, db);
      }
      if (result.action !== "unknown_order") return { handled: result.handled, action: result.action, orderNo: result.order?.orderNo };
      const invoiceId = await invoiceOfPaymentIntent(input.paymentIntentId);
      if (!invoiceId) return { handled: false, action: "unknown_order" };
      if (!opened) return closeInvoiceDispute({ ...input, invoiceId }, db);
      const outcome = await openInvoiceDispute({ ...input, invoiceId }, db);
      if (outcome.action === "unknown_invoice") await deferUntilGranted(invoiceId, db);
      return outcome;
    }
    case "invoice.paid":
      return handleInvoicePaid(event.data.object, db);
    case "customer.subscription.created":
    case "customer.subscription.updated":
    case "customer.subscription.deleted":
      return syncSubscription(event.data.object, event.type === "customer.subscription.deleted", new Date(event.created * 1000), db);
    default:
      return { handled: false, action: "ignored" };
  }
}
