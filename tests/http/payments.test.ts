// Buying credits over HTTP as a signed-in user: `next start` talking to the local fake
// Stripe API, webhooks signed with the Stripe SDK, balances read from the success page.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { siteConfig } from "@/config/site";
import { WELCOME_CREDITS } from "@/data/credits";
import { startAppServer } from "../support/app-server";
import { fakeStripeControl, refundedCharge, signedEvent, stripeEvent, type FakeSession } from "../support/fake-stripe";
import { TestClient, signedInClient } from "../support/http-client";
import { HTTP_TEST_ENV } from "../support/http-setup";
import { dispute } from "../support/fake-stripe";
import { submitForm } from "../support/action-form";

const base = inject("baseUrl");
const stripe = fakeStripeControl(inject("stripeApiBase"));
const webhookSecret = inject("stripeWebhookSecret");

interface CheckoutJson {
  url: string;
  orderNo: string;
  credits: number;
  amount: number;
  currency: string;
}
interface OrderJson {
  orderNo: string;
  credits: number;
  amount: number;
  status: string;
}

const buy = (client: TestClient, body: unknown) => client.postJson<CheckoutJson>("/api/stripe/checkout/credits", body);

const sessionIdOf = (url: string) => url.split("/").pop()!;

async function ordersOf(client: TestClient): Promise<OrderJson[]> {
  const res = await client.json<{ items: OrderJson[] }>("/api/orders?page=1&pageSize=100");
  expect(res.status).toBe(200);
  return res.body.data.items;
}

async function stripeRequestsFor(email: string) {
  return (await stripe.requests()).filter((r) => r.params.customer_email === email);
}

/** The success page's confirmation, as data attributes. */
async function successPage(client: TestClient, sessionId: string, locale = "en") {
  const res = await client.fetch(`/${locale}/success?session_id=${sessionId}`);
  expect(res.status).toBe(200);
  const html = await res.text();
  const m = /data-testid="success-order" data-status="(\w+)" data-credits="(\d+)" data-balance="(\d+)"/.exec(html);
  const problem = /data-testid="success-problem" data-problem="(\w+)"/.exec(html)?.[1] ?? null;
  return { html, status: m?.[1] ?? null, credits: Number(m?.[2]), balance: Number(m?.[3]), problem };
}

const webhook = (event: unknown, secret = webhookSecret) => {
  const { payload, header } = signedEvent(event, secret);
  return fetch(`${base}/api/stripe/webhook`, {
    method: "POST",
    body: payload,
    headers: { "content-type": "application/json", "stripe-signature": header },
  });
};

describe("POST /api/stripe/checkout/credits", () => {
  it("creates the order and a Checkout Session; Stripe receives the order, the amount and our urls", async () => {
    const { client, email, userUuid } = await signedInClient(base);
    const res = await buy(client, { bundle: "creator", locale: "zh" });
    expect(res.status).toBe(200);
    expect(res.body.code).toBe(0);
    const { url, orderNo } = res.body.data;
    expect(res.body.data).toMatchObject({ credits: 500, amount: 5000, currency: "usd" });
    expect(url.startsWith(inject("stripeApiBase"))).toBe(true);

    const [order] = await ordersOf(client);
    expect(order).toMatchObject({ orderNo, credits: 500, amount: 5000, status: "created" });

    const sent = await stripeRequestsFor(email);
    expect(sent).toHaveLength(1);
    expect(sent[0].idempotencyKey).toBe(`checkout:${orderNo}`);
    expect(sent[0].params).toMatchObject({
      mode: "payment",
      client_reference_id: orderNo,
      metadata: { order_no: orderNo, user_uuid: userUuid, credits: "500" },
      success_url: `${base}/zh/success?session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${base}/zh/cancel`,
      line_items: [{ quantity: "1", price_data: { currency: "usd", unit_amount: "5000", product_data: { name: `${siteConfig.name} — 500 积分` } } }],
    });
  });

  it("answers the url at the top level of the envelope too: the documented client snippet works as written", async () => {
    const { client } = await signedInClient(base);
    const response = await client.fetch("/api/stripe/checkout/credits", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ quantity: 100 }),
    });
    const body = await response.json();
    const { url } = body;
    expect(url).toBe(body.data.url);
    expect(url.startsWith(inject("stripeApiBase"))).toBe(true);
    expect(body).toMatchObject({ code: 0, message: "ok" });
  });

  const bad: Array<[string, unknown]> = [
    ["malformed JSON", "{quantity: 100"],
    ["a fractional quantity", { quantity: 99.5 }],
    ["zero", { quantity: 0 }],
    ["a negative quantity", { quantity: -500 }],
    ["a huge quantity", { quantity: 1e12 }],
    ["a quantity as a string", { quantity: "100" }],
    ["an unknown bundle", { bundle: "gold" }],
    ["both", { quantity: 100, bundle: "starter" }],
    ["an empty body", ""],
  ];
  it("bad input: 400 envelope naming the field, no order, no Stripe call", async () => {
    const { client, email } = await signedInClient(base);
    for (const [name, body] of bad) {
      const res = await buy(client, body);
      expect(res.status, name).toBe(400);
      expect(res.body.code, name).toBe(400);
      expect(res.body.message, name).toMatch(/^(quantity|bundle|body|malformed|request)/);
    }
    expect(await ordersOf(client)).toEqual([]);
    expect(await stripeRequestsFor(email)).toEqual([]);
  });

  it("Stripe refusing the session: 502 envelope, the order is failed", async () => {
    const { client } = await signedInClient(base);
    await stripe.failNextCreate(400, "Invalid currency");
    const res = await buy(client, { quantity: 100 });
    expect(res.status).toBe(502);
    expect(res.body.code).toBe(502);
    const [order] = await ordersOf(client);
    expect(order.status).toBe("failed");
  });
});

describe("paying", () => {
  it("the hosted page's webhook grants once; the success page shows the credits and the new balance", async () => {
    const { client } = await signedInClient(base);
    const { body } = await buy(client, { quantity: 100 });
    const sessionId = sessionIdOf(body.data.url);
    await stripe.pay(sessionId, true); // fake Stripe delivers a signed checkout.session.completed to the app
    const page = await successPage(client, sessionId);
    expect(page).toMatchObject({ status: "paid", credits: 100, balance: WELCOME_CREDITS + 100 });
    expect(page.html).toContain("100 credits were added to your account.");
    expect((await ordersOf(client))[0].status).toBe("paid");
    // Reloading the page grants nothing more.
    expect((await successPage(client, sessionId)).balance).toBe(WELCOME_CREDITS + 100);
  });

  it("the success page alone fulfils (webhook late); the webhook then finds it done", async () => {
    const { client } = await signedInClient(base);
    const { body } = await buy(client, { bundle: "starter" });
    const sessionId = sessionIdOf(body.data.url);
    const session = await stripe.pay(sessionId, false);
    expect(await successPage(client, sessionId, "zh")).toMatchObject({ status: "paid", balance: WELCOME_CREDITS + 100 });
    const res = await webhook(stripeEvent("checkout.session.completed", session));
    expect(res.status).toBe(200);
    expect((await res.json()).data).toMatchObject({ handled: false, action: "already_fulfilled" });
    expect((await successPage(client, sessionId)).balance).toBe(WELCOME_CREDITS + 100);
  });

  it("20 replays and 10 concurrent deliveries of the same event grant once", async () => {
    const { client } = await signedInClient(base);
    const { body } = await buy(client, { quantity: 300 });
    const sessionId = sessionIdOf(body.data.url);
    const session: FakeSession = await stripe.pay(sessionId, false);
    const event = stripeEvent("checkout.session.completed", session);

    const concurrent = await Promise.all(Array.from({ length: 10 }, () => webhook(event).then((r) => r.json())));
    const replays = [];
    for (let i = 0; i < 20; i++) replays.push(await (await webhook(event)).json());
    const all = [...concurrent, ...replays];
    expect(all.every((r) => r.code === 0)).toBe(true);
    expect(all.filter((r) => r.data.handled)).toHaveLength(1);
    expect((await successPage(client, sessionId)).balance).toBe(WELCOME_CREDITS + 300);
  });

  it("a forged delivery changes nothing", async () => {
    const { client } = await signedInClient(base);
    const { body } = await buy(client, { quantity: 100 });
    const sessionId = sessionIdOf(body.data.url);
    const session = await stripe.pay(sessionId, false);
    const res = await webhook(stripeEvent("checkout.session.completed", session), "whsec_forged");
    expect(res.status).toBe(400);
    expect((await ordersOf(client))[0].status).toBe("created");
  });

  it("someone else's session: the success page refuses and grants nothing", async () => {
    const buyer = await signedInClient(base);
    const other = await signedInClient(base);
    const { body } = await buy(buyer.client, { quantity: 100 });
    const sessionId = sessionIdOf(body.data.url);
    await stripe.pay(sessionId, false);
    expect((await successPage(other.client, sessionId)).problem).toBe("forbidden");
    expect((await ordersOf(buyer.client))[0].status).toBe("created");
  });

  it("a refund takes back the unspent credits and marks the order refunded", async () => {
    const { client } = await signedInClient(base);
    const { body } = await buy(client, { quantity: 100 });
    const sessionId = sessionIdOf(body.data.url);
    const session = await stripe.pay(sessionId, true);
    expect((await successPage(client, sessionId)).balance).toBe(WELCOME_CREDITS + 100);
    const paid = await stripe.session(sessionId);
    const res = await webhook(stripeEvent("charge.refunded", refundedCharge(paid.payment_intent ?? session.payment_intent, 1000)));
    expect((await res.json()).data).toMatchObject({ handled: true, action: "refunded" });
    expect(await successPage(client, sessionId)).toMatchObject({ status: "refunded", balance: WELCOME_CREDITS });
    expect((await ordersOf(client))[0].status).toBe("refunded");
  });
});

describe("refunds, disputes, review and reconciliation over HTTP", () => {
  it("a partial refund delivered before the payment event: 503 with Retry-After, then, delivered again after it, 200 and its share", async () => {
    const { client } = await signedInClient(base);
    const { body } = await buy(client, { quantity: 100 });
    const sessionId = sessionIdOf(body.data.url);
    const paid = await stripe.pay(sessionId); // paid at Stripe; checkout.session.completed not delivered yet
    const charge = refundedCharge(paid.payment_intent, 1000, { amountRefunded: 300, metadata: { order_no: body.data.orderNo } });
    const early = await webhook(stripeEvent("charge.refunded", charge));
    expect(early.status).toBe(503);
    expect(early.headers.get("retry-after")).toBe("60");
    expect((await ordersOf(client))[0]).toMatchObject({ status: "created", amountRefunded: 0 });
    expect((await webhook(stripeEvent("checkout.session.completed", paid))).status).toBe(200);
    const again = await webhook(stripeEvent("charge.refunded", charge));
    expect((await again.json()).data).toMatchObject({ handled: true, action: "partially_refunded" });
    expect((await successPage(client, sessionId)).balance).toBe(WELCOME_CREDITS + 70);
  });

  it("a 30 % refund takes back 30 % of the credits; a dispute takes the rest and a won dispute gives it back", async () => {
    const { client } = await signedInClient(base);
    const { body } = await buy(client, { quantity: 100 });
    const sessionId = sessionIdOf(body.data.url);
    await stripe.pay(sessionId, true);
    const pi = (await stripe.session(sessionId)).payment_intent!;
    const partial = await webhook(stripeEvent("charge.refunded", refundedCharge(pi, 1000, { amountRefunded: 300 })));
    expect(partial.status).toBe(200);
    expect((await partial.json()).data).toMatchObject({ handled: true, action: "partially_refunded" });
    expect((await successPage(client, sessionId)).balance).toBe(WELCOME_CREDITS + 70);

    const opened = dispute(pi, 1000);
    expect((await (await webhook(stripeEvent("charge.dispute.created", opened))).json()).data).toMatchObject({ action: "disputed" });
    expect((await ordersOf(client))[0].status).toBe("disputed");
    expect((await successPage(client, sessionId)).balance).toBe(WELCOME_CREDITS);
    await webhook(stripeEvent("charge.dispute.closed", { ...opened, status: "won" }));
    expect((await ordersOf(client))[0].status).toBe("paid");
    expect((await successPage(client, sessionId)).balance).toBe(WELCOME_CREDITS + 70);
  });

  it("a paid session that does not match its order is answered 200 and parked for review", async () => {
    const { client } = await signedInClient(base);
    const { body } = await buy(client, { quantity: 100 });
    const session = await stripe.pay(sessionIdOf(body.data.url), false);
    const res = await webhook(stripeEvent("checkout.session.completed", { ...session, amount_total: 1 }));
    expect(res.status).toBe(200);
    expect((await res.json()).data).toMatchObject({ handled: false, action: "needs_review" });
    expect((await ordersOf(client))[0].status).toBe("needs_review");
  });

  it("POST /api/cron/stripe-reconcile fulfils a paid session the webhook missed, once", async () => {
    const cron = (secret?: string) =>
      fetch(`${base}/api/cron/stripe-reconcile`, { method: "POST", headers: secret ? { authorization: `Bearer ${secret}` } : {} });
    expect((await cron()).status).toBe(401);
    const { client } = await signedInClient(base);
    const { body } = await buy(client, { quantity: 150 });
    await stripe.pay(sessionIdOf(body.data.url), false); // no webhook
    const first = await cron(HTTP_TEST_ENV.CRON_SECRET);
    expect(first.status).toBe(200);
    expect((await first.json()).data.fulfilled).toContain(body.data.orderNo);
    const again = await (await cron(HTTP_TEST_ENV.CRON_SECRET)).json();
    expect(again.data.fulfilled).not.toContain(body.data.orderNo);
    expect((await ordersOf(client))[0].status).toBe("paid");
    expect((await client.json<{ balance: number }>("/api/credits")).body.data.balance).toBe(WELCOME_CREDITS + 150);
  });
});

describe("subscriptions and the billing portal over HTTP", () => {
  const subscribe = (client: TestClient, body: unknown) =>
    client.postJson<{ url: string; plan: string; interval: string }>("/api/stripe/checkout/subscription", body);
  const portal = (client: TestClient) => client.postJson<{ url: string }>("/api/stripe/portal", {});

  it("bad input is 400 naming the field and writes nothing at Stripe; no customer means no portal (400)", async () => {
    const { client, userUuid } = await signedInClient(base);
    for (const [body, field] of [
      [{ plan: "gold", interval: "month" }, "plan"],
      [{ plan: "pro", interval: "week" }, "interval"],
      [{ interval: "month" }, "plan"],
    ] as const) {
      const res = await subscribe(client, body);
      expect(res.status).toBe(400);
      expect(res.body.message.startsWith(field)).toBe(true);
    }
    const res = await portal(client);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^customer/);
    const mine = (await stripe.requests()).filter((r) => JSON.stringify(r.params).includes(userUuid));
    expect(mine).toEqual([]);
  });

  it("subscribe: a subscription-mode Checkout url (top level too); invoice.paid grants; a second subscription is 409; the portal opens", async () => {
    const { client } = await signedInClient(base);
    const res = await subscribe(client, { plan: "basic", interval: "month", locale: "zh" });
    expect(res.status).toBe(200);
    expect((res.body as unknown as { url: string }).url).toBe(res.body.data.url);
    const { subscription, invoice } = await stripe.subscribe(sessionIdOf(res.body.data.url));
    expect((await webhook(stripeEvent("customer.subscription.created", subscription))).status).toBe(200);
    const paid = await (await webhook(stripeEvent("invoice.paid", invoice))).json();
    expect(paid.data).toMatchObject({ handled: true, action: "subscription_credits_granted" });
    expect((await (await webhook(stripeEvent("invoice.paid", invoice))).json()).data.handled).toBe(false);
    expect((await client.json<{ balance: number }>("/api/credits")).body.data.balance).toBe(WELCOME_CREDITS + 300);

    expect((await subscribe(client, { plan: "pro", interval: "year" })).status).toBe(409);
    const p = await portal(client);
    expect(p.status).toBe(200);
    expect(p.body.data.url).toContain("/_fake/portal/");

    for (const [locale, text] of [["en", "Your plan: Basic (monthly)"], ["zh", "您的套餐：基础版（按月）"]]) {
      const html = await (await client.fetch(`/${locale}/credits`)).text();
      expect(html).toContain('data-plan="basic"');
      expect(html).toContain(text);
      expect(html).toContain('data-testid="manage-billing"');
      expect(html).not.toContain('data-testid="subscribe-pro-month"');
    }
  });

  it("the credits page offers the plans to a user without a subscription, in en and zh", async () => {
    const { client } = await signedInClient(base);
    for (const [locale, text] of [["en", "300 credits every month"], ["zh", "每月 300 积分"]]) {
      const html = await (await client.fetch(`/${locale}/credits`)).text();
      for (const id of ["subscribe-basic-month", "subscribe-basic-year", "subscribe-pro-month", "subscribe-pro-year"]) expect(html).toContain(`data-testid="${id}"`);
      expect(html).toContain(text);
      expect(html).not.toContain('data-testid="manage-billing"');
    }
  });
});

describe("checkout forms (Server Actions, posted as a browser without JavaScript)", () => {
  it("a bundle's Buy form redirects to Stripe's hosted page; the order is written like the JSON route's", async () => {
    const { client, email } = await signedInClient(base);
    const res = await submitForm(client, "/en/credits", "buy-creator-form");
    expect(res.status).toBe(303);
    const location = res.headers.get("location")!;
    const [order] = await ordersOf(client);
    expect(order).toMatchObject({ credits: 500, status: "created" });
    const [request] = await stripeRequestsFor(email);
    expect(request.params).toMatchObject({ metadata: { order_no: order.orderNo }, locale: "en" });
    expect(sessionIdOf(location)).toMatch(/^cs_/);
    expect((await stripe.session(sessionIdOf(location))).metadata).toMatchObject({ order_no: order.orderNo });
  });

  it("a custom amount out of range comes back with the field's error and the typed value; nothing ordered", async () => {
    const { client, email } = await signedInClient(base);
    for (const [locale, quantity, text] of [["en", "5", "Choose between 10 and 100000 credits."], ["zh", "abc", "请选择 10 到 100000 积分"]]) {
      const res = await submitForm(client, `/${locale}/credits`, "custom-purchase-form", { quantity });
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain('data-testid="custom-quantity-error"');
      expect(html).toContain(text);
      expect(/<input[^>]*data-testid="custom-quantity"[^>]*>/.exec(html)?.[0]).toContain(`value="${quantity}"`);
    }
    expect(await ordersOf(client)).toEqual([]);
    expect(await stripeRequestsFor(email)).toEqual([]);
  });

  it("a valid custom amount and a plan subscription redirect to Stripe too", async () => {
    const { client } = await signedInClient(base);
    const custom = await submitForm(client, "/en/credits", "custom-purchase-form", { quantity: "250" });
    expect(custom.status).toBe(303);
    expect((await ordersOf(client))[0]).toMatchObject({ credits: 250 });
    const plan = await submitForm(client, "/en/credits", "subscribe-pro-month", { interval: "month" });
    expect(plan.status).toBe(303);
    expect(plan.headers.get("location")).toMatch(/^http/);
  });

  it("signed out, the Buy form goes to sign-up, which explains and comes back to the credits page with the bundle selected", async () => {
    const { client } = await signedInClient(base);
    const visitor = new TestClient(base);
    const res = await submitForm(client, "/en/credits", "buy-studio-form", {}, visitor);
    expect(res.status).toBe(303);
    const target = "/en/credits?buy=studio";
    expect(res.headers.get("location")).toBe(`/en/auth/signup?callbackUrl=${encodeURIComponent(target)}`);
    expect(await ordersOf(client)).toEqual([]);
    const signUp = await (await visitor.fetch(res.headers.get("location")!)).text();
    expect(signUp).toContain('data-testid="purchase-note"');
    expect(signUp).toContain("Create an account to buy credits.");
    // After signing up: back on the credits page, the bundle selected, one click from Stripe.
    const buyer = await signedInClient(base);
    const html = await (await buyer.client.fetch(target)).text();
    expect(html).toContain('data-testid="resume-purchase" data-bundle="studio"');
    expect(html).toContain('data-testid="bundle-card-studio" data-selected="true"');
    const resumed = await submitForm(buyer.client, target, "resume-buy-form");
    expect(resumed.status).toBe(303);
    expect((await ordersOf(buyer.client))[0]).toMatchObject({ credits: 2000 });
    // An unknown bundle selects nothing.
    expect(await (await buyer.client.fetch("/en/credits?buy=https%3A%2F%2Fevil.example")).text()).not.toContain('data-testid="resume-purchase"');
  });
});

describe("the success page's states", () => {
  const stateOf = (html: string) => /data-testid="success-state" data-state="(\w+)"/.exec(html)?.[1];
  // The page's one heading (the HTML also carries the catalog for client components, every state's words included).
  const heading = (html: string) => /<h1[^>]*>([^<]*)<\/h1>/.exec(html)?.[1];

  it("paid, processing (polls), not found and someone else's each have their own heading", async () => {
    const { client } = await signedInClient(base);
    const other = await signedInClient(base);
    const { body } = await buy(client, { bundle: "starter" });
    const sessionId = sessionIdOf(body.data.url);

    const processing = await successPage(client, sessionId);
    expect(stateOf(processing.html)).toBe("processing");
    expect(heading(processing.html)).toBe("Your payment is processing");
    expect(processing.html).toContain('data-testid="success-refresh"');

    const forbidden = await successPage(other.client, sessionId);
    expect(stateOf(forbidden.html)).toBe("forbidden");
    expect(heading(forbidden.html)).toBe("Not your checkout");

    for (const path of ["/en/success", "/en/success?session_id=cs_test_unknown00000000", "/en/success?session_id=nonsense"]) {
      const html = await (await client.fetch(path)).text();
      expect(stateOf(html), path).toBe("notFound");
      expect(heading(html), path).toBe("Checkout not found");
    }

    await stripe.pay(sessionId, true);
    const paid = await successPage(client, sessionId);
    expect(stateOf(paid.html)).toBe("paid");
    expect(heading(paid.html)).toBe("Thank you for your purchase");
    expect(paid.html).not.toContain('data-testid="success-refresh"');
  });
});

describe("pages signed in", () => {
  it("the credits page offers every bundle and a custom amount, and lists recent orders", async () => {
    const { client } = await signedInClient(base);
    const { body } = await buy(client, { bundle: "studio" });
    for (const [locale, text] of [["en", "Buy 2000 credits"], ["zh", "购买 2000 积分"]]) {
      const res = await client.fetch(`/${locale}/credits`);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain('data-stripe-configured="true"');
      for (const id of ["starter", "creator", "studio"]) expect(html).toContain(`data-testid="buy-${id}"`);
      expect(html).toContain(text);
      expect(html).toContain('data-testid="custom-quantity"');
      expect(html).toContain(`data-order-no="${body.data.orderNo}"`);
      expect(html).not.toContain('data-testid="stripe-not-configured"');
    }
  });

  it("below the low-balance threshold the credits and tasks pages show a banner with a Buy button (en + zh)", async () => {
    const { client } = await signedInClient(base);
    expect(await (await client.fetch("/en/credits")).text()).not.toContain('data-testid="low-balance-banner"');
    for (let i = 0; i < 2; i++) {
      const res = await client.postJson("/api/tasks/text-to-video", { prompt: "Astronaut surfing", seconds: 10, aspectRatio: "landscape" });
      expect(res.status).toBe(201);
    }
    for (const [path, text] of [
      ["/en/credits", "You have only 10 credits left."],
      ["/zh/credits", "您只剩 10 积分。"],
      ["/en/tasks", "Buy credits"],
      ["/zh/tasks", "购买积分"],
    ]) {
      const html = await (await client.fetch(path)).text();
      expect(html, path).toContain('data-testid="low-balance-banner" data-balance="10"');
      expect(html, path).toContain('data-testid="low-balance-buy"');
      expect(html, path).toContain(text);
    }
  });

  it("the orders page lists the user's orders", async () => {
    const { client } = await signedInClient(base);
    const { body } = await buy(client, { quantity: 120 });
    const html = await (await client.fetch("/en/orders")).text();
    expect(html).toContain(`data-order-no="${body.data.orderNo}"`);
    expect(html).toContain("Awaiting payment");
  });
});

describe("without STRIPE_SECRET_KEY", () => {
  it("checkout answers 503 with a reason the Buy buttons explain; no order; the webhook is closed", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "http-nostripe-"));
    const app = await startAppServer({ env: { ...HTTP_TEST_ENV, PGLITE_DATA_DIR: path.join(dir, "db") } });
    try {
      const { client } = await signedInClient(app.url);
      const res = await buy(client, { bundle: "starter" });
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ code: 503, data: { reason: "stripe_not_configured" } });
      expect(res.body.message).toContain("STRIPE_SECRET_KEY");
      expect(await ordersOf(client)).toEqual([]);
      const { payload, header } = signedEvent(stripeEvent("invoice.paid", {}), webhookSecret);
      const hook = await fetch(`${app.url}/api/stripe/webhook`, { method: "POST", body: payload, headers: { "stripe-signature": header } });
      expect(hook.status).toBe(503);
      // End users read that purchasing is not available; the setup hint is for development only.
      for (const page of ["/en/credits", "/en"]) {
        const html = await (await client.fetch(page)).text();
        expect(html, page).toContain("Purchasing is not available yet");
        expect(html, page).not.toContain('data-testid="stripe-setup-hint"');
        expect(html.replace(/<script[\s\S]*?<\/script>/g, ""), page).not.toMatch(/STRIPE_SECRET_KEY|\.env\.local/);
        for (const id of ["starter", "creator", "studio"]) expect(html, page).toMatch(new RegExp(`<button[^>]*disabled=""[^>]*data-testid="buy-${id}"`));
      }
      const credits = await (await client.fetch("/en/credits")).text();
      expect(credits.match(/>Purchasing is not available yet</g)).toHaveLength(1);
      expect(credits).toMatch(/<button[^>]*disabled=""[^>]*data-testid="buy-custom"/);
      expect(credits).toMatch(/<button[^>]*disabled=""[^>]*data-testid="subscribe-pro-month"/);
      // The success page with a session id says so too, without a contradicting heading.
      const success = await (await client.fetch("/en/success?session_id=cs_test_x")).text();
      expect(success).toContain('data-state="notConfigured"');
      expect(/<h1[^>]*>([^<]*)<\/h1>/.exec(success)?.[1]).toBe("Purchasing is not available yet");
    } finally {
      await app.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000); // a server of its own (fresh PGlite, migrations) on a loaded machine
});
