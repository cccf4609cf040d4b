// Subscription plans that grant credits: checkout in subscription mode with one Stripe
// customer per user, invoice.paid grants keyed by invoice, renewals, cancellation,
// yearly plans granted monthly, the billing portal, and reconciliation of invoices —
// against the fake Stripe server, events signed by the Stripe SDK.
import { and, eq, like, sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { creditGrants, credits, subscriptions, tasks, users } from "@/db/schema";
import { siteConfig } from "@/config/site";
import { PLAN_CREDITS_GRACE_DAYS } from "@/data/plans";
import { BadRequestError, ConflictError, UnauthorizedError } from "@/lib/http/errors";
import { logger } from "@/lib/logger";
import { expireCredits } from "@/services/credits/ledger";
import {
  createPortalSession,
  createSubscriptionCheckout,
  getBillingSummary,
  grantDueSubscriptionCredits,
  reconcileStripe,
} from "@/services/payments";
import { deleteAccount, deletedEmail } from "@/services/accounts/deletion";
import { applyProviderStatus, createTask } from "@/services/tasks";
import { textToVideo } from "@/tasks/text-to-video";
import { refundedCharge } from "../support/fake-stripe";
import { stripeScenario } from "../support/stripe-scenario";

const s = stripeScenario();
const DAY = 86_400_000;

const grantsOf = (userUuid: string) =>
  getDb().select().from(credits).where(and(eq(credits.userUuid, userUuid), eq(credits.transType, "subscription_grant"))).orderBy(credits.id);
const subscriptionRow = async (id: string) => (await getDb().select().from(subscriptions).where(eq(subscriptions.id, id)))[0];
const requestsOf = (path: string) => s.stripe.requests.filter((r) => r.method === "POST" && r.path === path);

/** A user subscribed at Stripe, with the subscription's created event and first invoice delivered. */
async function subscribed(plan: string, interval: "month" | "year") {
  const user = await s.newBuyer();
  const checkout = await createSubscriptionCheckout({ userUuid: user.uuid, request: { plan, interval } });
  const { subscription, invoice } = s.stripe.subscribe(checkout.sessionId);
  await s.deliver("customer.subscription.created", subscription);
  const first = await s.deliver("invoice.paid", invoice);
  return { user, checkout, subscription, invoice, first };
}

describe("subscription checkout", () => {
  it("bad input is a 400 naming the field, and nothing is written at Stripe", async () => {
    const user = await s.newBuyer();
    const before = s.stripe.requests.length;
    for (const [request, field] of [
      [{ plan: "gold", interval: "month" }, "plan"],
      [{ plan: "pro", interval: "week" }, "interval"],
      [{ plan: "pro" }, "interval"],
      [{ plan: "pro", interval: "month", coupon: "x" }, "body: unknown field"],
      ["pro", "body"],
    ] as const) {
      const error = await createSubscriptionCheckout({ userUuid: user.uuid, request }).catch((e) => e);
      expect(error).toBeInstanceOf(BadRequestError);
      expect(error.message, error.message).toMatch(new RegExp(`^${field}`));
    }
    expect(s.stripe.requests.length).toBe(before);
  });

  it("a deleted account whose session another instance still holds: 401 for checkout and the portal, no customer re-created at Stripe", async () => {
    const user = await s.newBuyer();
    await createSubscriptionCheckout({ userUuid: user.uuid, request: { plan: "basic", interval: "month" } });
    await deleteAccount({ userUuid: user.uuid, confirm: user.email });
    const before = s.stripe.requests.length;
    await expect(createSubscriptionCheckout({ userUuid: user.uuid, request: { plan: "pro", interval: "month" } })).rejects.toBeInstanceOf(UnauthorizedError);
    await expect(createPortalSession({ userUuid: user.uuid })).rejects.toBeInstanceOf(UnauthorizedError);
    // The deletion removed the customer at Stripe; nothing sent since brings the email back.
    expect(s.stripe.requests.slice(before)).toEqual([]);
  });

  it("creates the user's Stripe customer once and opens Checkout in subscription mode with it", async () => {
    const user = await s.newBuyer();
    const a = await createSubscriptionCheckout({ userUuid: user.uuid, request: { plan: "basic", interval: "month", locale: "zh" } });
    await createSubscriptionCheckout({ userUuid: user.uuid, request: { plan: "pro", interval: "year" } });
    const customers = requestsOf("/v1/customers").filter((r) => r.params.email === user.email);
    expect(customers).toHaveLength(1);
    expect(customers[0].idempotencyKey).toBe(`customer:${user.uuid}`);
    const customerId = [...s.stripe.customers.values()].find((c) => c.email === user.email)!.id;
    const [first, second] = requestsOf("/v1/checkout/sessions").filter((r) => r.params.customer === customerId);
    expect(first.params).toMatchObject({
      mode: "subscription",
      customer: customerId,
      line_items: [
        {
          quantity: "1",
          price_data: { currency: "usd", unit_amount: "1900", recurring: { interval: "month" }, product_data: { name: `${siteConfig.name} — basic plan (monthly)` } },
        },
      ],
      subscription_data: { metadata: { user_uuid: user.uuid, plan: "basic", interval: "month" } },
      success_url: "https://app.example.com/zh/credits?subscribed=1",
    });
    expect(second.params).toMatchObject({ line_items: [{ price_data: { unit_amount: "49000", recurring: { interval: "year" } } }] });
    expect(a.url).toContain(a.sessionId);
  });

  it("a credit purchase by a user with a Stripe customer reuses it", async () => {
    const user = await s.newBuyer();
    await createSubscriptionCheckout({ userUuid: user.uuid, request: { plan: "basic", interval: "month" } });
    const customerId = [...s.stripe.customers.values()].find((c) => c.email === user.email)!.id;
    await s.checkout(user, { quantity: 100 });
    const sent = requestsOf("/v1/checkout/sessions").at(-1)!;
    expect(sent.params).toMatchObject({ mode: "payment", customer: customerId });
    expect(sent.params.customer_email).toBeUndefined();
    expect(requestsOf("/v1/customers").filter((r) => r.params.email === user.email)).toHaveLength(1);
  });

  it("a configured Stripe Price id is used instead of price_data", async () => {
    s.setEnv({ STRIPE_PLAN_PRICES: "basic:month=price_basic_m,pro:year=price_pro_y" });
    const user = await s.newBuyer();
    await createSubscriptionCheckout({ userUuid: user.uuid, request: { plan: "basic", interval: "month" } });
    expect(requestsOf("/v1/checkout/sessions").at(-1)!.params.line_items).toEqual([{ price: "price_basic_m", quantity: "1" }]);
  });
});

describe("invoice.paid grants the plan's credits", () => {
  it("once per invoice: 20 replays and 10 concurrent deliveries; expires at period end + grace", async () => {
    const { user, invoice, subscription, first } = await subscribed("basic", "month");
    expect(first).toMatchObject({ handled: true, action: "subscription_credits_granted" });
    for (let i = 0; i < 20; i++) expect((await s.deliver("invoice.paid", invoice)).handled).toBe(false);
    const concurrent = await Promise.all(Array.from({ length: 10 }, () => s.deliver("invoice.paid", invoice)));
    expect(concurrent.filter((o) => o.handled)).toHaveLength(0);
    expect(await s.balanceOf(user.uuid)).toBe(300);
    const [grant] = await grantsOf(user.uuid);
    expect(grant).toMatchObject({ transNo: `invoice:${invoice.id}`, credits: 300 });
    expect(grant.metadata).toMatchObject({ invoice: invoice.id, subscription: subscription.id, plan: "basic" });
    const periodEnd = subscription.items.data[0].current_period_end * 1000;
    expect(grant.expiredAt!.getTime()).toBe(periodEnd + PLAN_CREDITS_GRACE_DAYS * DAY);
    expect(await subscriptionRow(subscription.id)).toMatchObject({ userUuid: user.uuid, plan: "basic", interval: "month", status: "active" });
    expect(await getBillingSummary(user.uuid)).toMatchObject({
      subscription: { plan: "basic", interval: "month", creditsPerMonth: 300, cancelAtPeriodEnd: false, renewsAt: new Date(periodEnd).toISOString() },
      hasCustomer: true,
    });
    // One live subscription per user.
    await expect(createSubscriptionCheckout({ userUuid: user.uuid, request: { plan: "pro", interval: "month" } })).rejects.toBeInstanceOf(ConflictError);
    expect(await s.ledgerOffences()).toEqual([]);
  });

  it("renewal grants the next period; an `expire` plan's last period lapses, a `rollover` plan's stays", async () => {
    const basic = await subscribed("basic", "month");
    const pro = await subscribed("pro", "month");
    for (const sub of [basic, pro]) {
      const { invoice } = s.stripe.renew(sub.subscription.id);
      expect(await s.deliver("invoice.paid", invoice)).toMatchObject({ handled: true });
      expect((await s.deliver("invoice.paid", invoice)).handled).toBe(false);
      // Time passes beyond the first period's end (+ grace).
      await getDb().update(creditGrants).set({ expiredAt: sql`now() - interval '1 second'` }).where(
        and(eq(creditGrants.transNo, `invoice:${sub.invoice.id}`), sql`${creditGrants.expiredAt} < now() + interval '40 days'`),
      );
    }
    await expireCredits();
    expect(await s.balanceOf(basic.user.uuid)).toBe(300); // only the new period's
    expect(await s.balanceOf(pro.user.uuid)).toBe(2000); // rolled over (valid 365 days)
    const row = await subscriptionRow(basic.subscription.id);
    expect(row.latestInvoiceId).toBe(s.stripe.subscriptions.get(basic.subscription.id)!.latest_invoice);
    // A late replay of the first invoice neither grants nor moves the subscription back.
    expect((await s.deliver("invoice.paid", basic.invoice)).handled).toBe(false);
    expect((await subscriptionRow(basic.subscription.id)).latestInvoiceId).toBe(row.latestInvoiceId);
    expect(await s.ledgerOffences()).toEqual([]);
  });

  it("cancel at period end is mirrored; deletion ends it and a new subscription may start", async () => {
    const { user, subscription } = await subscribed("basic", "month");
    const updated = s.stripe.updateSubscription(subscription.id, { cancel_at_period_end: true });
    expect(await s.deliver("customer.subscription.updated", updated)).toMatchObject({ handled: true, action: "subscription_synced" });
    expect(await subscriptionRow(subscription.id)).toMatchObject({ cancelAtPeriodEnd: true, status: "active" });
    expect((await getBillingSummary(user.uuid)).subscription).toMatchObject({ cancelAtPeriodEnd: true });
    const ended = s.stripe.cancelSubscription(subscription.id);
    expect(await s.deliver("customer.subscription.deleted", ended)).toMatchObject({ handled: true, action: "subscription_deleted" });
    expect(await subscriptionRow(subscription.id)).toMatchObject({ status: "canceled" });
    expect((await getBillingSummary(user.uuid)).subscription).toBeNull();
    await expect(createSubscriptionCheckout({ userUuid: user.uuid, request: { plan: "pro", interval: "month" } })).resolves.toMatchObject({ plan: "pro" });
    expect(await s.balanceOf(user.uuid)).toBe(300); // the paid period's credits stay
  });

  // Issue 26, item 6: two subscription checkouts opened before either was paid both
  // completed: two live subscriptions, both granting monthly, the customer billed twice.
  describe("one live subscription per user", () => {
    /** Two checkouts opened at once (two tabs), both paid at Stripe. */
    async function twoPaid() {
      const user = await s.newBuyer();
      const [a, b] = await Promise.all([
        createSubscriptionCheckout({ userUuid: user.uuid, request: { plan: "basic", interval: "month" } }),
        createSubscriptionCheckout({ userUuid: user.uuid, request: { plan: "pro", interval: "month" } }),
      ]);
      return { user, first: s.stripe.subscribe(a.sessionId), second: s.stripe.subscribe(b.sessionId) };
    }
    const refundsOf = (invoiceId: string) => [...s.stripe.refunds.values()].filter((r) => r.payment_intent === s.stripe.paymentIntentOfInvoice(invoiceId));

    it("the second one paid is cancelled at Stripe and refunded in full, grants nothing, and stays so through replays and late events", async () => {
      const { user, first, second } = await twoPaid();
      await s.deliver("customer.subscription.created", first.subscription);
      await s.deliver("customer.subscription.created", second.subscription); // before its invoice: a live row, not granting yet
      expect(await s.deliver("invoice.paid", first.invoice)).toMatchObject({ handled: true, action: "subscription_credits_granted" });
      expect(await s.deliver("invoice.paid", second.invoice)).toMatchObject({ handled: true, action: "duplicate_subscription_refunded" });
      expect(s.stripe.subscriptions.get(second.subscription.id)!.status).toBe("canceled");
      expect(s.stripe.subscriptions.get(first.subscription.id)!.status).toBe("active");
      expect(refundsOf(second.invoice.id)).toEqual([expect.objectContaining({ amount: second.invoice.amount_paid, reason: "duplicate" })]);
      expect(await subscriptionRow(second.subscription.id)).toMatchObject({ status: "canceled", duplicateOf: first.subscription.id });
      // Replays, late events of the second subscription, and the refund's own charge.refunded.
      for (let i = 0; i < 5; i++) expect((await s.deliver("invoice.paid", second.invoice)).action).toBe("duplicate_subscription");
      await s.deliver("customer.subscription.updated", { ...second.subscription, status: "active" });
      const pi = s.stripe.paymentIntentOfInvoice(second.invoice.id);
      const customer = second.subscription.customer;
      expect((await s.deliver("charge.refunded", refundedCharge(pi, second.invoice.amount_paid, { customer }))).handled).toBe(false);
      expect(refundsOf(second.invoice.id)).toHaveLength(1);
      expect(await subscriptionRow(second.subscription.id)).toMatchObject({ status: "canceled" });
      expect(await grantsOf(user.uuid)).toEqual([expect.objectContaining({ transNo: `invoice:${first.invoice.id}`, credits: 300 })]);
      expect(await getBillingSummary(user.uuid)).toMatchObject({ subscription: { plan: "basic" } });
      // The kept one renews and grants; nothing was granted for the other, ever.
      const renewed = s.stripe.renew(first.subscription.id);
      expect((await s.deliver("invoice.paid", renewed.invoice)).action).toBe("subscription_credits_granted");
      expect(await grantsOf(user.uuid)).toHaveLength(2);
      expect(await s.ledgerOffences()).toEqual([]);
    });

    it("a Stripe failure while cancelling: the webhook fails (Stripe delivers again), and the retry finishes with one refund", async () => {
      const { user, first, second } = await twoPaid();
      await s.deliver("invoice.paid", first.invoice);
      s.stripe.failNextRequest("DELETE", `/v1/subscriptions/${second.subscription.id}`, 400);
      await expect(s.deliver("invoice.paid", second.invoice)).rejects.toThrow();
      expect(s.stripe.subscriptions.get(second.subscription.id)!.status).toBe("active");
      expect(await grantsOf(user.uuid)).toHaveLength(1);
      expect((await s.deliver("invoice.paid", second.invoice)).action).toBe("duplicate_subscription");
      expect(s.stripe.subscriptions.get(second.subscription.id)!.status).toBe("canceled");
      expect(refundsOf(second.invoice.id)).toHaveLength(1);
      for (let i = 0; i < 3; i++) await s.deliver("invoice.paid", second.invoice);
      expect(refundsOf(second.invoice.id)).toHaveLength(1);
    });

    it("both invoices delivered at once, 5 users: one grant, one cancellation and one refund each", async () => {
      for (let round = 0; round < 5; round++) {
        const { user, first, second } = await twoPaid();
        const outcomes = await Promise.all([
          s.deliver("invoice.paid", first.invoice),
          s.deliver("invoice.paid", second.invoice),
          s.deliver("invoice.paid", second.invoice),
          s.deliver("invoice.paid", first.invoice),
        ]);
        expect(outcomes.filter((o) => o.action === "subscription_credits_granted"), `round ${round}`).toHaveLength(1);
        expect(await grantsOf(user.uuid)).toHaveLength(1);
        const canceled = [first, second].filter((x) => s.stripe.subscriptions.get(x.subscription.id)!.status === "canceled");
        expect(canceled).toHaveLength(1);
        expect(refundsOf(canceled[0].invoice.id)).toHaveLength(1);
        const kept = [first, second].find((x) => x !== canceled[0])!;
        expect(refundsOf(kept.invoice.id)).toHaveLength(0);
        expect(await subscriptionRow(canceled[0].subscription.id)).toMatchObject({ duplicateOf: kept.subscription.id });
      }
      expect(await s.ledgerOffences()).toEqual([]);
    });
  });

  it("a free first invoice (trial) grants the plan's trial credits", async () => {
    const user = await s.newBuyer();
    const checkout = await createSubscriptionCheckout({ userUuid: user.uuid, request: { plan: "pro", interval: "month" } });
    const { subscription, invoice } = s.stripe.subscribe(checkout.sessionId, { trial: true });
    await s.deliver("customer.subscription.created", subscription);
    await s.deliver("invoice.paid", invoice);
    expect(await s.balanceOf(user.uuid)).toBe(100);
  });

  it("customers and subscriptions the app does not know: 200, ignored, logged once", async () => {
    const warn = vi.spyOn(logger, "warn");
    try {
      const stranger = { ...s.stripe.renew((await subscribed("basic", "month")).subscription.id).invoice, customer: "cus_unknown" };
      const unknownSub = { id: "sub_x", object: "subscription", customer: "cus_unknown", metadata: {}, items: { data: [] } };
      for (let i = 0; i < 3; i++) {
        expect(await s.deliver("invoice.paid", stranger)).toMatchObject({ handled: false, action: "unknown_invoice" });
        expect(await s.deliver("customer.subscription.updated", unknownSub)).toMatchObject({ handled: false, action: "unknown_subscription" });
      }
      const logged = (id: string) => warn.mock.calls.filter(([fields]) => (fields as { id?: string })?.id === id);
      expect(logged(stranger.id)).toHaveLength(1);
      expect(logged("sub_x")).toHaveLength(1);
    } finally {
      warn.mockRestore();
    }
  });

  it("a plan changed in the billing portal follows its Price (the checkout's metadata stays behind)", async () => {
    s.setEnv({ STRIPE_PLAN_PRICES: "basic:month=price_basic_m,pro:month=price_pro_m" });
    const { user, subscription } = await subscribed("basic", "month");
    expect(await s.balanceOf(user.uuid)).toBe(300);
    const item = subscription.items.data[0];
    const upgraded = s.stripe.updateSubscription(subscription.id, { items: { ...subscription.items, data: [{ ...item, price: { ...item.price, id: "price_pro_m" } }] } });
    expect(upgraded.metadata).toMatchObject({ plan: "basic" });
    await s.deliver("customer.subscription.updated", upgraded);
    expect(await subscriptionRow(subscription.id)).toMatchObject({ plan: "pro" });
    const { invoice } = s.stripe.renew(subscription.id);
    expect(await s.deliver("invoice.paid", invoice)).toMatchObject({ handled: true });
    expect(await s.balanceOf(user.uuid)).toBe(300 + 1000);
  });
});

describe("yearly plans grant monthly", () => {
  it("month 1 at invoice.paid, then one grant per month begun, once, until the subscription ends", async () => {
    const { user, subscription, invoice } = await subscribed("pro", "year");
    expect(await s.balanceOf(user.uuid)).toBe(1000);
    const start = subscription.items.data[0].current_period_start * 1000;
    expect(await grantDueSubscriptionCredits({ now: new Date(start + 10 * DAY) })).toEqual({ grants: 0 });
    const [a, b] = await Promise.all([
      grantDueSubscriptionCredits({ now: new Date(start + 40 * DAY) }),
      grantDueSubscriptionCredits({ now: new Date(start + 40 * DAY) }),
    ]);
    expect(a.grants + b.grants).toBe(1);
    expect((await grantDueSubscriptionCredits({ now: new Date(start + 100 * DAY) })).grants).toBe(2);
    expect(await s.balanceOf(user.uuid)).toBe(4000);
    expect((await getDb().select().from(credits).where(like(credits.transNo, `invoice:${invoice.id}%`))).map((r) => r.transNo).sort()).toEqual(
      [`invoice:${invoice.id}`, `invoice:${invoice.id}:month:1`, `invoice:${invoice.id}:month:2`, `invoice:${invoice.id}:month:3`].sort(),
    );
    await s.deliver("customer.subscription.deleted", s.stripe.cancelSubscription(subscription.id));
    expect((await grantDueSubscriptionCredits({ now: new Date(start + 200 * DAY) })).grants).toBe(0);
    expect(await s.ledgerOffences()).toEqual([]);
  });
});

describe("subscription events delivered out of order", () => {
  const now = () => Math.floor(Date.now() / 1000);

  it("an update made before the cancellation, delivered after it (a retry), changes nothing: no more months are granted", async () => {
    const { user, subscription } = await subscribed("pro", "year");
    const start = subscription.items.data[0].current_period_start * 1000;
    const active = structuredClone(s.stripe.subscriptions.get(subscription.id)!);
    const deletedAt = now();
    await s.deliver("customer.subscription.deleted", s.stripe.cancelSubscription(subscription.id), undefined, deletedAt);
    expect(await s.deliver("customer.subscription.updated", active, undefined, deletedAt - 60)).toEqual({ handled: false, action: "stale_subscription_event" });
    expect(await subscriptionRow(subscription.id)).toMatchObject({ status: "canceled" });
    // Even stamped later, nothing brings a canceled subscription back (Stripe never reactivates one).
    expect(await s.deliver("customer.subscription.updated", active, undefined, deletedAt + 60)).toEqual({ handled: false, action: "stale_subscription_event" });
    expect(await subscriptionRow(subscription.id)).toMatchObject({ status: "canceled" });
    expect((await grantDueSubscriptionCredits({ now: new Date(start + 100 * DAY) })).grants).toBe(0);
    expect(await s.balanceOf(user.uuid)).toBe(1000);
    // A new subscription may start.
    await expect(createSubscriptionCheckout({ userUuid: user.uuid, request: { plan: "basic", interval: "month" } })).resolves.toMatchObject({ plan: "basic" });
  });

  it("an older past_due delivered after a newer active leaves it active, and the months go on", async () => {
    const { user, subscription } = await subscribed("pro", "year");
    const start = subscription.items.data[0].current_period_start * 1000;
    const t = now() + 10;
    await s.deliver("customer.subscription.updated", { ...s.stripe.subscriptions.get(subscription.id)!, status: "active" }, undefined, t);
    expect(await s.deliver("customer.subscription.updated", { ...s.stripe.subscriptions.get(subscription.id)!, status: "past_due" }, undefined, t - 5)).toEqual({
      handled: false,
      action: "stale_subscription_event",
    });
    expect(await subscriptionRow(subscription.id)).toMatchObject({ status: "active" });
    // Events of the same second apply in the order they arrive.
    expect(await s.deliver("customer.subscription.updated", { ...s.stripe.subscriptions.get(subscription.id)!, cancel_at_period_end: true }, undefined, t)).toMatchObject({ handled: true });
    expect(await subscriptionRow(subscription.id)).toMatchObject({ status: "active", cancelAtPeriodEnd: true });
    expect((await grantDueSubscriptionCredits({ now: new Date(start + 40 * DAY) })).grants).toBe(1);
    expect(await s.balanceOf(user.uuid)).toBe(2000);
  });
});

describe("billing portal", () => {
  it("400 without a Stripe customer (nothing sent to Stripe); the customer's portal url otherwise", async () => {
    const user = await s.newBuyer();
    const before = requestsOf("/v1/billing_portal/sessions").length;
    await expect(createPortalSession({ userUuid: user.uuid })).rejects.toBeInstanceOf(BadRequestError);
    expect(requestsOf("/v1/billing_portal/sessions")).toHaveLength(before);
    await createSubscriptionCheckout({ userUuid: user.uuid, request: { plan: "basic", interval: "month" } });
    const portal = await createPortalSession({ userUuid: user.uuid, locale: "zh" });
    expect(portal.url).toMatch(/\/_fake\/portal\/bps_/);
    expect(requestsOf("/v1/billing_portal/sessions").at(-1)!.params).toMatchObject({ return_url: "https://app.example.com/zh/credits" });
  });
});

describe("reconciliation", () => {
  it("grants a paid invoice whose webhook was missed, once", async () => {
    const user = await s.newBuyer();
    const checkout = await createSubscriptionCheckout({ userUuid: user.uuid, request: { plan: "basic", interval: "month" } });
    const { invoice } = s.stripe.subscribe(checkout.sessionId); // no events delivered
    const first = await reconcileStripe({ days: 3 });
    expect(first.invoicesGranted).toContain(invoice.id);
    expect((await reconcileStripe({ days: 3 })).invoicesGranted).not.toContain(invoice.id);
    expect(await s.balanceOf(user.uuid)).toBe(300);
    expect(await s.ledgerOffences()).toEqual([]);
  });
});

describe("account deletion and the Stripe customer", () => {
  const deleteRequests = (customer: string) => s.stripe.requests.filter((r) => r.method === "DELETE" && r.path === `/v1/customers/${customer}`);

  it("the customer (email, saved payment methods) is deleted at Stripe, which cancels the subscription set to end; the account is anonymized", async () => {
    const { user, subscription } = await subscribed("basic", "month");
    const updated = s.stripe.updateSubscription(subscription.id, { cancel_at_period_end: true });
    await s.deliver("customer.subscription.updated", updated);

    await deleteAccount({ userUuid: user.uuid, confirm: user.email });
    expect(deleteRequests(subscription.customer)).toHaveLength(1);
    expect(s.stripe.customers.has(subscription.customer)).toBe(false);
    expect(s.stripe.subscriptions.get(subscription.id)).toMatchObject({ status: "canceled" });
    const [row] = await getDb().select().from(users).where(eq(users.id, user.uuid));
    expect(row.email).toBe(deletedEmail(user.uuid));
    // Stripe's cancellation, delivered later, is mirrored as any other.
    expect(await s.deliver("customer.subscription.deleted", s.stripe.subscriptions.get(subscription.id))).toMatchObject({ handled: true });
    expect(await s.ledgerOffences()).toEqual([]);
  });

  it("a task started in another tab while Stripe deletes the customer: failed and refunded in the deletion, nothing of it kept", async () => {
    const { user, subscription } = await subscribed("basic", "month");
    await s.deliver("customer.subscription.updated", s.stripe.updateSubscription(subscription.id, { cancel_at_period_end: true }));
    let late: string | undefined;
    s.stripe.beforeNextRequest("DELETE", `/v1/customers/${subscription.customer}`, async () => {
      const { task } = await createTask(textToVideo, { userUuid: user.uuid, input: { prompt: "started meanwhile", seconds: 4, aspectRatio: "landscape" } }, { background: () => {} });
      late = task.uuid;
    });
    await deleteAccount({ userUuid: user.uuid, confirm: user.email });
    const [task] = await getDb().select().from(tasks).where(eq(tasks.uuid, late!));
    expect(task).toMatchObject({ status: "failed", userInput: {}, outputKey: null });
    expect(task.refundTransNo).toBeTruthy();
    // Its success, if the provider still reports one, is ignored and stores nothing.
    const after = await applyProviderStatus(task, { state: "succeeded", progress: 100, outputUrl: "http://127.0.0.1:9/never-fetched.mp4" });
    expect(after).toMatchObject({ status: "failed", outputKey: null });
    expect(await s.balanceOf(user.uuid)).toBe(300);
    expect(await s.ledgerOffences()).toEqual([]);
  });

  it("Stripe unreachable: the deletion is refused (502) and nothing changed, so the user can try again", async () => {
    const { user, subscription } = await subscribed("basic", "month");
    await s.deliver("customer.subscription.updated", s.stripe.updateSubscription(subscription.id, { cancel_at_period_end: true }));
    s.setEnv({ STRIPE_API_BASE: "http://127.0.0.1:9" });
    await expect(deleteAccount({ userUuid: user.uuid, confirm: user.email })).rejects.toMatchObject({ status: 502 });
    const [row] = await getDb().select().from(users).where(eq(users.id, user.uuid));
    expect(row).toMatchObject({ email: user.email, disabledAt: null });
    expect(s.stripe.customers.has(subscription.customer)).toBe(true);
  });

  it("a user who never reached Stripe: nothing is asked of Stripe", async () => {
    const user = await s.newBuyer();
    const before = s.stripe.requests.length;
    await deleteAccount({ userUuid: user.uuid, confirm: user.email });
    expect(s.stripe.requests).toHaveLength(before);
  });
});
