// Refunds in proportion, disputes, paid sessions that do not match their order, and
// free (100 % discount) sessions — against the fake Stripe server, events signed by
// the Stripe SDK, operator alerts received by a local HTTP server.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { credits } from "@/db/schema";
import { decreaseCredits, refundCredits } from "@/services/credits/ledger";
import { sendAlert } from "@/services/notify/alerts";
import { creditsForRefund, getOrder, listOrdersForReview } from "@/services/payments";
import { startAlertReceiver, type AlertReceiver } from "../support/alert-receiver";
import { dispute, refundedCharge } from "../support/fake-stripe";
import { stripeScenario } from "../support/stripe-scenario";

const s = stripeScenario();
let alerts: AlertReceiver;
beforeAll(async () => {
  alerts = await startAlertReceiver();
});
afterAll(async () => alerts.close());

const rowsOf = (orderNo: string, transType: string) =>
  getDb().select().from(credits).where(and(eq(credits.orderNo, orderNo), eq(credits.transType, transType)));
const spend = (userUuid: string, n: number) => decreaseCredits({ userUuid, credits: n, transType: "task_text_to_video" });

describe("partial refunds", () => {
  it("30 %, then 20 %, then the rest: credits taken back in proportion, limited to what is unspent, once each", async () => {
    const { user, result, session } = await s.paidOrder({ quantity: 100 }); // $10.00
    await spend(user.uuid, 10);
    const pi = session.payment_intent!;
    const chargeId = "ch_partial_1";

    const thirty = refundedCharge(pi, 1000, { id: chargeId, refunds: [300] });
    expect(await s.deliver("charge.refunded", thirty)).toMatchObject({ handled: true, action: "partially_refunded" });
    expect(await s.balanceOf(user.uuid)).toBe(60); // 100 - 10 spent - 30
    for (let i = 0; i < 20; i++) expect((await s.deliver("charge.refunded", thirty)).handled).toBe(false);
    expect(await s.balanceOf(user.uuid)).toBe(60);
    expect(await getOrder(result.orderNo)).toMatchObject({ status: "paid", amountRefunded: 300 });

    const fifty = refundedCharge(pi, 1000, { id: chargeId, refunds: [300, 200] });
    expect(await s.deliver("charge.refunded", fifty)).toMatchObject({ handled: true, action: "partially_refunded" });
    expect(await s.balanceOf(user.uuid)).toBe(40); // 50 in all taken back

    const all = refundedCharge(pi, 1000, { id: chargeId, refunds: [300, 200, 500] });
    expect(await s.deliver("charge.refunded", all)).toMatchObject({ handled: true, action: "refunded" });
    expect(await s.balanceOf(user.uuid)).toBe(0); // the rest, limited to the 40 unspent
    expect(await getOrder(result.orderNo)).toMatchObject({ status: "refunded", amountRefunded: 1000 });

    const rows = await rowsOf(result.orderNo, "order_refund");
    expect(rows.map((r) => r.credits).sort()).toEqual([-20, -30, -40]);
    expect(rows.reduce((sum, r) => sum - r.credits, 0)).toBeLessThanOrEqual(100);
    const first = rows.find((r) => r.credits === -30)!;
    expect(first.metadata).toMatchObject({ charge: chargeId, payment_intent: pi, refund: `re_${chargeId}_0`, amount_refunded: "300" });
    // A late replay of an earlier partial refund takes nothing more.
    expect((await s.deliver("charge.refunded", thirty)).handled).toBe(false);
    expect(await s.ledgerOffences()).toEqual([]);
  });

  it("out of order and concurrent: the larger cumulative refund wins, the smaller one adds nothing", async () => {
    const { user, result, session } = await s.paidOrder({ quantity: 100 });
    const pi = session.payment_intent!;
    const half = refundedCharge(pi, 1000, { id: "ch_ooo", amountRefunded: 500 });
    const thirty = refundedCharge(pi, 1000, { id: "ch_ooo", amountRefunded: 300 });
    const outcomes = await Promise.all([
      ...Array.from({ length: 10 }, () => s.deliver("charge.refunded", half)),
      ...Array.from({ length: 10 }, () => s.deliver("charge.refunded", thirty)),
    ]);
    expect(outcomes.every((o) => o.orderNo === result.orderNo)).toBe(true);
    expect(await s.balanceOf(user.uuid)).toBe(50);
    const taken = (await rowsOf(result.orderNo, "order_refund")).reduce((sum, r) => sum - r.credits, 0);
    expect(taken).toBe(50);
    expect(await getOrder(result.orderNo)).toMatchObject({ status: "paid", amountRefunded: 500 });
    expect(await s.ledgerOffences()).toEqual([]);
  });

  it("rounds down: 45 of 150 cents on 15 credits takes back 4", async () => {
    expect(creditsForRefund(15, 45, 150)).toBe(4);
    expect(creditsForRefund(15, 150, 150)).toBe(15);
    expect(creditsForRefund(15, 999, 150)).toBe(15);
    const { user, session } = await s.paidOrder({ quantity: 15 });
    await s.deliver("charge.refunded", refundedCharge(session.payment_intent!, 150, { amountRefunded: 45 }));
    expect(await s.balanceOf(user.uuid)).toBe(11);
    expect(await s.ledgerOffences()).toEqual([]);
  });

  it("credits already spent stay spent", async () => {
    const { user, result, session } = await s.paidOrder({ quantity: 100 });
    await spend(user.uuid, 90);
    await s.deliver("charge.refunded", refundedCharge(session.payment_intent!, 1000, { amountRefunded: 300 }));
    expect(await s.balanceOf(user.uuid)).toBe(0);
    expect((await rowsOf(result.orderNo, "order_refund")).map((r) => r.credits)).toEqual([-10]);
    expect(await s.ledgerOffences()).toEqual([]);
  });
});

describe("disputes", () => {
  it("opened: unspent credits taken back, order disputed, operator alerted; won: restored once, order paid", async () => {
    s.setEnv({ ALERT_WEBHOOK_URL: alerts.url });
    const { user, result, session } = await s.paidOrder({ quantity: 100 });
    await spend(user.uuid, 30);
    const opened = dispute(session.payment_intent!, 1000, { id: "dp_won_1", reason: "fraudulent" });
    const before = alerts.received.length;

    expect(await s.deliver("charge.dispute.created", opened)).toMatchObject({ handled: true, action: "disputed", orderNo: result.orderNo });
    for (let i = 0; i < 5; i++) expect((await s.deliver("charge.dispute.created", opened)).handled).toBe(false);
    expect(await s.balanceOf(user.uuid)).toBe(0);
    expect((await getOrder(result.orderNo))?.status).toBe("disputed");
    const [taken] = await rowsOf(result.orderNo, "dispute");
    expect(taken).toMatchObject({ transNo: "dispute:dp_won_1", credits: -70 });
    expect(taken.metadata).toMatchObject({ dispute: "dp_won_1", charge: opened.charge, payment_intent: session.payment_intent });
    const raised = alerts.received.slice(before);
    expect(raised).toHaveLength(1);
    expect(raised[0].text).toContain("[dispute_opened]");
    expect(raised[0].text).toContain(result.orderNo);
    await expect(spend(user.uuid, 1)).rejects.toThrow();

    const won = { ...opened, status: "won" };
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => s.deliver("charge.dispute.closed", won)));
    expect(outcomes.filter((o) => o.handled)).toHaveLength(1);
    expect(await s.balanceOf(user.uuid)).toBe(70);
    expect((await getOrder(result.orderNo))?.status).toBe("paid");
    const [restored] = await rowsOf(result.orderNo, "dispute_reversal");
    expect(restored).toMatchObject({ transNo: "dispute_reversal:dp_won_1", credits: 70, refTransNo: "dispute:dp_won_1" });
    expect(await s.ledgerOffences()).toEqual([]);
  });

  it("lost: the credits stay taken and the order stays disputed", async () => {
    const { user, result, session } = await s.paidOrder({ quantity: 100 });
    const opened = dispute(session.payment_intent!, 1000, { id: "dp_lost_1" });
    await s.deliver("charge.dispute.created", opened);
    expect(await s.deliver("charge.dispute.closed", { ...opened, status: "lost" })).toMatchObject({ handled: false, action: "dispute_lost" });
    expect(await s.balanceOf(user.uuid)).toBe(0);
    expect((await getOrder(result.orderNo))?.status).toBe("disputed");
    expect(await rowsOf(result.orderNo, "dispute_reversal")).toEqual([]);
    expect(await s.ledgerOffences()).toEqual([]);
  });

  it("closed before its opening was applied (the opening retried later): won, the opening takes nothing; lost, it takes what is left", async () => {
    const won = await s.paidOrder({ quantity: 100 });
    const wonDispute = dispute(won.session.payment_intent!, 1000);
    expect(await s.deliver("charge.dispute.closed", { ...wonDispute, status: "won" })).toMatchObject({ handled: false, action: "unchanged" });
    // Racing replays of the late opening: none takes anything.
    const openings = await Promise.all(Array.from({ length: 4 }, () => s.deliver("charge.dispute.created", wonDispute)));
    expect(openings.map((o) => o.action)).toEqual(Array(4).fill("closed_already"));
    expect(await s.balanceOf(won.user.uuid)).toBe(100);
    expect((await getOrder(won.result.orderNo))?.status).toBe("paid");

    const lost = await s.paidOrder({ quantity: 100 });
    const lostDispute = dispute(lost.session.payment_intent!, 1000);
    expect(await s.deliver("charge.dispute.closed", { ...lostDispute, status: "lost" })).toMatchObject({ action: "dispute_lost" });
    expect(await s.deliver("charge.dispute.created", lostDispute)).toMatchObject({ handled: true, action: "disputed" });
    expect(await s.balanceOf(lost.user.uuid)).toBe(0);
    expect(await s.ledgerOffences()).toEqual([]);
  });

  it("before checkout.session.completed: the order is settled from Stripe first, so the dispute takes the whole grant", async () => {
    const user = await s.newBuyer();
    const result = await s.checkout(user, { quantity: 100 });
    const session = await s.stripe.pay(result.sessionId); // paid at Stripe; the webhook has not come
    const opened = dispute(session.payment_intent!, 1000, { id: "dp_early_1" });

    expect(await s.deliver("charge.dispute.created", opened)).toMatchObject({ handled: true, action: "disputed", orderNo: result.orderNo });
    expect(await getOrder(result.orderNo)).toMatchObject({ status: "disputed", stripePaymentIntentId: session.payment_intent });
    expect(await s.balanceOf(user.uuid)).toBe(0);
    expect((await rowsOf(result.orderNo, "order_pay")).map((r) => r.credits)).toEqual([100]);
    expect((await rowsOf(result.orderNo, "dispute")).map((r) => r.credits)).toEqual([-100]);
    // The late payment event grants nothing more; a lost dispute keeps it that way.
    expect(await s.deliver("checkout.session.completed", session)).toMatchObject({ handled: false });
    expect(await s.deliver("charge.dispute.closed", { ...opened, status: "lost" })).toMatchObject({ action: "dispute_lost" });
    expect(await s.balanceOf(user.uuid)).toBe(0);
    expect(await s.ledgerOffences()).toEqual([]);
  });

  it("before checkout.session.completed, delivered concurrently with it: one grant, all of it taken back", async () => {
    const user = await s.newBuyer();
    const result = await s.checkout(user, { quantity: 100 });
    const session = await s.stripe.pay(result.sessionId);
    const opened = dispute(session.payment_intent!, 1000, { id: "dp_race_1" });
    // The disputes are sent first, so some reach the app before any payment event has granted.
    await Promise.all([
      ...Array.from({ length: 4 }, () => s.deliver("charge.dispute.created", opened)),
      ...Array.from({ length: 4 }, () => s.deliver("checkout.session.completed", session)),
    ]);
    expect(await s.balanceOf(user.uuid)).toBe(0);
    expect((await rowsOf(result.orderNo, "order_pay")).map((r) => r.credits)).toEqual([100]);
    expect((await rowsOf(result.orderNo, "dispute")).map((r) => r.credits)).toEqual([-100]);
    expect((await getOrder(result.orderNo))?.status).toBe("disputed");
    expect(await s.ledgerOffences()).toEqual([]);
  });

  it("on an order parked for review: nothing to take back, the order stays for review, and the operator is told not to grant it", async () => {
    s.setEnv({ ALERT_WEBHOOK_URL: alerts.url });
    const user = await s.newBuyer();
    const result = await s.checkout(user, { quantity: 100 });
    const session = await s.stripe.pay(result.sessionId);
    expect((await s.deliver("checkout.session.completed", { ...session, amount_total: 1 })).action).toBe("needs_review");
    const before = alerts.received.length;
    const opened = dispute(session.payment_intent!, 1000, { id: "dp_parked_1" });
    expect(await s.deliver("charge.dispute.created", opened)).toMatchObject({ handled: false, orderNo: result.orderNo });
    expect(await getOrder(result.orderNo)).toMatchObject({ status: "needs_review" });
    expect(await s.balanceOf(user.uuid)).toBe(0);
    const raised = alerts.received.slice(before);
    expect(raised).toHaveLength(1);
    expect(raised[0].text).toContain(`[dispute_opened] Dispute dp_parked_1 opened on order ${result.orderNo}`);
    expect(raised[0].text).toContain("do not grant it while the dispute is open");
    expect(await s.ledgerOffences()).toEqual([]);
  });

  it("a dispute on a charge the app does not know: acknowledged and ignored", async () => {
    expect(await s.deliver("charge.dispute.created", dispute("pi_unknown", 500))).toMatchObject({ handled: false, action: "unknown_order" });
  });
});

// A task's credits come back when it fails (refundCredits). Spent on a bundle whose money
// went back meanwhile, they must not: the refund or dispute takes them as they return.
describe("tasks that fail after their bundle was refunded or disputed", () => {
  const failTask = (spendTransNo: string) => refundCredits({ transNo: spendTransNo, reason: "task failed" });

  it("fully refunded while every credit was in running tasks: the failed tasks bring nothing back", async () => {
    const { user, session } = await s.paidOrder({ quantity: 100 });
    const tasks = [await spend(user.uuid, 60), await spend(user.uuid, 40)];
    expect(await s.deliver("charge.refunded", refundedCharge(session.payment_intent!, 1000))).toMatchObject({ action: "refunded" });
    expect(await s.balanceOf(user.uuid)).toBe(0);
    for (const task of tasks) await failTask(task);
    expect(await s.balanceOf(user.uuid)).toBe(0);
    // A replay of the refund and of the task refunds changes nothing either.
    await s.deliver("charge.refunded", refundedCharge(session.payment_intent!, 1000));
    for (const task of tasks) await failTask(task);
    expect(await s.balanceOf(user.uuid)).toBe(0);
    expect(await s.ledgerOffences()).toEqual([]);
  });

  it("30 % refunded while every credit was spent: a failed task's 100 come back as 70", async () => {
    const { user, session } = await s.paidOrder({ quantity: 100 });
    const task = await spend(user.uuid, 100);
    await s.deliver("charge.refunded", refundedCharge(session.payment_intent!, 1000, { amountRefunded: 300 }));
    expect(await s.balanceOf(user.uuid)).toBe(0);
    await failTask(task);
    expect(await s.balanceOf(user.uuid)).toBe(70);
    // Refunded up to 50 % later: 20 more.
    await s.deliver("charge.refunded", refundedCharge(session.payment_intent!, 1000, { amountRefunded: 500 }));
    expect(await s.balanceOf(user.uuid)).toBe(50);
    expect(await s.ledgerOffences()).toEqual([]);
  });

  it("disputed while tasks ran: the failed task's credits go to the dispute; won, they come back with the rest", async () => {
    const { user, result, session } = await s.paidOrder({ quantity: 100 });
    const task = await spend(user.uuid, 40);
    const opened = dispute(session.payment_intent!, 1000);
    expect(await s.deliver("charge.dispute.created", opened)).toMatchObject({ action: "disputed" });
    await failTask(task);
    expect(await s.balanceOf(user.uuid)).toBe(0);
    expect((await rowsOf(result.orderNo, "dispute")).map((r) => r.credits).sort((a, b) => a - b)).toEqual([-60, -40]);
    const closes = await Promise.all(Array.from({ length: 3 }, () => s.deliver("charge.dispute.closed", { ...opened, status: "won" })));
    expect(closes.filter((c) => c.handled)).toHaveLength(1);
    expect(await s.balanceOf(user.uuid)).toBe(100);
    expect(await s.ledgerOffences()).toEqual([]);
  });

  it("lost: the failed task's credits stay with the dispute", async () => {
    const { user, session } = await s.paidOrder({ quantity: 100 });
    const task = await spend(user.uuid, 100);
    const opened = dispute(session.payment_intent!, 1000);
    await s.deliver("charge.dispute.created", opened);
    await s.deliver("charge.dispute.closed", { ...opened, status: "lost" });
    await failTask(task);
    expect(await s.balanceOf(user.uuid)).toBe(0);
    expect(await s.ledgerOffences()).toEqual([]);
  });

  it.each([
    [1000, 0],
    [300, 40],
  ])("refunded %i of 1000 during an inquiry that then closed in the merchant's favour: %i credits left", async (refunded, left) => {
    const { user, session } = await s.paidOrder({ quantity: 100 });
    await spend(user.uuid, 30);
    const inquiry = dispute(session.payment_intent!, 1000, { status: "warning_needs_response" });
    await s.deliver("charge.dispute.created", inquiry); // takes the 70 left
    await s.deliver("charge.refunded", refundedCharge(session.payment_intent!, 1000, { amountRefunded: refunded }));
    expect(await s.balanceOf(user.uuid)).toBe(0);
    await s.deliver("charge.dispute.closed", { ...inquiry, status: "warning_closed" });
    expect(await s.balanceOf(user.uuid)).toBe(left);
    expect(await s.ledgerOffences()).toEqual([]);
  });

  it("a full refund racing four failing tasks: nothing comes back, whatever the order", async () => {
    const { user, session } = await s.paidOrder({ quantity: 100 });
    const tasks = await Promise.all([25, 25, 25, 25].map((n) => spend(user.uuid, n)));
    await Promise.all([s.deliver("charge.refunded", refundedCharge(session.payment_intent!, 1000)), ...tasks.map(failTask)]);
    expect(await s.balanceOf(user.uuid)).toBe(0);
    expect(await s.ledgerOffences()).toEqual([]);
  });
});

describe("a paid session that does not match its order", () => {
  it("parks the order in needs_review (once, with one alert), grants nothing, and is listed for review", async () => {
    s.setEnv({ ALERT_WEBHOOK_URL: alerts.url });
    const user = await s.newBuyer();
    const result = await s.checkout(user, { quantity: 100 });
    const session = await s.stripe.pay(result.sessionId);
    const before = alerts.received.length;
    const wrong = { ...session, amount_total: 1 };
    expect(await s.deliver("checkout.session.completed", wrong)).toMatchObject({ handled: false, action: "needs_review" });
    for (let i = 0; i < 5; i++) expect((await s.deliver("checkout.session.completed", wrong)).action).toBe("needs_review");
    // Even the right event now waits for an operator.
    expect((await s.deliver("checkout.session.completed", session)).action).toBe("needs_review");
    expect(await s.balanceOf(user.uuid)).toBe(0);
    expect(await getOrder(result.orderNo)).toMatchObject({ status: "needs_review", reviewReason: "amount 1 != 1000" });
    expect((await listOrdersForReview()).map((o) => o.orderNo)).toContain(result.orderNo);
    const raised = alerts.received.slice(before);
    expect(raised).toHaveLength(1);
    expect(raised[0].text).toMatch(/^\[order_needs_review\] Order ord_\w+ was paid/);
  });

  it("a currency or session mismatch is parked too", async () => {
    for (const change of [{ currency: "eur" }, { id: "cs_test_someone_elses" }]) {
      const user = await s.newBuyer();
      const result = await s.checkout(user, { quantity: 100 });
      const session = await s.stripe.pay(result.sessionId);
      expect((await s.deliver("checkout.session.completed", { ...session, ...change })).action).toBe("needs_review");
      expect((await getOrder(result.orderNo))?.status).toBe("needs_review");
    }
  });
});

describe("no_payment_required (a 100 % discount)", () => {
  it("is fulfilled when the order's amount is the subtotal and nothing was charged", async () => {
    const user = await s.newBuyer();
    const result = await s.checkout(user, { quantity: 100 });
    const free = { ...s.stripe.sessions.get(result.sessionId)!, status: "complete", payment_status: "no_payment_required", amount_total: 0 };
    expect(await s.deliver("checkout.session.completed", free)).toMatchObject({ handled: true, action: "fulfilled" });
    expect(await s.balanceOf(user.uuid)).toBe(100);
    expect((await s.deliver("checkout.session.completed", free)).action).toBe("already_fulfilled");
    expect(await s.ledgerOffences()).toEqual([]);
  });
});

describe("operator alerts", () => {
  it("go to the server log without ALERT_WEBHOOK_URL, or when the webhook fails", async () => {
    expect(await sendAlert({ kind: "reconciliation", message: "test" })).toEqual({ delivered: "log" });
    s.setEnv({ ALERT_WEBHOOK_URL: "http://127.0.0.1:9/unreachable" });
    expect(await sendAlert({ kind: "reconciliation", message: "test" })).toEqual({ delivered: "log" });
    s.setEnv({ ALERT_WEBHOOK_URL: alerts.url });
    expect(await sendAlert({ kind: "provider_failures", message: "5 failures", details: { provider: "replicate" } })).toEqual({ delivered: "webhook" });
    expect(alerts.received.at(-1)).toEqual({ text: "[provider_failures] 5 failures\n```\nprovider: replicate\n```" });
  });
});
