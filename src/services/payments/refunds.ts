/**
 * Refunds and disputes of credit orders, in proportion to the money that went back.
 *
 * - A refund (`charge.refunded`, partial or full) takes back
 *   floor(order credits x amount refunded so far / amount paid) credits of the order's
 *   grant in all, limited to what is unspent. Stripe reports the cumulative
 *   `amount_refunded`, so replays, concurrent deliveries and out-of-order events
 *   settle on the same total: each movement is keyed by the charge and that
 *   cumulative amount (`order_refund:<charge>:<amount_refunded>`), and only the part
 *   not yet taken is taken. Several partial refunds add up; never more than granted.
 *   A full refund before the payment event closes the order (nothing is granted later);
 *   a partial one is answered 503 so Stripe delivers it again after the grant.
 * - A dispute (`charge.dispute.created`) takes back what is left of the grant
 *   (`dispute:<dispute id>`) and marks the order `disputed`; a dispute closed `won`
 *   (or an inquiry closed, `warning_closed`) gives exactly that back
 *   (`dispute_reversal:<dispute id>`) and the order is `paid` again. A lost dispute
 *   keeps the credits taken. An opening delivered after a won closure takes nothing
 *   (`closed_disputes`).
 * - What was spent cannot be taken, but a failed task's credits come back to the grant: the
 *   ledger then passes them to the refund or dispute that claims them (`revoke_target`,
 *   credits.ts), and a won dispute leaves what refunds made meanwhile claim taken.
 * Every movement carries the Stripe object ids in its ledger metadata.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { getDb, type Executor, type Tx } from "@/db";
import { closedDisputes, orders, type Order } from "@/db/schema";
import { ServiceUnavailableError } from "@/lib/http/errors";
import { TRANS_TYPES, reverseDisputeCredits, revokeGrantCredits, type LedgerMetadata } from "@/services/credits/ledger";
import { sendAlert } from "@/services/notify/alerts";
import { PAYABLE, orderGrantKey } from "./fulfilment";

/** Seconds Stripe is asked to wait before delivering again a refund or dispute that came before its grant. */
export const UNGRANTED_RETRY_SECONDS = 60;

/** An order that was paid has a grant to take from. */
const GRANTED: Order["status"][] = ["paid", "refunded", "disputed"];

async function lockOrder(tx: Tx, by: { paymentIntentId?: string | null; orderNo?: string | null }): Promise<Order | null> {
  if (by.paymentIntentId) {
    const [order] = await tx.select().from(orders).where(eq(orders.stripePaymentIntentId, by.paymentIntentId)).limit(1).for("update");
    if (order) return order;
  }
  if (by.orderNo) {
    const [order] = await tx.select().from(orders).where(eq(orders.orderNo, by.orderNo)).for("update");
    if (order) return order;
  }
  return null;
}

export const compactMetadata = (m: Record<string, string | null | undefined>): LedgerMetadata =>
  Object.fromEntries(Object.entries(m).filter((e): e is [string, string] => typeof e[1] === "string" && e[1] !== ""));

// ---------------------------------------------------------------------------
// Refunds
// ---------------------------------------------------------------------------

export interface RefundInput {
  chargeId: string;
  paymentIntentId: string | null;
  /** From the charge's metadata, when Stripe copied it there. */
  orderNo?: string | null;
  /** What the charge was for (charge.amount) and what is refunded of it so far (cumulative). */
  amount: number;
  amountRefunded: number;
  /** The newest refund's id, when the charge carries its refunds (audit only). */
  refundId?: string | null;
}

export interface RefundResult {
  handled: boolean;
  action: "refunded" | "partially_refunded" | "unchanged";
  order: Order | null;
  revokedCredits: number;
}

/** Credits a refund of `refunded` out of `paid` takes back of `credits`, in all. */
export function creditsForRefund(credits: number, refunded: number, paid: number): number {
  if (paid <= 0) return credits;
  return Math.min(credits, Math.floor((credits * Math.min(refunded, paid)) / paid));
}

export async function refundOrder(input: RefundInput, db: Executor = getDb()): Promise<RefundResult> {
  // A charge we know nothing about: acknowledged, nothing to do ("unchanged").
  if (!input.paymentIntentId && !input.orderNo) return { handled: false, action: "unchanged", order: null, revokedCredits: 0 };
  return db.transaction(async (tx) => {
    const order = await lockOrder(tx, input);
    if (!order) return { handled: false, action: "unchanged", order: null, revokedCredits: 0 };
    const full = input.amountRefunded >= input.amount;
    // A partial refund seen before the payment event (the order `created`, or closed as
    // failed or expired, which a payment still settles): there is no grant yet to take its
    // share from, and the late grant would stand in full. Refused (503, nothing written) so
    // Stripe delivers it again once the payment event (or the reconciliation) has granted. A
    // full refund closes the order instead (below).
    if (!full && PAYABLE.includes(order.status)) {
      throw new ServiceUnavailableError(`order ${order.orderNo} is not paid yet; deliver this refund again later`, UNGRANTED_RETRY_SECONDS);
    }
    const amountRefunded = Math.max(order.amountRefunded, input.amountRefunded);
    // A full refund seen before the payment event also closes the order, so the late payment
    // event finds nothing to grant.
    const becomesRefunded = full && ["paid", ...PAYABLE, "disputed", "needs_review"].includes(order.status);
    const [updated] = await tx
      .update(orders)
      .set({
        amountRefunded,
        updatedAt: sql`now()`,
        ...(becomesRefunded ? { status: "refunded" as const, refundedAt: sql`now()` } : {}),
      })
      .where(eq(orders.orderNo, order.orderNo))
      .returning();
    let revoked = 0;
    if (GRANTED.includes(order.status)) {
      const result = await revokeGrantCredits(
        {
          grantTransNo: orderGrantKey(order.orderNo),
          transType: TRANS_TYPES.orderRefund,
          key: `${TRANS_TYPES.orderRefund}:${input.chargeId}:${input.amountRefunded}`,
          total: creditsForRefund(order.credits, input.amountRefunded, input.amount),
          reason: full ? "Stripe refund" : `Stripe partial refund (${input.amountRefunded} of ${input.amount})`,
          metadata: compactMetadata({ charge: input.chargeId, payment_intent: input.paymentIntentId, refund: input.refundId, amount_refunded: String(input.amountRefunded) }),
        },
        tx,
      );
      revoked = result.revoked ? result.credits : 0;
    }
    const changed = becomesRefunded || amountRefunded !== order.amountRefunded || revoked > 0;
    return {
      handled: changed,
      action: changed ? (full ? "refunded" : "partially_refunded") : "unchanged",
      order: updated,
      revokedCredits: revoked,
    };
  });
}

// ---------------------------------------------------------------------------
// Disputes
// ---------------------------------------------------------------------------

export interface DisputeInput {
  disputeId: string;
  chargeId: string | null;
  paymentIntentId: string | null;
  amount: number;
  currency: string;
  status: string;
  reason: string | null;
}

export interface DisputeResult {
  handled: boolean;
  action: "disputed" | "dispute_won" | "dispute_lost" | "closed_already" | "unchanged" | "unknown_order";
  order: Order | null;
  credits: number;
}

const disputeKey = (id: string) => `${TRANS_TYPES.dispute}:${id}`;
const disputeMetadata = (d: DisputeInput) =>
  compactMetadata({ dispute: d.disputeId, charge: d.chargeId, payment_intent: d.paymentIntentId, dispute_status: d.status, dispute_reason: d.reason });

/**
 * An opening delivered after its dispute's closure (Stripe does not order deliveries) must not
 * take credits a won dispute would never give back. The closure is recorded, and the opening
 * looks for it, in the transaction that holds the order's (or subscription's) lock, so the two
 * cannot cross.
 */
export async function recordDisputeClosed(tx: Tx, input: DisputeInput): Promise<void> {
  await tx.insert(closedDisputes).values({ disputeId: input.disputeId, status: input.status }).onConflictDoNothing();
}

/** Whether the dispute's closure in the merchant's favour was applied already (see recordDisputeClosed). */
export async function disputeWonAlready(tx: Tx, disputeId: string): Promise<boolean> {
  const [closed] = await tx.select({ status: closedDisputes.status }).from(closedDisputes).where(eq(closedDisputes.disputeId, disputeId));
  return !!closed && DISPUTE_WON.has(closed.status);
}

/** charge.dispute.created: the order becomes `disputed`, its unspent credits are taken back (once). */
export async function openDispute(input: DisputeInput, db: Executor = getDb()): Promise<DisputeResult> {
  const result = await db.transaction(async (tx): Promise<DisputeResult> => {
    const order = await lockOrder(tx, { paymentIntentId: input.paymentIntentId });
    if (!order) return { handled: false, action: "unknown_order", order: null, credits: 0 };
    if (await disputeWonAlready(tx, input.disputeId)) return { handled: false, action: "closed_already", order, credits: 0 };
    const [updated] = await tx
      .update(orders)
      .set({ status: "disputed", updatedAt: sql`now()` })
      .where(and(eq(orders.orderNo, order.orderNo), inArray(orders.status, ["paid"])))
      .returning();
    const revoked = GRANTED.includes(order.status)
      ? await revokeGrantCredits(
          {
            grantTransNo: orderGrantKey(order.orderNo),
            transType: TRANS_TYPES.dispute,
            key: disputeKey(input.disputeId),
            reason: `Stripe dispute (${input.reason ?? "unknown reason"})`,
            metadata: disputeMetadata(input),
          },
          tx,
        )
      : { revoked: false, credits: 0 };
    const handled = !!updated || revoked.revoked;
    return { handled, action: handled ? "disputed" : "unchanged", order: updated ?? order, credits: revoked.revoked ? revoked.credits : 0 };
  });
  // An order parked for review was never granted: nothing to take back, but the operator who
  // reviews it must know the money is disputed before granting anything by hand.
  const parked = result.action !== "closed_already" && result.order?.status === "needs_review";
  if ((result.handled || parked) && result.order) {
    const opened = `Dispute ${input.disputeId} opened on order ${result.order.orderNo} (${input.reason ?? "no reason"})`;
    await sendAlert({
      kind: "dispute_opened",
      message: parked
        ? `${opened}, which waits for review: nothing was granted; do not grant it while the dispute is open.`
        : `${opened}; ${result.credits} unspent credits taken back.`,
      details: { order: result.order.orderNo, user: result.order.userUuid, dispute: input.disputeId, charge: input.chargeId, amount: `${input.amount} ${input.currency}` },
    });
  }
  return result;
}

/** Dispute statuses that end in the merchant's favour: the credits come back. */
export const DISPUTE_WON = new Set(["won", "warning_closed"]);

/** charge.dispute.closed: won -> credits restored (once), order `paid` again; lost -> stays `disputed`. */
export async function closeDispute(input: DisputeInput, db: Executor = getDb()): Promise<DisputeResult> {
  const won = DISPUTE_WON.has(input.status);
  const result = await db.transaction(async (tx): Promise<DisputeResult> => {
    const order = await lockOrder(tx, { paymentIntentId: input.paymentIntentId });
    if (!order) return { handled: false, action: "unknown_order", order: null, credits: 0 };
    await recordDisputeClosed(tx, input);
    if (!won) return { handled: false, action: "dispute_lost", order, credits: 0 };
    const reversal = await reverseDisputeCredits(
      {
        grantTransNo: orderGrantKey(order.orderNo),
        disputeTransNo: disputeKey(input.disputeId),
        // What refunds of the payment still claim once the dispute is over (one made during an inquiry).
        target: order.amountRefunded > 0 ? creditsForRefund(order.credits, order.amountRefunded, order.amount) : 0,
        key: `${TRANS_TYPES.disputeReversal}:${input.disputeId}`,
        reason: "Stripe dispute won",
        metadata: disputeMetadata(input),
      },
      tx,
    );
    const [updated] = await tx
      .update(orders)
      .set({ status: "paid", updatedAt: sql`now()` })
      .where(and(eq(orders.orderNo, order.orderNo), eq(orders.status, "disputed")))
      .returning();
    const handled = !!updated || reversal.reversed;
    return { handled, action: handled ? "dispute_won" : "unchanged", order: updated ?? order, credits: reversal.reversed ? reversal.credits : 0 };
  });
  if (result.order && (result.handled || result.action === "dispute_lost")) {
    await sendAlert({
      kind: "dispute_closed",
      message: `Dispute ${input.disputeId} on order ${result.order.orderNo} closed: ${input.status}${won ? `; ${result.credits} credits restored` : ""}.`,
      details: { order: result.order.orderNo, dispute: input.disputeId, charge: input.chargeId },
    });
  }
  return result;
}
