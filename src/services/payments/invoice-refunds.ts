/**
 * Refunds and disputes of subscription invoices: like one-off orders (refunds.ts), for the
 * credits an invoice granted (`invoice:<id>`, and a yearly plan's monthly grants
 * `invoice:<id>:month:<n>`).
 *
 * - The charge names no invoice in the API version the app pins (Stripe SDK 23: `Charge`
 *   has no `invoice`), so the invoice is found from the charge's payment intent with
 *   Stripe's invoice payments list (`GET /v1/invoice_payments?payment[type]=payment_intent`).
 *   Only charges of a customer the app knows are looked up (disputes carry no customer).
 * - A refund takes back, from each grant the invoice made so far,
 *   floor(grant credits x amount refunded / amount charged) in all, limited to what is
 *   unspent; keyed `order_refund:<charge>:<amount_refunded>[:month:<n>]`, so replays and
 *   concurrent deliveries take once and several partial refunds add up.
 * - A yearly invoice's months not granted yet are granted reduced by the same share
 *   (nothing after a full refund), and not at all while a dispute is open or after it is
 *   lost: the subscription row remembers the latest invoice's charged/refunded amounts and
 *   open dispute, and both a refund and a monthly grant lock that row first, so a month
 *   granted concurrently with a refund is either seen by it or granted reduced.
 * - A dispute takes back what is left of each grant (`dispute:<id>[:month:<n>]`); won
 *   (or `warning_closed`), exactly that comes back (`dispute_reversal:<id>[:month:<n>]`)
 *   and the remaining months are granted again. An opening delivered after a won closure
 *   takes nothing and stops no months (`closed_disputes`).
 * - A refund or dispute that arrives before `invoice.paid` granted anything is refused (503)
 *   when the invoice is one that grants, so Stripe delivers it again after the grant
 *   (`deferUntilGranted`).
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { getDb, type Executor, type Tx } from "@/db";
import { credits, subscriptions, type CreditRow } from "@/db/schema";
import { ServiceUnavailableError } from "@/lib/http/errors";
import { getStripe, type Stripe } from "@/lib/stripe";
import { TRANS_TYPES, reverseDisputeCredits, revokeGrantCredits } from "@/services/credits/ledger";
import { sendAlert } from "@/services/notify/alerts";
import { userOfCustomer } from "./customers";
import { idOf } from "./fulfilment";
import { DISPUTE_WON, UNGRANTED_RETRY_SECONDS, compactMetadata, creditsForRefund, disputeWonAlready, recordDisputeClosed, type DisputeInput, type RefundInput } from "./refunds";
import { invoiceGrant } from "./subscriptions";

/** The ledger keys of the grants an invoice can make: month 0 at invoice.paid, months 1..11 for yearly plans. */
export function invoiceGrantKeys(invoiceId: string): string[] {
  return [`invoice:${invoiceId}`, ...Array.from({ length: 11 }, (_, i) => `invoice:${invoiceId}:month:${i + 1}`)];
}

/**
 * The subscription invoice a payment intent paid, from Stripe's invoice payments; null when
 * it paid none (a one-off payment of another app, say). Stripe errors propagate: the
 * webhook answers 500 and Stripe delivers the event again later.
 */
export async function invoiceOfPaymentIntent(paymentIntentId: string | null): Promise<string | null> {
  if (!paymentIntentId) return null;
  const page = await getStripe().invoicePayments.list({ payment: { type: "payment_intent", payment_intent: paymentIntentId }, limit: 10 });
  const payment = page.data.find((p) => p.status === "paid") ?? page.data[0];
  return payment ? idOf(payment.invoice as string | { id: string }) : null;
}

/** The invoice a refunded charge paid, asked of Stripe only for charges of customers the app knows. */
export async function invoiceOfCharge(charge: Pick<Stripe.Charge, "customer" | "payment_intent">, db: Executor = getDb()): Promise<string | null> {
  const customer = idOf(charge.customer as string | { id: string } | null);
  if (!customer || !(await userOfCustomer(customer, db))) return null;
  return invoiceOfPaymentIntent(idOf(charge.payment_intent as string | { id: string } | null));
}

/**
 * A refund or dispute found no grant of its invoice: `invoice.paid` has not been applied yet
 * (Stripe does not order its deliveries). Acknowledged, it would be lost and the late grant
 * would stand in full. So when Stripe's invoice is one that grants (the rule invoice.paid
 * applies, `invoiceGrant`), the event is refused with 503 and Stripe delivers it again, with
 * back-off, for up to three days: by then the grant is there and gives back its share. An
 * invoice that never grants (another billing reason, a plan the app does not sell) is let go.
 */
export async function deferUntilGranted(invoiceId: string, db: Executor = getDb()): Promise<void> {
  const invoice = await getStripe().invoices.retrieve(invoiceId);
  const { grant } = await invoiceGrant(invoice, db);
  if (grant) throw new ServiceUnavailableError(`invoice ${invoiceId} has not granted its credits yet; deliver this event again later`, UNGRANTED_RETRY_SECONDS);
}

/** The invoice's grants, after locking its subscription row (yearly months are granted under the same lock). */
async function lockInvoiceGrants(tx: Tx, invoiceId: string): Promise<CreditRow[]> {
  const keys = invoiceGrantKeys(invoiceId);
  const [first] = await tx.select().from(credits).where(eq(credits.transNo, keys[0]));
  const subscriptionId = first?.metadata?.subscription;
  if (!first || !subscriptionId) return [];
  await tx.select({ id: subscriptions.id }).from(subscriptions).where(eq(subscriptions.id, subscriptionId)).for("update");
  return tx.select().from(credits).where(inArray(credits.transNo, keys)).orderBy(credits.id);
}

/** `invoice:<id>:month:3` -> `:month:3`; month 0 -> "". */
const monthSuffix = (grant: CreditRow, invoiceId: string) => grant.transNo.slice(`invoice:${invoiceId}`.length);

/** What a grant would have been without earlier refunds (months granted after a partial refund are reduced). */
const nominalCredits = (grant: CreditRow) => Number(grant.metadata?.nominal_credits ?? grant.credits);

/** What refunds of `refunded` out of `charged` take of a grant in all (a month granted reduced already lacks its share). */
function refundTotal(grant: CreditRow, refunded: number, charged: number): number {
  if (refunded <= 0) return 0;
  const nominal = nominalCredits(grant);
  return Math.max(0, creditsForRefund(nominal, refunded, charged) - (nominal - grant.credits));
}

export interface InvoiceMovement {
  handled: boolean;
  action: string;
  invoiceId: string;
  credits: number;
}

/** charge.refunded for a subscription invoice: each of its grants gives back its share, once. */
export async function refundInvoice(input: RefundInput & { invoiceId: string }, db: Executor = getDb()): Promise<InvoiceMovement> {
  const full = input.amountRefunded >= input.amount;
  return db.transaction(async (tx) => {
    const grants = await lockInvoiceGrants(tx, input.invoiceId);
    if (grants.length === 0) return { handled: false, action: "unknown_invoice", invoiceId: input.invoiceId, credits: 0 };
    await tx
      .update(subscriptions)
      .set({
        latestInvoiceAmountCharged: input.amount,
        latestInvoiceAmountRefunded: sql`greatest(${subscriptions.latestInvoiceAmountRefunded}, ${input.amountRefunded})`,
        updatedAt: sql`now()`,
      })
      .where(eq(subscriptions.latestInvoiceId, input.invoiceId));
    let revoked = 0;
    for (const grant of grants) {
      const result = await revokeGrantCredits(
        {
          grantTransNo: grant.transNo,
          transType: TRANS_TYPES.orderRefund,
          key: `${TRANS_TYPES.orderRefund}:${input.chargeId}:${input.amountRefunded}${monthSuffix(grant, input.invoiceId)}`,
          total: refundTotal(grant, input.amountRefunded, input.amount),
          reason: full ? "Stripe refund of a subscription invoice" : `Stripe partial refund of a subscription invoice (${input.amountRefunded} of ${input.amount})`,
          metadata: compactMetadata({
            invoice: input.invoiceId,
            charge: input.chargeId,
            payment_intent: input.paymentIntentId,
            refund: input.refundId,
            amount_refunded: String(input.amountRefunded),
          }),
        },
        tx,
      );
      if (result.revoked) revoked += result.credits;
    }
    return { handled: revoked > 0, action: revoked > 0 ? (full ? "invoice_refunded" : "invoice_partially_refunded") : "unchanged", invoiceId: input.invoiceId, credits: revoked };
  });
}

const disputeMetadata = (d: DisputeInput, invoiceId: string) =>
  compactMetadata({ invoice: invoiceId, dispute: d.disputeId, charge: d.chargeId, payment_intent: d.paymentIntentId, dispute_status: d.status, dispute_reason: d.reason });

/** charge.dispute.created for a subscription invoice: what is left of its grants is taken back, once; no more months meanwhile. */
export async function openInvoiceDispute(input: DisputeInput & { invoiceId: string }, db: Executor = getDb()): Promise<InvoiceMovement> {
  const result = await db.transaction(async (tx): Promise<InvoiceMovement & { userUuid?: string }> => {
    const grants = await lockInvoiceGrants(tx, input.invoiceId);
    if (grants.length === 0) return { handled: false, action: "unknown_invoice", invoiceId: input.invoiceId, credits: 0 };
    if (await disputeWonAlready(tx, input.disputeId)) return { handled: false, action: "closed_already", invoiceId: input.invoiceId, credits: 0 };
    const marked = await tx
      .update(subscriptions)
      .set({ latestInvoiceDisputeId: input.disputeId, updatedAt: sql`now()` })
      .where(and(eq(subscriptions.latestInvoiceId, input.invoiceId), sql`${subscriptions.latestInvoiceDisputeId} IS DISTINCT FROM ${input.disputeId}`))
      .returning({ id: subscriptions.id });
    let taken = 0;
    let any = false;
    for (const grant of grants) {
      const result = await revokeGrantCredits(
        {
          grantTransNo: grant.transNo,
          transType: TRANS_TYPES.dispute,
          key: `${TRANS_TYPES.dispute}:${input.disputeId}${monthSuffix(grant, input.invoiceId)}`,
          reason: `Stripe dispute of a subscription invoice (${input.reason ?? "unknown reason"})`,
          metadata: disputeMetadata(input, input.invoiceId),
        },
        tx,
      );
      if (result.revoked) {
        any = true;
        taken += result.credits;
      }
    }
    // Handled by the one delivery that took credits or stopped the months; replays are no-ops.
    const handled = any || marked.length > 0;
    return { handled, action: handled ? "invoice_disputed" : "unchanged", invoiceId: input.invoiceId, credits: taken, userUuid: grants[0].userUuid };
  });
  if (result.handled) {
    await sendAlert({
      kind: "dispute_opened",
      message: `Dispute ${input.disputeId} opened on subscription invoice ${input.invoiceId} (${input.reason ?? "no reason"}); ${result.credits} unspent credits taken back.`,
      details: { invoice: input.invoiceId, user: result.userUuid, dispute: input.disputeId, charge: input.chargeId, amount: `${input.amount} ${input.currency}` },
    });
  }
  return { handled: result.handled, action: result.action, invoiceId: result.invoiceId, credits: result.credits };
}

/** charge.dispute.closed for a subscription invoice: won -> what the dispute took comes back (once) and months resume. */
export async function closeInvoiceDispute(input: DisputeInput & { invoiceId: string }, db: Executor = getDb()): Promise<InvoiceMovement> {
  const won = DISPUTE_WON.has(input.status);
  const result = await db.transaction(async (tx): Promise<InvoiceMovement> => {
    const grants = await lockInvoiceGrants(tx, input.invoiceId);
    if (grants.length === 0) return { handled: false, action: "unknown_invoice", invoiceId: input.invoiceId, credits: 0 };
    await recordDisputeClosed(tx, input);
    if (!won) return { handled: false, action: "dispute_lost", invoiceId: input.invoiceId, credits: 0 };
    const resumed = await tx
      .update(subscriptions)
      .set({ latestInvoiceDisputeId: null, updatedAt: sql`now()` })
      .where(eq(subscriptions.latestInvoiceDisputeId, input.disputeId))
      .returning({ id: subscriptions.id });
    // What refunds of the invoice still claim once the dispute is over (one made during an inquiry).
    const [refunds] = await tx
      .select({ charged: subscriptions.latestInvoiceAmountCharged, refunded: subscriptions.latestInvoiceAmountRefunded })
      .from(subscriptions)
      .where(eq(subscriptions.latestInvoiceId, input.invoiceId));
    let restored = 0;
    let any = resumed.length > 0;
    for (const grant of grants) {
      const suffix = monthSuffix(grant, input.invoiceId);
      const reversal = await reverseDisputeCredits(
        {
          grantTransNo: grant.transNo,
          disputeTransNo: `${TRANS_TYPES.dispute}:${input.disputeId}${suffix}`,
          target: refunds?.charged ? refundTotal(grant, refunds.refunded, refunds.charged) : 0,
          key: `${TRANS_TYPES.disputeReversal}:${input.disputeId}${suffix}`,
          reason: "Stripe dispute of a subscription invoice won",
          metadata: disputeMetadata(input, input.invoiceId),
        },
        tx,
      );
      if (reversal.reversed) {
        any = true;
        restored += reversal.credits;
      }
    }
    return { handled: any, action: any ? "invoice_dispute_won" : "unchanged", invoiceId: input.invoiceId, credits: restored };
  });
  if (result.handled || result.action === "dispute_lost") {
    await sendAlert({
      kind: "dispute_closed",
      message: `Dispute ${input.disputeId} on subscription invoice ${input.invoiceId} closed: ${input.status}${won ? `; ${result.credits} credits restored` : ""}.`,
      details: { invoice: input.invoiceId, dispute: input.disputeId, charge: input.chargeId },
    });
  }
  return result;
}
