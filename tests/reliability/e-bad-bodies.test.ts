// (e) 5,000 generated bad bodies to the task and checkout routes: zero 500s, zero
// charges, zero tasks, zero orders; every refusal is a 4xx JSON envelope.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, balanceOf, creditsVerify, mapLimit, query, signUpUsers, startFreshApp, type FreshApp, type SignedInUser } from "./harness";
import { badCheckoutBody, badTaskBody, rng, type BadBody } from "./bad-bodies";
import { startStripeForApp, type StripeForApp } from "./stripe";

const PER_ROUTE = 2500;
const SEED = Number(process.env.RELIABILITY_SEED ?? 20240607);

describe("(e) 5,000 bad bodies", () => {
  let app: FreshApp;
  let stripe: StripeForApp;
  let user: SignedInUser;

  beforeAll(async () => {
    stripe = await startStripeForApp();
    app = await startFreshApp({ prefix: "rel_e", env: stripe.env });
    [user] = await signUpUsers(app, 1, "rel-e");
  });
  afterAll(async () => {
    await app?.close();
    await stripe?.stop();
  });

  it("refuses every one with a 4xx envelope and writes nothing", async () => {
    const before = await balanceOf(app.url, user.cookie);
    const r = rng(SEED);
    const cases: Array<{ path: string; body: BadBody }> = [];
    for (let i = 0; i < PER_ROUTE; i++) {
      cases.push({ path: "/api/tasks/text-to-video", body: badTaskBody(r) });
      cases.push({ path: "/api/stripe/checkout/credits", body: badCheckoutBody(r) });
    }
    const results = await mapLimit(cases, 16, async (c) => ({
      c,
      res: await api(app.url, "POST", c.path, {
        cookie: user.cookie,
        rawBody: c.body.raw,
        headers: { "content-type": c.body.contentType ?? "application/json" },
      }),
    }));
    const describeCase = ({ c, res }: (typeof results)[number]) =>
      `${res.status} ${c.path} [${c.body.label}] ${JSON.stringify(c.body.raw.slice(0, 120))} -> ${res.text.slice(0, 160)}`;

    expect(results.filter(({ res }) => res.status >= 500).map(describeCase)).toEqual([]);
    expect(results.filter(({ res }) => res.status < 400).map(describeCase)).toEqual([]);
    expect(
      results.filter(({ res }) => !res.contentType.includes("application/json") || res.body?.code !== res.status).map(describeCase),
    ).toEqual([]);
    // Rate limiting would hide validation; it must not be what answered.
    expect(results.filter(({ res }) => res.status === 429).length).toBe(0);

    const [counts] = await query<{ tasks: number; debits: number; orders: number }>(
      app,
      sql`SELECT (SELECT count(*)::int FROM tasks) AS tasks,
                 (SELECT count(*)::int FROM credits WHERE credits < 0) AS debits,
                 (SELECT count(*)::int FROM orders) AS orders`,
    );
    expect(counts).toEqual({ tasks: 0, debits: 0, orders: 0 });
    expect(await balanceOf(app.url, user.cookie)).toBe(before);
    expect(stripe.checkoutSessionsCreated()).toBe(0);
    const verify = await creditsVerify(app.databaseUrl);
    expect(verify.code, verify.output).toBe(0);
  });

  it("odd but acceptable prompts (NUL, lone surrogates, RTL, emoji) never cause a 500 and are charged consistently", async () => {
    const prompts = ["a\u0000b", "\u0000", "\ud800 lone", "x\udfff", "\u202eevil", "🎬".repeat(500), "e\u0301", "\u200b", "'; DROP TABLE tasks; --"];
    const results = await Promise.all(
      prompts.map((prompt) => api(app.url, "POST", "/api/tasks/text-to-video", { cookie: user.cookie, body: { prompt, seconds: 1, aspectRatio: "square" } })),
    );
    expect(results.filter((res) => res.status >= 500).map((res, i) => `${JSON.stringify(prompts[i])}: ${res.status} ${res.text.slice(0, 200)}`)).toEqual([]);
    for (const res of results) expect([201, 400]).toContain(res.status);
    const accepted = results.filter((res) => res.status === 201).length;
    const [counts] = await query<{ tasks: number; debits: number }>(
      app,
      sql`SELECT (SELECT count(*)::int FROM tasks) AS tasks,
                 (SELECT count(*)::int FROM credits WHERE trans_type = 'task_text_to_video') AS debits`,
    );
    expect(counts).toEqual({ tasks: accepted, debits: accepted });
    const verify = await creditsVerify(app.databaseUrl);
    expect(verify.code, verify.output).toBe(0);
  });
});
