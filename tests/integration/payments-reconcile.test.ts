// Reconciliation: paid Checkout Sessions the webhook missed are found in Stripe's list
// (fake Stripe server, documented list shape and pagination) and fulfilled exactly once.
import { describe, expect, it } from "vitest";
import { getOrder, reconcileStripe } from "@/services/payments";
import type { FakeSession } from "../support/fake-stripe";
import { stripeScenario } from "../support/stripe-scenario";

const s = stripeScenario();

async function missedPayment(quantity = 100) {
  const user = await s.newBuyer();
  const result = await s.checkout(user, { quantity });
  const session = await s.stripe.pay(result.sessionId); // paid at Stripe, no webhook delivered
  return { user, result, session };
}

describe("reconcileStripe", () => {
  it("fulfils a paid session the webhook missed, once, however often it runs", async () => {
    const { user, result } = await missedPayment(100);
    const unpaid = await s.checkout(user, { quantity: 50 }); // still open at Stripe: not touched
    const first = await reconcileStripe({ days: 3 });
    expect(first.fulfilled).toEqual([result.orderNo]);
    expect(await s.balanceOf(user.uuid)).toBe(100);
    for (let i = 0; i < 3; i++) expect((await reconcileStripe({ days: 3 })).fulfilled).toEqual([]);
    // The late webhook finds it done.
    expect((await s.deliver("checkout.session.completed", s.stripe.sessions.get(result.sessionId))).action).toBe("already_fulfilled");
    expect(await s.balanceOf(user.uuid)).toBe(100);
    expect((await getOrder(unpaid.orderNo))?.status).toBe("created");
    expect(await s.ledgerOffences()).toEqual([]);
  });

  it("racing webhook deliveries and other reconciliation runs: one grant", async () => {
    const { user, result, session } = await missedPayment(200);
    const outcomes = await Promise.all([
      ...Array.from({ length: 3 }, () => reconcileStripe({ days: 3 })),
      ...Array.from({ length: 5 }, () => s.deliver("checkout.session.completed", session)),
    ]);
    const grants = outcomes.filter((o) => ("fulfilled" in o && Array.isArray(o.fulfilled) ? o.fulfilled.includes(result.orderNo) : "handled" in o && o.handled));
    expect(grants).toHaveLength(1);
    expect(await s.balanceOf(user.uuid)).toBe(200);
    expect(await s.ledgerOffences()).toEqual([]);
  });

  it("looks back only N days, follows Stripe's pagination, ignores sessions that are not ours", async () => {
    const old = await missedPayment(100);
    s.stripe.sessions.get(old.result.sessionId)!.created -= 10 * 86_400;
    const now = Math.floor(Date.now() / 1000);
    for (let i = 0; i < 150; i++) {
      const id = `cs_test_foreign_${i}`;
      const foreign = { ...s.stripe.sessions.get(old.result.sessionId)!, id, created: now, metadata: {}, client_reference_id: null } as FakeSession;
      s.stripe.sessions.set(id, foreign);
    }
    const recent = await missedPayment(100);
    const report = await reconcileStripe({ days: 3 });
    expect(report.fulfilled).toEqual([recent.result.orderNo]);
    expect(report.ignored).toBeGreaterThanOrEqual(150);
    const listCalls = s.stripe.requests.filter((r) => r.method === "GET" && r.path === "/v1/checkout/sessions").slice(-2);
    expect(listCalls[0].params).toMatchObject({ limit: "100", status: "complete" });
    expect(listCalls[1].params.starting_after).toBeDefined();
    expect((await getOrder(old.result.orderNo))?.status).toBe("created");
    expect((await reconcileStripe({ days: 30 })).fulfilled).toEqual([old.result.orderNo]);
  });

  it("a mismatching paid session found by reconciliation goes to needs_review", async () => {
    const { result } = await missedPayment(100);
    s.stripe.sessions.get(result.sessionId)!.amount_total = 5;
    const report = await reconcileStripe({ days: 3 });
    expect(report.needsReview).toContain(result.orderNo);
    expect((await getOrder(result.orderNo))?.status).toBe("needs_review");
  });
});
