// Issue 11, item 8 (headers and the success page) — smaller hardening, each written as
// what an attacker or a shared cache could do before:
//  - authenticated API answers could be stored by a cache: now `Cache-Control: no-store`;
//  - no HSTS over https: now set when APP_URL is https;
//  - the pages' CSP allowed any inline script ('unsafe-inline'): now a per-request nonce;
//  - every success-page view called Stripe: now cached per session and rate-limited per user.
import { afterAll, describe, expect, inject, it } from "vitest";
import { startAppServer, type AppServer } from "../support/app-server";
import { fakeStripeControl } from "../support/fake-stripe";
import { signedInClient } from "../support/http-client";
import { HTTP_TEST_ENV } from "../support/http-setup";
import { freshAppDatabase } from "../support/test-database";

const base = inject("baseUrl");
const stripe = fakeStripeControl(inject("stripeApiBase"));

describe("Cache-Control on API answers", () => {
  it("authenticated API responses are no-store", async () => {
    const { client } = await signedInClient(base);
    for (const path of ["/api/credits", "/api/credits/history", "/api/tasks", "/api/orders", "/api/auth/session"]) {
      const res = await client.fetch(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("cache-control"), path).toContain("no-store");
    }
    const created = await client.postJson("/api/tasks/text-to-video", { prompt: "Astronaut surfing", seconds: 2, aspectRatio: "landscape" });
    expect(created.headers.get("cache-control")).toContain("no-store");
  });
});

describe("Content-Security-Policy on pages", () => {
  it("scripts need the request's nonce: no 'unsafe-inline', a fresh nonce per request, on every script tag", async () => {
    const nonces = new Set<string>();
    for (const path of ["/en", "/zh", "/en/auth/signin", "/en/tasks/text-to-video", "/en/credits"]) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(200);
      const csp = res.headers.get("content-security-policy") ?? "";
      const scriptSrc = csp.split(";").find((d) => d.trim().startsWith("script-src")) ?? "";
      expect(scriptSrc, path).not.toContain("'unsafe-inline'");
      const nonce = /'nonce-([^']+)'/.exec(scriptSrc)?.[1];
      expect(nonce, path).toBeTruthy();
      nonces.add(nonce!);
      const html = await res.text();
      const scripts = html.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length, path).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag, path).toContain(`nonce="${nonce}"`);
    }
    expect(nonces.size).toBe(5);
  });

  it("no HSTS when APP_URL is http", async () => {
    expect((await fetch(`${base}/en`)).headers.get("strict-transport-security")).toBeNull();
  });
});

describe("HSTS when APP_URL is https", () => {
  let app: AppServer | undefined;
  let drop: (() => Promise<void>) | undefined;
  afterAll(async () => {
    await app?.stop();
    await drop?.();
  });

  it("pages and API answers carry Strict-Transport-Security", async () => {
    const db = await freshAppDatabase("hsts");
    drop = db.cleanup;
    app = await startAppServer({ env: { ...HTTP_TEST_ENV, ...db.env, APP_URL: "https://credits.example", TASK_SWEEP_INTERVAL_MS: "0" } });
    for (const path of ["/en", "/api/health", "/api/credits"]) {
      const res = await fetch(`${app.url}${path}`);
      expect(res.headers.get("strict-transport-security"), path).toMatch(/max-age=\d{7,}/);
    }
  }, 120_000);
});

describe("the success page's Stripe lookup", () => {
  const lookups = async (id: string) => (await stripe.requests()).filter((r) => r.method === "GET" && r.path.includes(id)).length;

  it("a paid session is looked up once, then served from the cache", async () => {
    const { client } = await signedInClient(base);
    const buy = await client.postJson<{ url: string }>("/api/stripe/checkout/credits", { bundle: "starter" });
    expect(buy.status).toBe(200);
    const sessionId = /cs_[A-Za-z0-9_]+/.exec(buy.body.data.url)![0];
    await stripe.pay(sessionId, false);
    for (let i = 0; i < 5; i++) {
      const html = await (await client.fetch(`/en/success?session_id=${sessionId}`)).text();
      expect(html).toContain('data-status="paid"');
    }
    expect(await lookups(sessionId)).toBe(1);
  });

  it("made-up session ids: at most 20 Stripe lookups per user per minute", async () => {
    const { client } = await signedInClient(base);
    const tag = `cs_test_fz${Date.now().toString(36)}`;
    const problems: string[] = [];
    for (let i = 0; i < 30; i++) {
      const html = await (await client.fetch(`/en/success?session_id=${tag}_${i}`)).text();
      problems.push(/data-problem="(\w+)"/.exec(html)?.[1] ?? "none");
    }
    const sent = (await stripe.requests()).filter((r) => r.method === "GET" && r.path.includes(tag)).length;
    expect(sent).toBe(20);
    expect(problems.slice(0, 20).every((p) => p === "notFound")).toBe(true);
    expect(problems.slice(20).every((p) => p !== "notFound")).toBe(true);
  });
});
