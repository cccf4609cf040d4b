/**
 * Daily reconciliation: asks Stripe for the Checkout Sessions and paid subscription
 * invoices of the last N days and fulfils every settled one of ours that the webhook missed (endpoint down, event not
 * enabled, delivery given up). It calls the same idempotent `fulfilOrder` as the
 * webhook, so running it any number of times, concurrently with deliveries, grants
 * each order once. Run by `npm run stripe:reconcile` and POST /api/cron/stripe-reconcile.
 */
import { getDb, type Executor } from "@/db";
import { env } from "@/lib/env";
import { getStripe } from "@/lib/stripe";
import { sendAlert } from "@/services/notify/alerts";
import { fulfilOrder, isSettled, paidSessionOf } from "./fulfilment";
import { handleInvoicePaid } from "./subscriptions";

export interface ReconcileReport {
  since: string;
  /** Completed sessions Stripe listed. */
  sessions: number;
  /** Orders fulfilled now: the webhook had missed them. */
  fulfilled: string[];
  needsReview: string[];
  /** Paid subscription invoices listed, and those whose credits were granted now. */
  invoices: number;
  invoicesGranted: string[];
  /** Sessions of another app on the same Stripe account, or for orders we do not have. */
  ignored: number;
}

const DAY_S = 24 * 60 * 60;

export async function reconcileStripe(options: { days?: number } = {}, db: Executor = getDb()): Promise<ReconcileReport> {
  const days = options.days ?? env().STRIPE_RECONCILE_DAYS;
  const since = Math.floor(Date.now() / 1000) - days * DAY_S;
  const stripe = getStripe();
  const report: ReconcileReport = { since: new Date(since * 1000).toISOString(), sessions: 0, fulfilled: [], needsReview: [], invoices: 0, invoicesGranted: [], ignored: 0 };
  // Auto-pagination: follows has_more with starting_after, 100 per page.
  for await (const session of stripe.checkout.sessions.list({ created: { gte: since }, status: "complete", limit: 100 })) {
    report.sessions++;
    const paid = paidSessionOf(session);
    if (!paid || !isSettled(session.payment_status)) {
      if (!paid) report.ignored++;
      continue;
    }
    const result = await fulfilOrder(paid, db);
    if (result.fulfilled) report.fulfilled.push(paid.orderNo);
    else if (result.reason === "needs_review") report.needsReview.push(paid.orderNo);
    else if (result.reason === "unknown_order") report.ignored++;
  }
  for await (const invoice of stripe.invoices.list({ created: { gte: since }, status: "paid", limit: 100 })) {
    report.invoices++;
    const outcome = await handleInvoicePaid(invoice, db);
    if (outcome.handled) report.invoicesGranted.push(invoice.id!);
  }
  if (report.fulfilled.length > 0 || report.invoicesGranted.length > 0) {
    await sendAlert({
      kind: "reconciliation",
      message: `Reconciliation fulfilled ${report.fulfilled.length} paid order(s) and ${report.invoicesGranted.length} invoice(s) the webhook missed; check the webhook endpoint and its events.`,
      details: { orders: report.fulfilled.join(", "), invoices: report.invoicesGranted.join(", "), since: report.since },
    });
  }
  return report;
}
