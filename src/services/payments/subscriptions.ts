/**
 * Subscription plans that grant credits (src/data/plans.ts), Stripe customers and the
 * billing portal.
 *
 * - One Stripe customer per user (`stripe_customers`), created on first need with an
 *   idempotency key derived from the user, reused by every checkout and the portal.
 * - `POST /api/stripe/checkout/subscription` opens Checkout in subscription mode; a
 *   user with a live subscription gets 409 (changes go through the portal).
 * - Credits come from `invoice.paid` (billing_reason subscription_create / subscription_cycle),
 *   keyed by the invoice id (`invoice:<id>`), so replays grant nothing. A month's
 *   grant expires at the month's end + PLAN_CREDITS_GRACE_DAYS unless the plan rolls
 *   over. Yearly plans are billed yearly but granted monthly: month 0 at invoice.paid,
 *   months 1..11 by `grantDueSubscriptionCredits` (sweeper / cron), keyed
 *   `invoice:<id>:month:<n>`.
 * - `customer.subscription.created/updated/deleted` keep `subscriptions` in step.
 * - One live subscription per user: a second one whose invoice is paid while another
 *   already grants (two checkouts paid at once) never grants; it is cancelled at Stripe
 *   and its invoice refunded (refuseDuplicateSubscription).
 * - Burn-down: plan credits expire before purchased ones (365 days), so spends use them
 *   first with the ledger's existing expiry order; no grant priority was needed.
 */
import { and, eq, inArray, isNull, lt, lte, ne, or, sql } from "drizzle-orm";
import { getDb, rowsOf, type Executor } from "@/db";
import { LIVE_SUBSCRIPTION_STATUSES, subscriptions, type Subscription } from "@/db/schema";
import { brandedProductName } from "@/config/site";
import { CREDIT_CURRENCY } from "@/data/credits";
import {
  PLAN_CREDITS_GRACE_DAYS,
  ROLLOVER_CREDITS_VALIDITY_DAYS,
  addMonths,
  findPlan,
  type PlanInterval,
  type SubscriptionPlan,
} from "@/data/plans";
import { parseInput } from "@/lib/http/api";
import { env } from "@/lib/env";
import { BadRequestError, ConflictError } from "@/lib/http/errors";
import { Stripe, getStripe } from "@/lib/stripe";
import { grantCredits, lockUser } from "@/services/credits/ledger";
import { sendAlertOnce } from "@/services/notify/alerts";
import { checkLowBalance, sendReceipt } from "@/services/notify/billing-mails";
import { hitRateLimit } from "@/services/rate-limit";
import { requireActiveUser } from "@/services/accounts/users";
import { CHECKOUT_LOCALES, subscriptionCheckoutSchema, type CheckoutLocale } from "@/lib/schemas/payments";
import { CHECKOUT_RATE_LIMIT, PaymentProviderError } from "./checkout";
import { ensureStripeCustomer, findStripeCustomer, userOfCustomer } from "./customers";
import { idOf } from "./fulfilment";
import { creditsForRefund } from "./refunds";
import { logger } from "@/lib/logger";
import { appUrl as publicUrl } from "@/lib/app-url";

export const SUBSCRIPTION_GRANT_TYPE = "subscription_grant";
const DAY_MS = 24 * 60 * 60 * 1000;

// ---------------------------------------------------------------------------
// Prices
// ---------------------------------------------------------------------------

/** Configured Stripe Price ids (STRIPE_PLAN_PRICES), by `plan:interval`. */
export function planPriceIds(raw = env().STRIPE_PLAN_PRICES): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of (raw ?? "").split(",")) {
    const m = /^\s*([a-z0-9_-]+:(?:month|year))=([A-Za-z0-9_]+)\s*$/.exec(part);
    if (m) map.set(m[1], m[2]);
  }
  return map;
}

/** The plan a Stripe Price id belongs to (subscriptions changed in the portal carry no metadata of ours). */
function planOfPrice(priceId: string | null | undefined): { plan: SubscriptionPlan; interval: PlanInterval } | null {
  if (!priceId) return null;
  for (const [key, id] of planPriceIds()) {
    if (id !== priceId) continue;
    const [planId, interval] = key.split(":");
    const plan = findPlan(planId);
    if (plan) return { plan, interval: interval as PlanInterval };
  }
  return null;
}

/**
 * The plan a subscription (or its invoice) is on: its configured Price id first (a plan
 * changed in the billing portal keeps the metadata of the checkout it started with), else
 * our checkout's metadata (plans priced with `price_data` have no configured id).
 */
function resolvePlan(priceId: string | null | undefined, metadata: Record<string, string> | null | undefined) {
  const byPrice = planOfPrice(priceId);
  if (byPrice) return byPrice;
  const plan = findPlan(metadata?.plan);
  return plan ? { plan, interval: (metadata?.interval === "year" ? "year" : "month") as PlanInterval } : null;
}

// ---------------------------------------------------------------------------
// Checkout and portal
// ---------------------------------------------------------------------------

export { subscriptionCheckoutSchema, type SubscriptionCheckoutRequest } from "@/lib/schemas/payments";

export async function liveSubscription(userUuid: string, db: Executor = getDb()): Promise<Subscription | null> {
  const [row] = await db
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.userUuid, userUuid), inArray(subscriptions.status, [...LIVE_SUBSCRIPTION_STATUSES])))
    .orderBy(sql`${subscriptions.updatedAt} DESC`)
    .limit(1);
  return row ?? null;
}

export async function createSubscriptionCheckout(
  input: { userUuid: string; request: unknown; labels?: (plan: SubscriptionPlan, interval: PlanInterval) => { name: string } },
  db: Executor = getDb(),
): Promise<{ url: string; sessionId: string; plan: string; interval: PlanInterval }> {
  const request = parseInput(subscriptionCheckoutSchema, input.request);
  const plan = findPlan(request.plan)!;
  const stripe = getStripe();
  const user = await requireActiveUser(input.userUuid, db);
  if (await liveSubscription(user.id, db)) {
    throw new ConflictError("you already have a subscription: change or cancel it in the billing portal");
  }
  await hitRateLimit(`checkout:${user.id}`, CHECKOUT_RATE_LIMIT.perUser, CHECKOUT_RATE_LIMIT.windowSeconds, db);
  const locale: CheckoutLocale = request.locale ?? "en";
  const customer = await ensureStripeCustomer({ uuid: user.id, email: user.email }, db);
  const priceId = planPriceIds().get(`${plan.id}:${request.interval}`);
  const name = input.labels?.(plan, request.interval).name ?? `${plan.id} plan (${request.interval}ly)`;
  const appUrl = await publicUrl();
  const metadata = { user_uuid: user.id, plan: plan.id, interval: request.interval };
  let session: Stripe.Checkout.Session;
  try {
    session = await stripe.checkout.sessions.create({
      mode: "subscription",
      customer,
      line_items: [
        priceId
          ? { price: priceId, quantity: 1 }
          : {
              quantity: 1,
              price_data: {
                currency: CREDIT_CURRENCY,
                unit_amount: plan.priceCents[request.interval],
                recurring: { interval: request.interval },
                product_data: { name: brandedProductName(name) },
              },
            },
      ],
      metadata: { ...metadata, kind: "subscription" },
      subscription_data: { metadata },
      client_reference_id: user.id,
      locale,
      success_url: `${appUrl}/${locale}/credits?subscribed=1`,
      cancel_url: `${appUrl}/${locale}/credits`,
    });
    if (!session.url) throw new Error(`Checkout Session ${session.id} has no url`);
  } catch (error) {
    logger.error({ user: user.id, error: (error as Error).message }, "[payments] creating the subscription Checkout Session failed");
    throw new PaymentProviderError();
  }
  return { url: session.url, sessionId: session.id, plan: plan.id, interval: request.interval };
}

/** A Billing Portal session for the user's Stripe customer; 400 when there is none yet. */
export async function createPortalSession(input: { userUuid: string; locale?: string }, db: Executor = getDb()): Promise<{ url: string }> {
  const stripe = getStripe();
  await requireActiveUser(input.userUuid, db);
  const customer = await findStripeCustomer(input.userUuid, db);
  if (!customer) throw new BadRequestError("customer: no billing account yet, subscribe or buy credits first", "customer");
  const locale = CHECKOUT_LOCALES.find((l) => l === input.locale) ?? "en";
  try {
    const session = await stripe.billingPortal.sessions.create({ customer, return_url: `${await publicUrl()}/${locale}/credits` });
    return { url: session.url };
  } catch (error) {
    logger.error({ customer, error: (error as Error).message }, "[payments] creating the billing portal session failed");
    throw new PaymentProviderError("could not open the billing portal, try again shortly");
  }
}

// ---------------------------------------------------------------------------
// Events: subscriptions and invoices
// ---------------------------------------------------------------------------

export interface SubscriptionOutcome {
  handled: boolean;
  action: string;
}

const toDate = (seconds: number | null | undefined) => (seconds ? new Date(seconds * 1000) : null);

/** Unknown customers and plans are acknowledged and logged (once per object id per process). */
const loggedUnknown = new Set<string>();
function ignoreUnknown(kind: string, id: string, details: Record<string, unknown>): SubscriptionOutcome {
  if (!loggedUnknown.has(id)) {
    loggedUnknown.add(id);
    if (loggedUnknown.size > 10_000) loggedUnknown.clear();
    logger.warn({ id, ...details }, `[payments] ${kind} for an unknown customer or plan: ignored`);
  }
  return { handled: false, action: `unknown_${kind}` };
}

/**
 * customer.subscription.created / updated / deleted: the row follows Stripe. Stripe does not
 * order its deliveries, so the row keeps when the event it was last synced from was created
 * (`eventCreated`, the event's `created`): an older event delivered late (a retried
 * `updated` after the `deleted`) changes nothing, and a canceled subscription never comes
 * back (Stripe never reactivates one), which would grant months of credits again.
 */
export async function syncSubscription(
  sub: Stripe.Subscription,
  deleted: boolean,
  eventCreated: Date,
  db: Executor = getDb(),
): Promise<SubscriptionOutcome> {
  const customerId = idOf(sub.customer);
  const userUuid = (await userOfCustomer(customerId, db)) ?? null;
  const item = sub.items?.data?.[0];
  const resolved = resolvePlan(item?.price?.id, sub.metadata);
  if (!userUuid || !customerId || !resolved) return ignoreUnknown("subscription", sub.id, { customer: customerId });
  const values = {
    userUuid,
    customerId,
    plan: resolved.plan.id,
    interval: item?.price?.recurring?.interval === "year" ? ("year" as const) : item?.price?.recurring?.interval === "month" ? ("month" as const) : resolved.interval,
    status: deleted ? "canceled" : sub.status,
    currentPeriodStart: toDate(item?.current_period_start),
    currentPeriodEnd: toDate(item?.current_period_end),
    cancelAtPeriodEnd: sub.cancel_at_period_end,
    canceledAt: toDate(sub.canceled_at) ?? (deleted ? new Date() : null),
    stripeEventAt: eventCreated,
  };
  const written = await db
    .insert(subscriptions)
    .values({ id: sub.id, ...values })
    .onConflictDoUpdate({
      target: subscriptions.id,
      set: { ...values, updatedAt: sql`now()` },
      // Events of the same second apply in the order they arrive.
      setWhere: and(ne(subscriptions.status, "canceled"), or(isNull(subscriptions.stripeEventAt), lte(subscriptions.stripeEventAt, eventCreated))),
    })
    .returning({ id: subscriptions.id });
  if (written.length === 0) return { handled: false, action: "stale_subscription_event" };
  if (!deleted && (LIVE_SUBSCRIPTION_STATUSES as readonly string[]).includes(sub.status)) await alertSecondSubscription(userUuid, db);
  return { handled: true, action: deleted ? "subscription_deleted" : "subscription_synced" };
}

/**
 * Checkout refuses a second subscription (409), and one paid anyway (two checkouts opened
 * at once) is cancelled and refunded when its invoice is paid (handleInvoicePaid). Two live
 * subscriptions that both granted should therefore never exist; if they do, an operator
 * is alerted, once per user and day (a rate-limit key shared by instances).
 */
async function alertSecondSubscription(userUuid: string, db: Executor): Promise<void> {
  const live = await db
    .select({ id: subscriptions.id })
    .from(subscriptions)
    .where(
      and(
        eq(subscriptions.userUuid, userUuid),
        inArray(subscriptions.status, [...LIVE_SUBSCRIPTION_STATUSES]),
        isNull(subscriptions.duplicateOf),
        sql`${subscriptions.latestInvoiceId} IS NOT NULL`,
      ),
    );
  if (live.length < 2) return;
  await sendAlertOnce(
    `second_subscription:${userUuid}`,
    24 * 60 * 60,
    {
      kind: "second_subscription",
      message: `User ${userUuid} has ${live.length} live subscriptions (two checkouts paid at once?); cancel and refund the extra one in the Dashboard.`,
      details: { user: userUuid, subscriptions: live.map((r) => r.id).join(", ") },
    },
    db,
  );
}

/** When the `month`-th month (0-based) of a period's credits expires, or null when they roll over. */
function monthExpiry(plan: SubscriptionPlan, periodStart: Date, periodEnd: Date, month: number): Date | null {
  if (plan.unused === "rollover") return null;
  const end = new Date(Math.min(addMonths(periodStart, month + 1).getTime(), periodEnd.getTime()));
  return new Date(end.getTime() + PLAN_CREDITS_GRACE_DAYS * DAY_MS);
}

async function grantMonth(
  tx: Executor,
  sub: Pick<Subscription, "id" | "userUuid" | "plan" | "interval">,
  invoice: { id: string; periodStart: Date; periodEnd: Date; trial: boolean; charged?: number | null; refunded?: number },
  month: number,
): Promise<boolean> {
  const plan = findPlan(sub.plan);
  if (!plan) return false;
  const expiresAt = monthExpiry(plan, invoice.periodStart, invoice.periodEnd, month);
  if (expiresAt && expiresAt.getTime() <= Date.now()) return false; // that month is long over
  const nominal = month === 0 && invoice.trial && plan.trialCredits ? plan.trialCredits : plan.creditsPerMonth;
  // A month granted after a partial refund of its (yearly) invoice: reduced by the refunded share.
  const reduction = invoice.refunded && invoice.charged ? creditsForRefund(nominal, invoice.refunded, invoice.charged) : 0;
  const credits = nominal - reduction;
  if (credits <= 0) return false;
  const { granted } = await grantCredits(
    {
      userUuid: sub.userUuid,
      credits,
      transType: SUBSCRIPTION_GRANT_TYPE,
      ...(expiresAt ? { expiresAt } : { validityDays: ROLLOVER_CREDITS_VALIDITY_DAYS }),
      reason: `${plan.id} plan (${sub.interval}ly)${month > 0 ? `, month ${month + 1}` : ""}${invoice.trial ? ", trial" : ""}`,
      key: month === 0 ? `invoice:${invoice.id}` : `invoice:${invoice.id}:month:${month}`,
      metadata: {
        invoice: invoice.id,
        subscription: sub.id,
        plan: plan.id,
        interval: sub.interval,
        month: String(month),
        ...(reduction > 0 ? { nominal_credits: String(nominal) } : {}),
      },
    },
    tx,
  );
  return granted;
}

const GRANTING_REASONS = new Set(["subscription_create", "subscription_cycle"]);

/** What a paid invoice grants and to whom, or why it grants nothing. One rule for invoice.paid and the refund path. */
export async function invoiceGrant(invoice: Stripe.Invoice, db: Executor = getDb()) {
  const details = invoice.parent?.subscription_details;
  if (!details) return { grant: null, outcome: { handled: false, action: "not_a_subscription_invoice" } } as const;
  if (!GRANTING_REASONS.has(invoice.billing_reason ?? "")) return { grant: null, outcome: { handled: false, action: "no_grant_for_billing_reason" } } as const;
  const subscriptionId = idOf(details.subscription as string | { id: string });
  const customerId = idOf(invoice.customer as string | { id: string } | null);
  const userUuid = await userOfCustomer(customerId, db);
  const line = invoice.lines?.data?.[0];
  const resolved = resolvePlan(line?.pricing?.price_details?.price as string | undefined, details.metadata);
  if (!userUuid || !customerId || !subscriptionId || !resolved || !line) {
    return { grant: null, outcome: ignoreUnknown("invoice", invoice.id ?? "?", { customer: customerId, subscription: subscriptionId }) } as const;
  }
  const duplicateOf = await duplicateOfSubscription(subscriptionId, db);
  if (duplicateOf) return { grant: null, outcome: { handled: false, action: "duplicate_subscription" }, duplicateOf } as const;
  return { grant: { subscriptionId, customerId, userUuid, line, resolved }, outcome: null } as const;
}

/** The subscription a refused second one duplicated, or null (see refuseDuplicateSubscription). */
async function duplicateOfSubscription(subscriptionId: string, db: Executor): Promise<string | null> {
  const [row] = await db.select({ duplicateOf: subscriptions.duplicateOf }).from(subscriptions).where(eq(subscriptions.id, subscriptionId));
  return row?.duplicateOf ?? null;
}

/**
 * The user's live subscription that already grants (its invoice was paid), other than
 * `subscriptionId`: the one a second subscription would duplicate. Read under the user's lock.
 */
async function grantingSubscriptionOtherThan(tx: Executor, userUuid: string, subscriptionId: string): Promise<string | null> {
  const [row] = await tx
    .select({ id: subscriptions.id })
    .from(subscriptions)
    .where(
      and(
        eq(subscriptions.userUuid, userUuid),
        ne(subscriptions.id, subscriptionId),
        inArray(subscriptions.status, [...LIVE_SUBSCRIPTION_STATUSES]),
        isNull(subscriptions.duplicateOf),
        sql`${subscriptions.latestInvoiceId} IS NOT NULL`,
      ),
    )
    .limit(1);
  return row?.id ?? null;
}

/**
 * A second subscription paid while the user already has one that grants: cancelled at
 * Stripe at once and its invoice's payment refunded in full. Both calls carry idempotency
 * keys derived from the subscription and the invoice, so a redelivered invoice.paid (this
 * runs again until both succeed: a Stripe error answers the webhook 500) refunds once.
 */
async function refuseDuplicateSubscription(subscriptionId: string, invoice: Stripe.Invoice, keptId: string): Promise<void> {
  const stripe = getStripe();
  try {
    const current = await stripe.subscriptions.retrieve(subscriptionId);
    if (current.status !== "canceled") {
      await stripe.subscriptions.cancel(subscriptionId, {}, { idempotencyKey: `duplicate-subscription-cancel:${subscriptionId}` }).catch(async (error) => {
        // Cancelled meanwhile (a concurrent delivery of the same invoice): done.
        if ((await stripe.subscriptions.retrieve(subscriptionId)).status !== "canceled") throw error;
      });
    }
    if ((invoice.amount_paid ?? 0) > 0) {
      const payments = await stripe.invoicePayments.list({ invoice: invoice.id!, status: "paid", limit: 10 });
      for (const payment of payments.data) {
        const paymentIntent = payment.payment?.payment_intent ? idOf(payment.payment.payment_intent as string | { id: string }) : null;
        if (!paymentIntent) continue;
        await stripe.refunds.create(
          { payment_intent: paymentIntent, reason: "duplicate", metadata: { subscription: subscriptionId, invoice: invoice.id!, kept_subscription: keptId } },
          { idempotencyKey: `duplicate-subscription-refund:${invoice.id}:${paymentIntent}` },
        );
      }
    }
  } catch (error) {
    logger.error({ subscription: subscriptionId, error: (error as Error).message }, "[payments] cancelling or refunding a second subscription failed; Stripe will deliver invoice.paid again");
    throw error;
  }
  logger.warn({ subscription: subscriptionId, kept: keptId, invoice: invoice.id }, "[payments] a second live subscription was cancelled and its invoice refunded");
}

/** invoice.paid: the period's first month of credits, once per invoice. */
export async function handleInvoicePaid(invoice: Stripe.Invoice, db: Executor = getDb()): Promise<SubscriptionOutcome> {
  const found = await invoiceGrant(invoice, db);
  const { grant, outcome: ignored } = found;
  if (!grant) {
    // A refused second subscription's invoice delivered again: finish what failed before (idempotent).
    if ("duplicateOf" in found && found.duplicateOf) await refuseDuplicateSubscription(idOf(invoice.parent!.subscription_details!.subscription as string | { id: string })!, invoice, found.duplicateOf);
    return ignored;
  }
  const { subscriptionId, customerId, userUuid, line, resolved } = grant;
  const periodStart = new Date(line.period.start * 1000);
  const periodEnd = new Date(line.period.end * 1000);
  const invoiceId = invoice.id!;
  const outcome = await db.transaction(async (tx) => {
    // Under the user's lock: two subscriptions of one user paid at once (two checkouts)
    // are decided one after the other, so only the first grants.
    await lockUser(tx, userUuid);
    const keptId = await grantingSubscriptionOtherThan(tx, userUuid, subscriptionId);
    if (keptId) {
      const canceled = { userUuid, customerId, plan: resolved.plan.id, interval: resolved.interval, status: "canceled", canceledAt: new Date(), duplicateOf: keptId };
      await tx
        .insert(subscriptions)
        .values({ id: subscriptionId, currentPeriodStart: periodStart, currentPeriodEnd: periodEnd, ...canceled })
        .onConflictDoUpdate({ target: subscriptions.id, set: { ...canceled, updatedAt: sql`now()` } });
      return { handled: false, action: "duplicate_subscription", keptId };
    }
    const values = {
      userUuid,
      customerId,
      plan: resolved.plan.id,
      interval: resolved.interval,
      latestInvoiceId: invoiceId,
      latestInvoicePeriodStart: periodStart,
      latestInvoicePeriodEnd: periodEnd,
      latestInvoiceAmountCharged: invoice.amount_paid,
      latestInvoiceAmountRefunded: 0,
      latestInvoiceDisputeId: null,
      monthsGranted: 1,
    };
    // Insert or move to this invoice; a replay of an older invoice does not move the row back.
    await tx
      .insert(subscriptions)
      .values({ id: subscriptionId, status: "active", currentPeriodStart: periodStart, currentPeriodEnd: periodEnd, ...values })
      .onConflictDoUpdate({
        target: subscriptions.id,
        set: { ...values, updatedAt: sql`now()` },
        setWhere: sql`${subscriptions.latestInvoicePeriodStart} IS NULL OR ${subscriptions.latestInvoicePeriodStart} < ${periodStart.toISOString()}`,
      });
    const granted = await grantMonth(
      tx,
      { id: subscriptionId, userUuid, plan: resolved.plan.id, interval: resolved.interval },
      { id: invoiceId, periodStart, periodEnd, trial: invoice.billing_reason === "subscription_create" && invoice.amount_paid === 0 },
      0,
    );
    return { handled: granted, action: granted ? "subscription_credits_granted" : "already_granted", keptId: null };
  });
  if (outcome.keptId) {
    await refuseDuplicateSubscription(subscriptionId, invoice, outcome.keptId);
    return { handled: true, action: "duplicate_subscription_refunded" };
  }
  if (outcome.handled) {
    const trial = invoice.billing_reason === "subscription_create" && invoice.amount_paid === 0 && resolved.plan.trialCredits;
    const credits = trial ? resolved.plan.trialCredits! : resolved.plan.creditsPerMonth;
    await sendReceipt({ userUuid, credits, amount: invoice.amount_paid, currency: invoice.currency, reference: invoiceId }, db);
    await checkLowBalance(userUuid, db);
  }
  return { handled: outcome.handled, action: outcome.action };
}

/**
 * The billing part of the background round (src/services/task-sweeper.ts): monthly
 * grants of yearly plans, and low-balance notices for users who spent recently.
 */
export async function runBillingRound(db: Executor = getDb()): Promise<{ grants: number; lowBalanceNotices: number }> {
  const { grants } = await grantDueSubscriptionCredits({}, db);
  // The users behind the most recent debits (a bounded backward scan of the primary key,
  // not a scan of the whole ledger); a user missed here is checked at their next spend.
  const spenders = await db.execute(sql`
    SELECT DISTINCT user_uuid FROM (SELECT user_uuid, credits, created_at FROM credits ORDER BY id DESC LIMIT 5000) recent
    WHERE credits < 0 AND created_at > now() - interval '10 minutes'`);
  let lowBalanceNotices = 0;
  for (const row of rowsOf<{ user_uuid: string }>(spenders)) {
    if ((await checkLowBalance(row.user_uuid, db)).notified) lowBalanceNotices++;
  }
  return { grants, lowBalanceNotices };
}

/**
 * Yearly plans: grants every month of the paid period that has begun (months 1..11),
 * once each. Called by the background round (src/services/task-sweeper.ts) and the cron route.
 */
export async function grantDueSubscriptionCredits(options: { now?: Date } = {}, db: Executor = getDb()): Promise<{ grants: number }> {
  const now = options.now ?? new Date();
  const due = await db
    .select()
    .from(subscriptions)
    .where(
      and(
        eq(subscriptions.interval, "year"),
        lt(subscriptions.monthsGranted, 12),
        inArray(subscriptions.status, ["active", "trialing"]),
        lt(subscriptions.latestInvoicePeriodStart, now),
        isNull(subscriptions.latestInvoiceDisputeId),
      ),
    )
    .limit(500);
  let grants = 0;
  for (const sub of due) {
    if (!sub.latestInvoiceId || !sub.latestInvoicePeriodStart || !sub.latestInvoicePeriodEnd) continue;
    const invoice = { id: sub.latestInvoiceId, periodStart: sub.latestInvoicePeriodStart, periodEnd: sub.latestInvoicePeriodEnd, trial: false };
    let month = Math.max(1, sub.monthsGranted);
    for (; month < 12; month++) {
      const begins = addMonths(invoice.periodStart, month);
      if (begins > now || begins >= invoice.periodEnd) break;
      // Under the subscription's lock, as refunds and disputes of the invoice take it
      // (invoice-refunds.ts): a month is granted reduced by what is refunded, not while disputed.
      const outcome = await db.transaction(async (tx) => {
        const [row] = await tx.select().from(subscriptions).where(eq(subscriptions.id, sub.id)).for("update");
        if (!row || row.latestInvoiceId !== invoice.id || row.latestInvoiceDisputeId) return "stop" as const;
        const share = { charged: row.latestInvoiceAmountCharged, refunded: row.latestInvoiceAmountRefunded };
        return grantMonth(tx, row, { ...invoice, ...share }, month);
      });
      if (outcome === "stop") break;
      if (outcome) grants++;
    }
    await db
      .update(subscriptions)
      .set({ monthsGranted: sql`greatest(${subscriptions.monthsGranted}, ${month})` })
      .where(and(eq(subscriptions.id, sub.id), eq(subscriptions.latestInvoiceId, invoice.id)));
  }
  return { grants };
}

// ---------------------------------------------------------------------------
// The credits page
// ---------------------------------------------------------------------------

export interface BillingSummary {
  subscription: {
    plan: string;
    interval: PlanInterval;
    status: string;
    creditsPerMonth: number;
    unused: "expire" | "rollover";
    renewsAt: string | null;
    cancelAtPeriodEnd: boolean;
  } | null;
  hasCustomer: boolean;
}

export async function getBillingSummary(userUuid: string, db: Executor = getDb()): Promise<BillingSummary> {
  const sub = await liveSubscription(userUuid, db);
  const plan = sub ? findPlan(sub.plan) : undefined;
  return {
    subscription:
      sub && plan
        ? {
            plan: plan.id,
            interval: sub.interval,
            status: sub.status,
            creditsPerMonth: plan.creditsPerMonth,
            unused: plan.unused,
            renewsAt: sub.currentPeriodEnd?.toISOString() ?? null,
            cancelAtPeriodEnd: sub.cancelAtPeriodEnd,
          }
        : null,
    hasCustomer: (await findStripeCustomer(userUuid, db)) !== null,
  };
}
