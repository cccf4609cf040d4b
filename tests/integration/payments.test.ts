// Payments at the service level: checkout against a local fake Stripe API, webhook
// events signed by the Stripe SDK, exactly-once fulfilment, closures and refunds.
import { and, count, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getDb, openPostgres } from "@/db";
import { credits, orders, users } from "@/db/schema";
import { siteConfig } from "@/config/site";
import { CREDIT_BUNDLES, MAX_PURCHASE_CREDITS, MIN_PURCHASE_CREDITS, PURCHASED_CREDITS_VALIDITY_DAYS } from "@/data/credits";
import { resetEnvCache } from "@/lib/env";
import { AppError, BadRequestError, ForbiddenError, NotFoundError, TooManyRequestsError, UnauthorizedError } from "@/lib/http/errors";
import { deletedEmail } from "@/services/accounts/deletion";
import { disableUser } from "@/services/accounts/sessions";
import { StripeNotConfiguredError, verifyStripeWebhook } from "@/lib/stripe";
import { decreaseCredits, getUserCredits, grantCredits } from "@/services/credits/ledger";
import { verifyLedger } from "@/services/credits/verify";
import {
  CHECKOUT_RATE_LIMIT,
  PaymentProviderError,
  UNGRANTED_RETRY_SECONDS,
  confirmCheckoutSession,
  createCreditsCheckout,
  fulfilOrder,
  getOrder,
  handleStripeEvent,
  listOrders,
  type CheckoutRequest,
} from "@/services/payments";
import {
  refundedCharge,
  signedEvent,
  startFakeStripe,
  stripeEvent,
  type FakeSession,
  type FakeStripe,
} from "../support/fake-stripe";
import { insertUser } from "../support/fixtures";
import { testDb } from "../support/setup-db";

let stripe: FakeStripe;
const saved = { ...process.env };

function useStripeEnv(overrides: Record<string, string | undefined> = {}) {
  const next = { ...stripe.appEnv, CREDIT_PRICE_USD: "0.10", APP_URL: "https://app.example.com", ...overrides };
  for (const [k, v] of Object.entries(next)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
}

beforeAll(async () => {
  stripe = await startFakeStripe();
  useStripeEnv();
});
afterEach(() => useStripeEnv());
afterAll(async () => {
  for (const k of ["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_API_BASE", "CREDIT_PRICE_USD", "APP_URL"]) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  resetEnvCache();
  await stripe.close();
});

const db = () => getDb();
const balanceOf = async (u: string) => (await getUserCredits(u)).balance;
const orderCount = async (u: string) => (await db().select({ n: count() }).from(orders).where(eq(orders.userUuid, u)))[0].n;
const orderPayRows = async (orderNo: string) =>
  (await db().select({ n: count() }).from(credits).where(and(eq(credits.orderNo, orderNo), eq(credits.transType, "order_pay"))))[0].n;
const requestsFor = (email: string) => stripe.requests.filter((r) => r.params.customer_email === email);

async function newBuyer() {
  const email = `buyer-${crypto.randomUUID()}@example.com`;
  const uuid = await insertUser(email);
  return { uuid, email };
}

async function checkout(user: { uuid: string; email: string }, request: CheckoutRequest, locale?: string) {
  return createCreditsCheckout({ userUuid: user.uuid, request, locale });
}

/** Delivers an event to the app the way the webhook route does: verify the raw body, then handle. */
async function deliver(type: string, object: unknown, options: { secret?: string; timestamp?: number; eventId?: string } = {}) {
  const { payload, header } = signedEvent(stripeEvent(type, object, options.eventId), options.secret ?? stripe.webhookSecret, options.timestamp);
  return handleStripeEvent(verifyStripeWebhook(payload, header));
}

/** A checkout whose session the customer has paid at Stripe. */
async function paidCheckout(request: CheckoutRequest = { quantity: 100 }) {
  const user = await newBuyer();
  const result = await checkout(user, request);
  const session = await stripe.pay(result.sessionId);
  return { user, result, session };
}

describe("checkout", () => {
  it("writes the order and creates a payment-mode Checkout Session with the order in it", async () => {
    const user = await newBuyer();
    const result = await checkout(user, { quantity: 100 });

    expect(result).toMatchObject({ credits: 100, amount: 1000, currency: "usd" });
    expect(result.url).toBe(`${stripe.url}/_fake/pay/${result.sessionId}`);
    const order = await getOrder(result.orderNo);
    expect(order).toMatchObject({
      userUuid: user.uuid,
      credits: 100,
      amount: 1000,
      currency: "usd",
      bundle: null,
      status: "created",
      stripeSessionId: result.sessionId,
    });

    const sent = requestsFor(user.email);
    expect(sent).toHaveLength(1);
    const [req] = sent;
    expect(req.method).toBe("POST");
    expect(req.path).toBe("/v1/checkout/sessions");
    expect(req.contentType).toContain("application/x-www-form-urlencoded");
    expect(req.authorization).toBe(`Bearer ${stripe.secretKey}`);
    expect(req.idempotencyKey).toBe(`checkout:${result.orderNo}`);
    expect(req.params).toMatchObject({
      mode: "payment",
      client_reference_id: result.orderNo,
      customer_email: user.email,
      metadata: { order_no: result.orderNo, user_uuid: user.uuid, credits: "100" },
      payment_intent_data: { metadata: { order_no: result.orderNo } },
      success_url: "https://app.example.com/en/success?session_id={CHECKOUT_SESSION_ID}",
      cancel_url: "https://app.example.com/en/cancel",
      line_items: [{ quantity: "1", price_data: { currency: "usd", unit_amount: "1000", product_data: { name: `${siteConfig.name} — 100 credits` } } }],
    });
    expect(stripe.sessions.get(result.sessionId)?.amount_total).toBe(1000);
  });

  it("a bundle: its credits at CREDIT_PRICE_USD, localized return urls", async () => {
    useStripeEnv({ CREDIT_PRICE_USD: "0.015" });
    const bundle = CREDIT_BUNDLES.find((b) => b.id === "creator")!;
    const user = await newBuyer();
    const result = await checkout(user, { bundle: "creator" }, "zh");
    const cents = Math.round(bundle.credits * 0.015 * 100); // 750: per credit 1.5 cents, so quantity 1 at the total
    expect(result).toMatchObject({ credits: bundle.credits, amount: cents });
    expect((await getOrder(result.orderNo))?.bundle).toBe("creator");
    const [req] = requestsFor(user.email);
    expect(req.params).toMatchObject({
      locale: "zh",
      success_url: "https://app.example.com/zh/success?session_id={CHECKOUT_SESSION_ID}",
      cancel_url: "https://app.example.com/zh/cancel",
      line_items: [{ quantity: "1", price_data: { unit_amount: String(cents) } }],
    });
  });

  const badRequests: Array<[string, unknown]> = [
    ["a fractional quantity", { quantity: 10.5 }],
    ["zero", { quantity: 0 }],
    ["a negative quantity", { quantity: -100 }],
    ["below the minimum", { quantity: MIN_PURCHASE_CREDITS - 1 }],
    ["above the maximum", { quantity: MAX_PURCHASE_CREDITS + 1 }],
    ["a huge quantity", { quantity: 1e308 }],
    ["a quantity as a string", { quantity: "100" }],
    ["an unknown bundle", { bundle: "platinum" }],
    ["a bundle that is not a string", { bundle: 3 }],
    ["both quantity and bundle", { quantity: 100, bundle: "starter" }],
    ["neither", {}],
    ["an unknown field", { quantity: 100, price: 1 }],
    ["an unknown locale", { quantity: 100, locale: "fr" }],
    ["not an object", [100]],
  ];
  it.each(badRequests)("%s: 400, no order, no Stripe call", async (_, body) => {
    const user = await newBuyer();
    const error = await checkout(user, body as CheckoutRequest).catch((e) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.status).toBe(400);
    expect(await orderCount(user.uuid)).toBe(0);
    expect(requestsFor(user.email)).toHaveLength(0);
  });

  it("an account deleted or disabled while another instance still holds its session: 401, no order, nothing sent to Stripe", async () => {
    const deleted = await newBuyer();
    await getDb().update(users).set({ email: deletedEmail(deleted.uuid), disabledAt: new Date() }).where(eq(users.id, deleted.uuid));
    const disabled = await newBuyer();
    await disableUser(disabled.uuid);
    for (const user of [deleted, disabled]) {
      const error = await checkout(user, { quantity: 100 }).catch((e) => e);
      expect(error).toBeInstanceOf(UnauthorizedError);
      expect(await orderCount(user.uuid)).toBe(0);
      expect(stripe.requests.filter((r) => JSON.stringify(r.params).includes(user.uuid))).toEqual([]);
    }
    expect(requestsFor(deleted.email)).toEqual([]);
  });

  it("Stripe gets the account's current email, whatever the session carried", async () => {
    const user = await newBuyer();
    const changed = `changed-${crypto.randomUUID()}@example.com`;
    await getDb().update(users).set({ email: changed }).where(eq(users.id, user.uuid));
    const result = await checkout(user, { quantity: 100 });
    expect(requestsFor(user.email)).toEqual([]);
    expect(requestsFor(changed)).toHaveLength(1);
    expect((await getOrder(result.orderNo))?.userUuid).toBe(user.uuid);
  });

  it("a total Stripe cannot charge is refused before anything is written", async () => {
    useStripeEnv({ CREDIT_PRICE_USD: "0.01" }); // 10 credits = $0.10, under Stripe's $0.50 minimum
    const user = await newBuyer();
    const error = await checkout(user, { quantity: MIN_PURCHASE_CREDITS }).catch((e) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.message).toMatch(/^quantity: the total must be between/);
    expect(await orderCount(user.uuid)).toBe(0);
  });

  it("without STRIPE_SECRET_KEY: 503 explaining the configuration, no order", async () => {
    useStripeEnv({ STRIPE_SECRET_KEY: undefined });
    const user = await newBuyer();
    const error = await checkout(user, { quantity: 100 }).catch((e) => e);
    expect(error).toBeInstanceOf(StripeNotConfiguredError);
    expect(error.status).toBe(503);
    expect(error.details).toEqual({ reason: "stripe_not_configured" });
    expect(error.message).toContain("STRIPE_SECRET_KEY");
    expect(await orderCount(user.uuid)).toBe(0);
  });

  it("Stripe refuses the session: the order is marked failed and a 502 envelope error is thrown", async () => {
    stripe.failNextCreate(400, "Invalid currency");
    const user = await newBuyer();
    const error = await checkout(user, { quantity: 100 }).catch((e) => e);
    expect(error).toBeInstanceOf(PaymentProviderError);
    expect((error as AppError).status).toBe(502);
    const [order] = await db().select().from(orders).where(eq(orders.userUuid, user.uuid));
    expect(order).toMatchObject({ status: "failed", stripeSessionId: null });
  });

  it(`more than ${CHECKOUT_RATE_LIMIT.perUser} checkouts in ${CHECKOUT_RATE_LIMIT.windowSeconds} s: 429, no order, no Stripe call`, async () => {
    const user = await newBuyer();
    for (let i = 0; i < CHECKOUT_RATE_LIMIT.perUser; i++) await checkout(user, { bundle: "starter" });
    const error = await checkout(user, { bundle: "starter" }).catch((e) => e);
    expect(error).toBeInstanceOf(TooManyRequestsError);
    expect(await orderCount(user.uuid)).toBe(CHECKOUT_RATE_LIMIT.perUser);
    expect(requestsFor(user.email)).toHaveLength(CHECKOUT_RATE_LIMIT.perUser);
  });

  it("a Stripe 500 is retried by the SDK with the same idempotency key: one session", async () => {
    stripe.failNextCreate(500, "try again");
    const before = stripe.sessionsCreated();
    const user = await newBuyer();
    const result = await checkout(user, { quantity: 200 });
    const sent = requestsFor(user.email);
    expect(sent).toHaveLength(2);
    expect(new Set(sent.map((r) => r.idempotencyKey))).toEqual(new Set([`checkout:${result.orderNo}`]));
    expect(stripe.sessionsCreated() - before).toBe(1);
    expect((await getOrder(result.orderNo))?.status).toBe("created");
  });
});

describe("webhook signatures", () => {
  it("a delivery signed by the Stripe SDK with our secret is accepted", async () => {
    const { payload, header } = signedEvent(stripeEvent("customer.created", { id: "cus_1" }), stripe.webhookSecret);
    expect(verifyStripeWebhook(payload, header).type).toBe("customer.created");
  });

  it("forged (other secret), stale (10 minutes old), tampered and unsigned deliveries are 400 and change nothing", async () => {
    const { user, session } = await paidCheckout();
    const event = stripeEvent("checkout.session.completed", session);
    const forged = signedEvent(event, "whsec_someone_else");
    const stale = signedEvent(event, stripe.webhookSecret, Math.floor(Date.now() / 1000) - 600);
    const good = signedEvent(event, stripe.webhookSecret);
    const tampered = good.payload.replace(`"amount_total":1000`, `"amount_total":1`);
    expect(tampered).not.toBe(good.payload);

    for (const [payload, header] of [
      [forged.payload, forged.header],
      [stale.payload, stale.header],
      [tampered, good.header],
      [good.payload, null],
      [good.payload, "t=1,v1=deadbeef"],
    ] as const) {
      const error = (() => {
        try {
          verifyStripeWebhook(payload, header);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(BadRequestError);
    }
    expect(await balanceOf(user.uuid)).toBe(0);
    expect((await getOrder(session.client_reference_id!))?.status).toBe("created");
  });

  it("without STRIPE_WEBHOOK_SECRET the endpoint is unavailable (503), not open", () => {
    useStripeEnv({ STRIPE_WEBHOOK_SECRET: undefined });
    const { payload, header } = signedEvent(stripeEvent("customer.created", {}), stripe.webhookSecret);
    expect(() => verifyStripeWebhook(payload, header)).toThrowError(expect.objectContaining({ status: 503 }));
  });
});

describe("fulfilment", () => {
  it("checkout.session.completed (paid) marks the order paid and grants its credits once", async () => {
    const { user, result, session } = await paidCheckout();
    const outcome = await deliver("checkout.session.completed", session);
    expect(outcome).toEqual({ handled: true, action: "fulfilled", orderNo: result.orderNo });

    const order = await getOrder(result.orderNo);
    expect(order).toMatchObject({
      status: "paid",
      stripePaymentIntentId: session.payment_intent,
      creditsTransNo: `order_pay:${result.orderNo}`,
    });
    expect(order?.paidAt).toBeInstanceOf(Date);
    const c = await getUserCredits(user.uuid);
    expect(c.balance).toBe(100);
    const expectedExpiry = Date.now() + PURCHASED_CREDITS_VALIDITY_DAYS * 86_400_000;
    expect(Math.abs(new Date(c.nextExpiry!.expiresAt).getTime() - expectedExpiry)).toBeLessThan(60_000);
    const [row] = await db().select().from(credits).where(eq(credits.orderNo, result.orderNo));
    expect(row).toMatchObject({ transNo: `order_pay:${result.orderNo}`, transType: "order_pay", credits: 100, userUuid: user.uuid });
  });

  it("20 replays of the same event (and of a new event id for the same session) grant nothing more", async () => {
    const { user, result, session } = await paidCheckout({ bundle: "starter" });
    const eventId = "evt_replayed_1";
    expect((await deliver("checkout.session.completed", session, { eventId })).action).toBe("fulfilled");
    for (let i = 0; i < 20; i++) {
      expect(await deliver("checkout.session.completed", session, { eventId })).toMatchObject({ handled: false, action: "already_fulfilled" });
    }
    expect((await deliver("checkout.session.async_payment_succeeded", session)).action).toBe("already_fulfilled");
    expect(await balanceOf(user.uuid)).toBe(100);
    expect(await orderPayRows(result.orderNo)).toBe(1);
  });

  it("10 concurrent deliveries grant once", async () => {
    const { user, result, session } = await paidCheckout({ quantity: 300 });
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => deliver("checkout.session.completed", session)));
    expect(outcomes.filter((o) => o.handled)).toHaveLength(1);
    expect(outcomes.filter((o) => o.action === "already_fulfilled")).toHaveLength(9);
    expect(await balanceOf(user.uuid)).toBe(300);
    expect(await orderPayRows(result.orderNo)).toBe(1);
  });

  it("a session completed unpaid waits; async_payment_succeeded then grants once", async () => {
    const user = await newBuyer();
    const result = await checkout(user, { quantity: 100 });
    const unpaid: FakeSession = { ...stripe.sessions.get(result.sessionId)!, status: "complete", payment_status: "unpaid" };
    expect(await deliver("checkout.session.completed", unpaid)).toMatchObject({ handled: false, action: "awaiting_payment" });
    expect(await balanceOf(user.uuid)).toBe(0);
    const session = await stripe.pay(result.sessionId);
    expect((await deliver("checkout.session.async_payment_succeeded", session)).action).toBe("fulfilled");
    expect(await balanceOf(user.uuid)).toBe(100);
  });

  it("a paid event that does not match the order (amount, currency, session) grants nothing and parks the order", async () => {
    const { user, result, session } = await paidCheckout();
    for (const wrong of [
      { ...session, amount_total: 1 },
      { ...session, currency: "eur" },
      { ...session, id: "cs_test_someone_elses" },
    ]) {
      expect(await deliver("checkout.session.completed", wrong)).toMatchObject({ handled: false, action: "needs_review" });
    }
    expect(await balanceOf(user.uuid)).toBe(0);
    expect((await getOrder(result.orderNo))?.status).toBe("needs_review");
  });

  it("sessions we did not create and events we do not handle are acknowledged and ignored", async () => {
    const foreign = { id: "cs_test_foreign", object: "checkout.session", metadata: {}, client_reference_id: null, payment_status: "paid" };
    expect(await deliver("checkout.session.completed", foreign)).toEqual({ handled: false, action: "not_our_session" });
    expect(await deliver("payment_method.attached", { id: "pm_1" })).toEqual({ handled: false, action: "ignored" });
    expect(await deliver("customer.subscription.updated", { id: "sub_1" })).toEqual({ handled: false, action: "unknown_subscription" });
    expect(await deliver("checkout.session.completed", { ...foreign, client_reference_id: "ord_missing" })).toMatchObject({
      action: "unknown_order",
    });
  });

  it("async_payment_failed and expired close an open order; they never reopen or undo a paid one", async () => {
    const user = await newBuyer();
    const a = await checkout(user, { quantity: 100 });
    const b = await checkout(user, { quantity: 100 });
    expect(await deliver("checkout.session.async_payment_failed", stripe.sessions.get(a.sessionId))).toMatchObject({
      handled: true,
      action: "failed",
    });
    expect(await deliver("checkout.session.expired", stripe.sessions.get(b.sessionId))).toMatchObject({ handled: true, action: "expired" });
    expect((await getOrder(a.orderNo))?.status).toBe("failed");
    expect((await getOrder(b.orderNo))?.status).toBe("expired");

    const { result, session } = await paidCheckout();
    await deliver("checkout.session.completed", session);
    expect(await deliver("checkout.session.expired", session)).toMatchObject({ handled: false, action: "unchanged" });
    expect(await deliver("checkout.session.async_payment_failed", session)).toMatchObject({ handled: false, action: "unchanged" });
    expect((await getOrder(result.orderNo))?.status).toBe("paid");
  });

  it("money confirmed after we marked the order failed (e.g. our create call timed out) is still credited, once", async () => {
    const { user, result, session } = await paidCheckout();
    await db().update(orders).set({ status: "failed" }).where(eq(orders.orderNo, result.orderNo));
    expect((await deliver("checkout.session.completed", session)).action).toBe("fulfilled");
    expect((await deliver("checkout.session.completed", session)).action).toBe("already_fulfilled");
    expect(await balanceOf(user.uuid)).toBe(100);
  });
});

describe("refunds", () => {
  it("a full refund takes back only the unspent credits of the order, once", async () => {
    const { user, result, session } = await paidCheckout({ quantity: 100 });
    await grantCredits({ userUuid: user.uuid, credits: 50, transType: "system_add" }); // other credits, untouched
    await deliver("checkout.session.completed", session);
    // Spend 130: burns the order's grant first (it expires; the other one does not).
    await decreaseCredits({ userUuid: user.uuid, credits: 30, transType: "task_text_to_video" });
    expect(await balanceOf(user.uuid)).toBe(120);

    const charge = refundedCharge(session.payment_intent!, 1000);
    expect(await deliver("charge.refunded", charge)).toEqual({ handled: true, action: "refunded", orderNo: result.orderNo });
    expect(await balanceOf(user.uuid)).toBe(50); // the 30 spent stay spent; 70 unspent taken back
    const order = await getOrder(result.orderNo);
    expect(order?.status).toBe("refunded");
    expect(order?.refundedAt).toBeInstanceOf(Date);
    const [revoke] = await db().select().from(credits).where(and(eq(credits.orderNo, result.orderNo), eq(credits.transType, "order_refund")));
    expect(revoke.credits).toBe(-70);

    // Replays of the refund and of the payment change nothing.
    for (let i = 0; i < 5; i++) {
      expect(await deliver("charge.refunded", charge)).toMatchObject({ handled: false, action: "unchanged" });
      expect((await deliver("checkout.session.completed", session)).action).toBe("already_fulfilled");
    }
    expect(await balanceOf(user.uuid)).toBe(50);
  });

  it("an order whose credits are all spent is marked refunded and takes nothing back", async () => {
    const { user, result, session } = await paidCheckout({ quantity: 100 });
    await deliver("checkout.session.completed", session);
    await decreaseCredits({ userUuid: user.uuid, credits: 100, transType: "task_text_to_video" });
    await deliver("charge.refunded", refundedCharge(session.payment_intent!, 1000));
    expect((await getOrder(result.orderNo))?.status).toBe("refunded");
    expect(await balanceOf(user.uuid)).toBe(0);
  });

  it("a partial refund keeps the order paid and takes back credits in proportion (more in payments-refunds.test.ts)", async () => {
    const { user, result, session } = await paidCheckout({ quantity: 100 });
    await deliver("checkout.session.completed", session);
    expect(await deliver("charge.refunded", refundedCharge(session.payment_intent!, 1000, { amountRefunded: 300 }))).toMatchObject({
      handled: true,
      action: "partially_refunded",
    });
    expect((await getOrder(result.orderNo))?.status).toBe("paid");
    expect(await balanceOf(user.uuid)).toBe(70);
  });

  it("out of order: a refund seen before the payment event closes the order, and the late payment grants nothing", async () => {
    const { user, result, session } = await paidCheckout({ quantity: 100 });
    const charge = refundedCharge(session.payment_intent!, 1000, { metadata: { order_no: result.orderNo } });
    expect((await deliver("charge.refunded", charge)).action).toBe("refunded");
    expect((await deliver("checkout.session.completed", session)).action).toBe("already_fulfilled");
    expect(await balanceOf(user.uuid)).toBe(0);
    expect((await getOrder(result.orderNo))?.status).toBe("refunded");
  });

  it("out of order: a partial refund seen before the payment event is refused (503, nothing written), then takes its share after the grant", async () => {
    const { user, result, session } = await paidCheckout({ quantity: 100 });
    const charge = refundedCharge(session.payment_intent!, 1000, { amountRefunded: 300, metadata: { order_no: result.orderNo } });
    await expect(deliver("charge.refunded", charge)).rejects.toMatchObject({ status: 503, retryAfterSeconds: UNGRANTED_RETRY_SECONDS });
    expect(await getOrder(result.orderNo)).toMatchObject({ status: "created", amountRefunded: 0 });
    expect((await deliver("checkout.session.completed", session)).action).toBe("fulfilled");
    expect(await deliver("charge.refunded", charge)).toMatchObject({ handled: true, action: "partially_refunded" });
    expect(await balanceOf(user.uuid)).toBe(70);
    expect(await getOrder(result.orderNo)).toMatchObject({ status: "paid", amountRefunded: 300 });
  });

  it.each(["failed", "expired"] as const)("out of order, on an order we had closed %s (a payment still settles it): the same as before the payment event", async (closed) => {
    const full = await paidCheckout({ quantity: 100 });
    await db().update(orders).set({ status: closed }).where(eq(orders.orderNo, full.result.orderNo));
    expect((await deliver("charge.refunded", refundedCharge(full.session.payment_intent!, 1000, { metadata: { order_no: full.result.orderNo } }))).action).toBe("refunded");
    expect((await deliver("checkout.session.completed", full.session)).action).toBe("already_fulfilled");
    expect(await balanceOf(full.user.uuid)).toBe(0);

    const partial = await paidCheckout({ quantity: 100 });
    await db().update(orders).set({ status: closed }).where(eq(orders.orderNo, partial.result.orderNo));
    const charge = refundedCharge(partial.session.payment_intent!, 1000, { amountRefunded: 300, metadata: { order_no: partial.result.orderNo } });
    await expect(deliver("charge.refunded", charge)).rejects.toMatchObject({ status: 503 });
    expect(await getOrder(partial.result.orderNo)).toMatchObject({ status: closed, amountRefunded: 0 });
    expect((await deliver("checkout.session.completed", partial.session)).action).toBe("fulfilled");
    expect(await deliver("charge.refunded", charge)).toMatchObject({ handled: true, action: "partially_refunded" });
    expect(await balanceOf(partial.user.uuid)).toBe(70);
  });

  it("a refund for a charge we know nothing about is ignored", async () => {
    expect(await deliver("charge.refunded", refundedCharge("pi_unknown", 1000))).toMatchObject({ handled: false, action: "unchanged" });
  });
});

describe("success page confirmation", () => {
  it("confirms a paid session with Stripe and fulfils it with the same function, once", async () => {
    const { user, result } = await paidCheckout({ quantity: 100 });
    const first = await confirmCheckoutSession({ sessionId: result.sessionId, userUuid: user.uuid });
    expect(first).toMatchObject({ fulfilledNow: true, paymentStatus: "paid", balance: 100, order: { orderNo: result.orderNo, status: "paid", credits: 100 } });
    const again = await confirmCheckoutSession({ sessionId: result.sessionId, userUuid: user.uuid });
    expect(again).toMatchObject({ fulfilledNow: false, balance: 100 });
    // The webhook arriving afterwards finds it done.
    expect((await deliver("checkout.session.completed", stripe.sessions.get(result.sessionId))).action).toBe("already_fulfilled");
    expect(await balanceOf(user.uuid)).toBe(100);
    // A paid session is asked about once: the second view is served from the per-session cache (issue 11).
    expect(stripe.requests.filter((r) => r.method === "GET" && r.path === `/v1/checkout/sessions/${result.sessionId}`)).toHaveLength(1);
  });

  it("an unpaid session grants nothing and reports it", async () => {
    const user = await newBuyer();
    const result = await checkout(user, { quantity: 100 });
    const confirmed = await confirmCheckoutSession({ sessionId: result.sessionId, userUuid: user.uuid });
    expect(confirmed).toMatchObject({ fulfilledNow: false, paymentStatus: "unpaid", balance: 0, order: { status: "created" } });
  });

  it("someone else's session is 403; unknown is 404; a malformed id is 400", async () => {
    const { result } = await paidCheckout();
    const stranger = await newBuyer();
    await expect(confirmCheckoutSession({ sessionId: result.sessionId, userUuid: stranger.uuid })).rejects.toBeInstanceOf(ForbiddenError);
    expect((await getOrder(result.orderNo))?.status).toBe("created");
    await expect(confirmCheckoutSession({ sessionId: "cs_test_nope", userUuid: stranger.uuid })).rejects.toBeInstanceOf(NotFoundError);
    for (const bad of [undefined, "", "pi_123", "cs_x/../../v1/charges", "cs_" + "a".repeat(300)]) {
      await expect(confirmCheckoutSession({ sessionId: bad, userUuid: stranger.uuid })).rejects.toBeInstanceOf(BadRequestError);
    }
  });
});

describe("orders", () => {
  it("lists the user's own orders, newest first, paginated", async () => {
    const user = await newBuyer();
    const a = await checkout(user, { quantity: 100 });
    const b = await checkout(user, { bundle: "studio" });
    await stripe.pay(b.sessionId);
    await fulfilOrder({
      orderNo: b.orderNo,
      sessionId: b.sessionId,
      paymentStatus: "paid",
      amountTotal: b.amount,
      amountSubtotal: b.amount,
      currency: "usd",
      paymentIntentId: "pi_x",
    });
    await checkout(await newBuyer(), { quantity: 100 }); // someone else's

    const page1 = await listOrders(user.uuid, { page: 1, pageSize: 1 });
    expect(page1.items.map((o) => o.orderNo)).toEqual([b.orderNo]);
    expect(page1.items[0]).toMatchObject({ credits: 2000, amount: 20000, currency: "usd", status: "paid", bundle: "studio" });
    expect(page1.hasMore).toBe(true);
    const page2 = await listOrders(user.uuid, { page: 2, pageSize: 1 });
    expect(page2.items.map((o) => o.orderNo)).toEqual([a.orderNo]);
    expect(page2.hasMore).toBe(false);
    await expect(listOrders(user.uuid, { page: 0 })).rejects.toBeInstanceOf(BadRequestError);
  });
});

// Real concurrency needs a real server: each delivery below runs on its own connection.
describe.runIf(process.env.TEST_DB_KIND === "postgres")("exactly once under real concurrency (PostgreSQL)", () => {
  async function deliverOn(pool: ReturnType<typeof openPostgres>, type: string, object: unknown, eventId?: string) {
    const { payload, header } = signedEvent(stripeEvent(type, object, eventId), stripe.webhookSecret);
    return handleStripeEvent(verifyStripeWebhook(payload, header), pool.db);
  }

  it("20 replays, then 10 concurrent deliveries and 5 concurrent success-page confirmations: one grant", async () => {
    const pool = openPostgres(testDb().url!, { max: 20 });
    try {
      const { user, result, session } = await paidCheckout({ quantity: 500 });
      const eventId = "evt_pg_replay";
      const replays = [];
      for (let i = 0; i < 20; i++) replays.push(await deliverOn(pool, "checkout.session.completed", session, eventId));
      expect(replays.filter((r) => r.handled)).toHaveLength(1);

      // A second order, hit by everything at once.
      const second = await checkout(user, { quantity: 200 });
      const paid = await stripe.pay(second.sessionId);
      const outcomes = await Promise.all([
        ...Array.from({ length: 10 }, () => deliverOn(pool, "checkout.session.completed", paid, "evt_pg_concurrent")),
        ...Array.from({ length: 5 }, () => confirmCheckoutSession({ sessionId: second.sessionId, userUuid: user.uuid }, pool.db)),
      ]);
      const winners = outcomes.filter((o) => ("handled" in o ? o.handled : o.fulfilledNow));
      expect(winners).toHaveLength(1);

      expect(await balanceOf(user.uuid)).toBe(700);
      expect(await orderPayRows(result.orderNo)).toBe(1);
      expect(await orderPayRows(second.orderNo)).toBe(1);
      expect((await verifyLedger()).offences).toEqual([]);
    } finally {
      await pool.close();
    }
  });

  it("10 concurrent refund deliveries revoke once, racing a spend", async () => {
    const pool = openPostgres(testDb().url!, { max: 20 });
    try {
      const { user, result, session } = await paidCheckout({ quantity: 100 });
      await deliverOn(pool, "checkout.session.completed", session);
      const charge = refundedCharge(session.payment_intent!, 1000);
      const [spend, ...refunds] = await Promise.allSettled([
        decreaseCredits({ userUuid: user.uuid, credits: 40, transType: "task_text_to_video" }, pool.db),
        ...Array.from({ length: 10 }, () => deliverOn(pool, "charge.refunded", charge)),
      ]);
      const handled = refunds.filter((r) => r.status === "fulfilled" && r.value.handled);
      expect(handled).toHaveLength(1);
      expect(refunds.every((r) => r.status === "fulfilled")).toBe(true);
      // Either the spend ran first (60 revoked) or the refund did (100 revoked, spend refused): never both 100 and a spend.
      const revoked = await db().select().from(credits).where(and(eq(credits.orderNo, result.orderNo), eq(credits.transType, "order_refund")));
      expect(revoked).toHaveLength(1);
      expect(revoked[0].credits).toBe(spend.status === "fulfilled" ? -60 : -100);
      expect(await balanceOf(user.uuid)).toBe(0);
      expect((await verifyLedger()).offences).toEqual([]);
    } finally {
      await pool.close();
    }
  });
});
