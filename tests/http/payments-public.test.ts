// Payment routes and pages as a signed-out visitor and as Stripe see them, over HTTP
// against `next start` wired to the local fake Stripe API.
import { describe, expect, inject, it } from "vitest";
import { siteConfig } from "@/config/site";
import { fakeStripeControl, signedEvent, stripeEvent } from "../support/fake-stripe";

const base = inject("baseUrl");
const stripe = fakeStripeControl(inject("stripeApiBase"));
const webhookSecret = inject("stripeWebhookSecret");

async function envelope(res: Response) {
  expect(res.headers.get("content-type")).toContain("application/json");
  return (await res.json()) as { code: number; message: string; data: Record<string, unknown> | null };
}

const postCheckout = (body: string) =>
  fetch(`${base}/api/stripe/checkout/credits`, { method: "POST", body, headers: { "content-type": "application/json" } });

const postWebhook = (payload: string, signature?: string) =>
  fetch(`${base}/api/stripe/webhook`, {
    method: "POST",
    body: payload,
    headers: { "content-type": "application/json", ...(signature ? { "stripe-signature": signature } : {}) },
  });

describe("checkout signed out", () => {
  it("401 envelope and no Stripe call; bad bodies are 400 first", async () => {
    const before = (await stripe.requests()).length;
    // An amount no other test buys: other test files use the same fake Stripe at the same time,
    // so this looks for a session of these 173 credits rather than counting every request.
    const res = await postCheckout(JSON.stringify({ quantity: 173 }));
    expect(res.status).toBe(401);
    expect(await envelope(res)).toMatchObject({ code: 401 });
    for (const body of ["{nope", JSON.stringify({ quantity: -1 }), JSON.stringify({ bundle: "nope" }), ""]) {
      const bad = await postCheckout(body);
      expect(bad.status, body).toBe(400);
      expect((await envelope(bad)).code).toBe(400);
    }
    const sessions = (await stripe.requests()).slice(before).filter((r) => r.path === "/v1/checkout/sessions");
    expect(sessions.filter((r) => (r.params.metadata as { credits?: string } | undefined)?.credits === "173")).toEqual([]);
  });

  it("GET /api/orders is 401", async () => {
    const res = await fetch(`${base}/api/orders`);
    expect(res.status).toBe(401);
    expect((await envelope(res)).code).toBe(401);
  });
});

describe("POST /api/stripe/webhook", () => {
  const event = stripeEvent("checkout.session.completed", {
    id: "cs_test_http_unknown",
    object: "checkout.session",
    metadata: { order_no: "ord_does_not_exist" },
    client_reference_id: "ord_does_not_exist",
    amount_total: 1000,
    currency: "usd",
    payment_status: "paid",
    payment_intent: "pi_http_unknown",
  });

  it("a correctly signed event is acknowledged with 200; an unknown order changes nothing", async () => {
    const { payload, header } = signedEvent(event, webhookSecret);
    const res = await postWebhook(payload, header);
    expect(res.status).toBe(200);
    expect(await envelope(res)).toMatchObject({ code: 0, data: { received: true, handled: false, action: "unknown_order" } });
  });

  it("events we do not handle: 200, ignored", async () => {
    const { payload, header } = signedEvent(stripeEvent("payment_method.attached", { id: "pm_1" }), webhookSecret);
    const res = await postWebhook(payload, header);
    expect(res.status).toBe(200);
    expect((await envelope(res)).data).toMatchObject({ handled: false, action: "ignored", type: "payment_method.attached" });
    // An invoice that is not a subscription's (one-off invoicing): acknowledged, no grant.
    const invoice = signedEvent(stripeEvent("invoice.paid", { id: "in_1", object: "invoice", parent: null }), webhookSecret);
    const res2 = await postWebhook(invoice.payload, invoice.header);
    expect(res2.status).toBe(200);
    expect((await envelope(res2)).data).toMatchObject({ handled: false, action: "not_a_subscription_invoice" });
  });

  it("forged, stale, tampered and unsigned deliveries: 400 envelope", async () => {
    const good = signedEvent(event, webhookSecret);
    const forged = signedEvent(event, "whsec_not_the_real_one");
    const stale = signedEvent(event, webhookSecret, Math.floor(Date.now() / 1000) - 301 - 5);
    const cases: Array<[string, string | undefined]> = [
      [forged.payload, forged.header],
      [stale.payload, stale.header],
      [good.payload.replace('"amount_total":1000', '"amount_total":1'), good.header],
      [good.payload, undefined],
      ["not json", good.header],
    ];
    for (const [payload, header] of cases) {
      const res = await postWebhook(payload, header);
      expect(res.status).toBe(400);
      expect(await envelope(res)).toMatchObject({ code: 400 });
    }
  });
});

describe("pages", () => {
  it("cancel says nothing was charged, in en and zh, titled \"Page — Brand\"", async () => {
    for (const [locale, text, title] of [
      ["en", "Nothing was charged.", "Checkout cancelled"],
      ["zh", "未产生任何费用", "已取消结账"],
    ]) {
      const res = await fetch(`${base}/${locale}/cancel`);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain(text);
      expect(html).toContain(`<title>${title} — ${siteConfig.name}</title>`);
    }
  });

  it("success and orders ask a signed-out visitor to sign in", async () => {
    for (const [path, back] of [
      ["/en/success?session_id=cs_test_x", "/en/success?session_id=cs_test_x"],
      ["/en/orders", "/en/orders"],
    ]) {
      const res = await fetch(`${base}${path}`);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain("Sign in to see your purchase.");
      // Signing in comes back here (the success page keeps its session id).
      expect(html).toContain(`href="/en/auth/signin?callbackUrl=${encodeURIComponent(back).replace(/&/g, "&amp;")}"`);
    }
  });

  it("the landing page has a Buy button for every bundle; signed out it leads to sign-up, which explains and comes back to buy", async () => {
    const html = await (await fetch(`${base}/en`)).text();
    for (const id of ["starter", "creator", "studio"]) {
      const back = encodeURIComponent(`/en/credits?buy=${id}`);
      expect(new RegExp(`<a[^>]*data-testid="buy-${id}"[^>]*>`).exec(html)?.[0]).toContain(`href="/en/auth/signup?callbackUrl=${back}"`);
    }
    for (const [page, text] of [
      ["/en/auth/signup", "Create an account to buy credits."],
      ["/zh/auth/signup", "创建账户即可购买积分"],
      ["/en/auth/signin", "Sign in to buy credits."],
    ]) {
      const withBuy = await (await fetch(`${base}${page}?callbackUrl=${encodeURIComponent(`/${page.slice(1, 3)}/credits?buy=creator`)}`)).text();
      expect(withBuy, page).toContain('data-testid="purchase-note"');
      expect(withBuy, page).toContain(text);
      // The note only for a purchase; and never a way off this site.
      expect(await (await fetch(`${base}${page}`)).text(), page).not.toContain('data-testid="purchase-note"');
      const offsite = await (await fetch(`${base}${page}?callbackUrl=${encodeURIComponent("https://evil.example/en/credits?buy=creator")}`)).text();
      expect(offsite, page).not.toContain('data-testid="purchase-note"');
    }
  });

  it("the success page without a session id says the checkout was not found, without a thank-you", async () => {
    const html = await (await fetch(`${base}/en/success`)).text();
    expect(html).toContain('data-state="notFound"');
    expect(/<h1[^>]*>([^<]*)<\/h1>/.exec(html)?.[1]).toBe("Checkout not found");
  });
});
