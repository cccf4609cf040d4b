// Subscription invoices refunded or disputed: the period's grant gives back its share,
// like a one-off order. The charge names no invoice in the pinned API version, so the app
// finds it through Stripe's invoice payments (the fake serves GET /v1/invoice_payments);
// events signed by the Stripe SDK; alerts received by a local HTTP server.
import { and, eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { credits, subscriptions } from "@/db/schema";
import { decreaseCredits, grantCredits, refundCredits } from "@/services/credits/ledger";
import { ServiceUnavailableError } from "@/lib/http/errors";
import { UNGRANTED_RETRY_SECONDS, createSubscriptionCheckout, grantDueSubscriptionCredits } from "@/services/payments";
import { startAlertReceiver, type AlertReceiver } from "../support/alert-receiver";
import { dispute, refundedCharge } from "../support/fake-stripe";
import { stripeScenario } from "../support/stripe-scenario";

const s = stripeScenario();
const DAY = 86_400_000;
let alerts: AlertReceiver;
beforeAll(async () => {
  alerts = await startAlertReceiver();
});
afterAll(async () => alerts.close());

const spend = (userUuid: string, n: number) => decreaseCredits({ userUuid, credits: n, transType: "task_text_to_video" });
const movements = (invoiceId: string, transType: string) =>
  getDb()
    .select()
    .from(credits)
    .where(and(eq(credits.transType, transType), like(credits.transNo, `${transType}:%`)))
    .then((rows) => rows.filter((r) => r.metadata?.invoice === invoiceId));
const invoicePaymentLookups = () => s.stripe.requests.filter((r) => r.method === "GET" && r.path === "/v1/invoice_payments");

/** Subscribed and paid at Stripe; invoice.paid not delivered yet (nothing granted). */
async function checkedOut(plan: string, interval: "month" | "year") {
  const user = await s.newBuyer();
  const checkout = await createSubscriptionCheckout({ userUuid: user.uuid, request: { plan, interval } });
  const { subscription, invoice } = s.stripe.subscribe(checkout.sessionId);
  await s.deliver("customer.subscription.created", subscription);
  return { user, subscription, invoice, pi: s.stripe.paymentIntentOfInvoice(invoice.id), customer: subscription.customer };
}

async function subscribed(plan: string, interval: "month" | "year") {
  const bought = await checkedOut(plan, interval);
  expect(await s.deliver("invoice.paid", bought.invoice)).toMatchObject({ handled: true });
  return bought;
}

describe("refunds of subscription invoices", () => {
  it("30 %, then 50 %, then all: the period's grant gives back floor(credits x refunded / paid), unspent only, once each", async () => {
    const { user, invoice, pi, customer } = await subscribed("basic", "month"); // 300 credits, $19.00
    // Purchased credits of the same user are not touched (they expire later, so the spend burns plan credits).
    await grantCredits({ userUuid: user.uuid, credits: 50, transType: "system_add", validityDays: 400 });
    await spend(user.uuid, 20);
    const chargeId = `ch_${invoice.id}`;
    const refund = (refunds: number[]) => refundedCharge(pi, 1900, { id: chargeId, refunds, customer });

    const thirty = refund([570]);
    expect(await s.deliver("charge.refunded", thirty)).toMatchObject({ handled: true, action: "invoice_partially_refunded", invoiceId: invoice.id });
    expect(invoicePaymentLookups().at(-1)!.params).toMatchObject({ payment: { type: "payment_intent", payment_intent: pi } });
    expect(await s.balanceOf(user.uuid)).toBe(300 + 50 - 20 - 90);
    for (let i = 0; i < 20; i++) expect((await s.deliver("charge.refunded", thirty)).handled).toBe(false);

    const fifty = refund([570, 380]);
    const concurrent = await Promise.all(Array.from({ length: 10 }, () => s.deliver("charge.refunded", fifty)));
    expect(concurrent.filter((o) => o.handled)).toHaveLength(1);
    expect(await s.balanceOf(user.uuid)).toBe(300 + 50 - 20 - 150);

    expect(await s.deliver("charge.refunded", refund([570, 380, 950]))).toMatchObject({ handled: true, action: "invoice_refunded" });
    expect(await s.balanceOf(user.uuid)).toBe(50); // the plan grant's 130 unspent taken; the purchased 50 stay

    const rows = await movements(invoice.id, "order_refund");
    expect(rows.map((r) => r.credits).sort((a, b) => a - b)).toEqual([-90, -60, -130].sort((a, b) => a - b));
    expect(rows.find((r) => r.credits === -90)!.metadata).toMatchObject({
      invoice: invoice.id,
      charge: chargeId,
      payment_intent: pi,
      refund: `re_${chargeId}_0`,
      amount_refunded: "570",
    });
    expect(rows.every((r) => r.refTransNo === `invoice:${invoice.id}`)).toBe(true);
    // A late replay of an earlier, smaller refund takes nothing.
    expect((await s.deliver("charge.refunded", thirty)).handled).toBe(false);
    expect(await s.ledgerOffences()).toEqual([]);
  });

  it("10 concurrent deliveries of the same refund event take back once", async () => {
    const { user, invoice, pi, customer } = await subscribed("pro", "month"); // 1000 credits, $49.00
    const charge = refundedCharge(pi, 4900, { refunds: [2450], customer });
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => s.deliver("charge.refunded", charge, "evt_same_refund")));
    expect(outcomes.filter((o) => o.handled)).toHaveLength(1);
    expect(await s.balanceOf(user.uuid)).toBe(500);
    expect(await movements(invoice.id, "order_refund")).toHaveLength(1);
    expect(await s.ledgerOffences()).toEqual([]);
  });

  it("a charge of a customer the app does not know: 200, ignored, Stripe not asked", async () => {
    const before = invoicePaymentLookups().length;
    const outcome = await s.deliver("charge.refunded", refundedCharge("pi_stranger", 1000, { customer: "cus_stranger" }));
    expect(outcome).toMatchObject({ handled: false, action: "unchanged" });
    expect(invoicePaymentLookups()).toHaveLength(before);
  });

  it("a refund delivered before invoice.paid is refused (503) and, delivered again after the grant, takes its share", async () => {
    const { user, invoice, pi, customer } = await checkedOut("basic", "month"); // 300 credits, $19.00
    const charge = refundedCharge(pi, 1900, { refunds: [950], customer });

    // Stripe delivers the refund first: acknowledging it would lose it, so it is refused.
    const early = await s.deliver("charge.refunded", charge).then(
      () => null,
      (error: unknown) => error,
    );
    expect(early).toBeInstanceOf(ServiceUnavailableError);
    expect(early).toMatchObject({ status: 503, retryAfterSeconds: UNGRANTED_RETRY_SECONDS });
    expect(await s.balanceOf(user.uuid)).toBe(0);

    expect(await s.deliver("invoice.paid", invoice)).toMatchObject({ handled: true });
    expect(await s.balanceOf(user.uuid)).toBe(300);
    // Stripe's next attempt: half of the money back, half of the grant back.
    expect(await s.deliver("charge.refunded", charge)).toMatchObject({ handled: true, action: "invoice_partially_refunded", invoiceId: invoice.id });
    expect(await s.balanceOf(user.uuid)).toBe(150);
    expect(await s.ledgerOffences()).toEqual([]);
  });

  it("a refund of an invoice that never grants credits (another billing reason) is acknowledged, not retried", async () => {
    const { invoice, pi, customer } = await checkedOut("basic", "month");
    s.stripe.invoices.get(invoice.id)!.billing_reason = "manual";
    const charge = refundedCharge(pi, 1900, { customer });
    expect(await s.deliver("charge.refunded", charge)).toMatchObject({ handled: false, action: "unknown_invoice" });
  });

  it("yearly plan: each month granted so far gives back its share; later months are granted reduced, none after a full refund", async () => {
    const { user, subscription, invoice, pi, customer } = await subscribed("pro", "year"); // 1000 / month, $490.00
    const start = subscription.items.data[0].current_period_start * 1000;
    await grantDueSubscriptionCredits({ now: new Date(start + 70 * DAY) }); // months 2 and 3
    expect(await s.balanceOf(user.uuid)).toBe(3000);
    await spend(user.uuid, 500); // from month 1's grant (it expires first)
    const refund = (refunded: number) => refundedCharge(pi, 49000, { id: "ch_yearly", amountRefunded: refunded, customer });

    expect(await s.deliver("charge.refunded", refund(12250))).toMatchObject({ handled: true, credits: 750 }); // 25 %: 250 of each
    expect(await s.balanceOf(user.uuid)).toBe(3000 - 500 - 750);
    const row = (await getDb().select().from(subscriptions).where(eq(subscriptions.id, subscription.id)))[0];
    expect(row).toMatchObject({ latestInvoiceAmountCharged: 49000, latestInvoiceAmountRefunded: 12250 });

    await grantDueSubscriptionCredits({ now: new Date(start + 100 * DAY) }); // month 4, reduced
    expect(await s.balanceOf(user.uuid)).toBe(3000 - 500 - 750 + 750);
    const month4 = (await getDb().select().from(credits).where(eq(credits.transNo, `invoice:${invoice.id}:month:3`)))[0];
    expect(month4).toMatchObject({ credits: 750 });
    expect(month4.metadata).toMatchObject({ nominal_credits: "1000" });

    // 50 %: each grant has given back 500 in all (month 4 was granted 250 short already).
    await s.deliver("charge.refunded", refund(24500));
    expect(await s.balanceOf(user.uuid)).toBe(4000 - 500 - 4 * 500);
    // All: nothing of the invoice is left, and no further month is granted.
    await s.deliver("charge.refunded", refund(49000));
    expect(await s.balanceOf(user.uuid)).toBe(0);
    await grantDueSubscriptionCredits({ now: new Date(start + 200 * DAY) });
    expect(await s.balanceOf(user.uuid)).toBe(0);
    const taken = (await movements(invoice.id, "order_refund")).reduce((sum, r) => sum - r.credits, 0);
    expect(taken).toBe(3750 - 500); // all 4 grants made (3750 credits) less what was spent
    expect(await s.ledgerOffences()).toEqual([]);
  });
});

describe("disputes of subscription invoices", () => {
  it("opened: unspent credits taken back and months stop; won: exactly that comes back and months resume", async () => {
    s.setEnv({ ALERT_WEBHOOK_URL: alerts.url });
    const { user, subscription, invoice, pi } = await subscribed("pro", "year");
    const start = subscription.items.data[0].current_period_start * 1000;
    await spend(user.uuid, 100);
    const opened = dispute(pi, 49000, { id: "dp_yearly", reason: "fraudulent" });
    const before = alerts.received.length;

    const outcomes = await Promise.all(Array.from({ length: 10 }, () => s.deliver("charge.dispute.created", opened)));
    expect(outcomes.filter((o) => o.handled)).toHaveLength(1);
    expect(outcomes.find((o) => o.handled)).toMatchObject({ action: "invoice_disputed", credits: 900, invoiceId: invoice.id });
    expect(await s.balanceOf(user.uuid)).toBe(0);
    const [taken] = await movements(invoice.id, "dispute");
    expect(taken).toMatchObject({ transNo: "dispute:dp_yearly", credits: -900 });
    expect(taken.metadata).toMatchObject({ dispute: "dp_yearly", payment_intent: pi, dispute_reason: "fraudulent" });
    // While the dispute is open no month is granted.
    await grantDueSubscriptionCredits({ now: new Date(start + 40 * DAY) });
    expect(await s.balanceOf(user.uuid)).toBe(0);

    const won = { ...opened, status: "won" };
    const closes = await Promise.all(Array.from({ length: 5 }, () => s.deliver("charge.dispute.closed", won)));
    expect(closes.filter((o) => o.handled)).toHaveLength(1);
    expect(await s.balanceOf(user.uuid)).toBe(900);
    expect((await movements(invoice.id, "dispute_reversal")).map((r) => r.credits)).toEqual([900]);
    await grantDueSubscriptionCredits({ now: new Date(start + 40 * DAY) });
    expect(await s.balanceOf(user.uuid)).toBe(1900);

    const kinds = alerts.received.slice(before).map((a) => a.text.slice(0, a.text.indexOf("]") + 1));
    expect(kinds).toEqual(["[dispute_opened]", "[dispute_closed]"]);
    expect(await s.ledgerOffences()).toEqual([]);
  });

  it("opened before invoice.paid: refused (503), then, delivered again after the grant, takes what is left of it", async () => {
    const { user, invoice, pi } = await checkedOut("basic", "month");
    const opened = dispute(pi, 1900);
    await expect(s.deliver("charge.dispute.created", opened)).rejects.toBeInstanceOf(ServiceUnavailableError);
    await s.deliver("invoice.paid", invoice);
    expect(await s.deliver("charge.dispute.created", opened)).toMatchObject({ handled: true, action: "invoice_disputed", credits: 300 });
    expect(await s.balanceOf(user.uuid)).toBe(0);
    expect(await s.ledgerOffences()).toEqual([]);
  });

  it("closed won before its opening was applied (the opening retried later): the opening takes nothing and stops no month", async () => {
    const { user, subscription, pi } = await subscribed("pro", "year");
    const start = subscription.items.data[0].current_period_start * 1000;
    const opened = dispute(pi, 49000);
    expect(await s.deliver("charge.dispute.closed", { ...opened, status: "won" })).toMatchObject({ handled: false, action: "unchanged" });
    expect(await s.deliver("charge.dispute.created", opened)).toMatchObject({ handled: false, action: "closed_already" });
    expect(await s.balanceOf(user.uuid)).toBe(1000);
    await grantDueSubscriptionCredits({ now: new Date(start + 40 * DAY) });
    expect(await s.balanceOf(user.uuid)).toBe(2000);
    expect(await s.ledgerOffences()).toEqual([]);
  });

  it("lost: the credits stay taken and the invoice grants no further month", async () => {
    const { user, subscription, pi } = await subscribed("pro", "year");
    const start = subscription.items.data[0].current_period_start * 1000;
    const opened = dispute(pi, 49000);
    await s.deliver("charge.dispute.created", opened);
    expect(await s.deliver("charge.dispute.closed", { ...opened, status: "lost" })).toMatchObject({ handled: false, action: "dispute_lost" });
    expect(await s.balanceOf(user.uuid)).toBe(0);
    await grantDueSubscriptionCredits({ now: new Date(start + 100 * DAY) });
    expect(await s.balanceOf(user.uuid)).toBe(0);
    expect(await s.ledgerOffences()).toEqual([]);
  });
});

describe("tasks that fail after their invoice was refunded or disputed", () => {
  it("fully refunded while the plan's credits were in running tasks: the failed tasks bring nothing back", async () => {
    const { user, pi, customer } = await subscribed("basic", "month"); // 300 credits, $19.00
    const task = await spend(user.uuid, 300);
    await s.deliver("charge.refunded", refundedCharge(pi, 1900, { customer }));
    await refundCredits({ transNo: task });
    expect(await s.balanceOf(user.uuid)).toBe(0);
    expect(await s.ledgerOffences()).toEqual([]);
  });

  it("disputed while a task ran: its credits go to the dispute; won, everything comes back and the months resume", async () => {
    const { user, subscription, pi } = await subscribed("pro", "year"); // 1000 credits a month
    const start = subscription.items.data[0].current_period_start * 1000;
    const task = await spend(user.uuid, 400);
    const opened = dispute(pi, 49000);
    await s.deliver("charge.dispute.created", opened);
    await refundCredits({ transNo: task });
    expect(await s.balanceOf(user.uuid)).toBe(0);
    await s.deliver("charge.dispute.closed", { ...opened, status: "won" });
    expect(await s.balanceOf(user.uuid)).toBe(1000);
    await grantDueSubscriptionCredits({ now: new Date(start + 40 * DAY) });
    expect(await s.balanceOf(user.uuid)).toBe(2000);
    expect(await s.ledgerOffences()).toEqual([]);
  });

  it("an older invoice, refunded 30 % and then disputed and won after a renewal: the refund's share stays taken", async () => {
    const { user, subscription, invoice, pi, customer } = await subscribed("basic", "month"); // 300 credits, $19.00
    await s.deliver("charge.refunded", refundedCharge(pi, 1900, { customer, refunds: [570] }));
    expect(await s.balanceOf(user.uuid)).toBe(210);
    const renewal = s.stripe.renew(subscription.id);
    await s.deliver("invoice.paid", renewal.invoice);
    expect(await s.balanceOf(user.uuid)).toBe(510);
    const opened = dispute(pi, 1900);
    await s.deliver("charge.dispute.created", opened);
    expect(await s.balanceOf(user.uuid)).toBe(300);
    await s.deliver("charge.dispute.closed", { ...opened, status: "won" });
    expect(await s.balanceOf(user.uuid)).toBe(510);
    expect((await movements(invoice.id, "order_refund")).map((r) => r.credits)).toEqual([-90]);
    expect(await s.ledgerOffences()).toEqual([]);
  });
});
