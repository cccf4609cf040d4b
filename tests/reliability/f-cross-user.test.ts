// (f) Every task and order route tried with another user's identifiers: zero
// leaks (403/404, never the other user's data).
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, balanceOf, query, signUpUsers, startFreshApp, waitFor, type FreshApp, type SignedInUser } from "./harness";
import { startStripeForApp, type StripeForApp } from "./stripe";

const SECRET_PROMPT = "owner-only secret prompt 7f3a";

describe("(f) another user's identifiers", () => {
  let app: FreshApp;
  let stripe: StripeForApp;
  let ownerOrder: string;
  let ownerSession: string;
  let owner: SignedInUser;
  let intruder: SignedInUser;
  let ownerTask: string;
  let ownerKey: string;

  beforeAll(async () => {
    stripe = await startStripeForApp();
    app = await startFreshApp({ prefix: "rel_f", env: { ...stripe.env, TEXT2VIDEO_MOCK_DELAY_MS: "1000" } });
    [owner, intruder] = await signUpUsers(app, 2, "rel-f");
    ownerKey = `owner-key-${Date.now()}`;
    const created = await api(app.url, "POST", "/api/tasks/text-to-video", {
      cookie: owner.cookie,
      body: { prompt: SECRET_PROMPT, seconds: 2, aspectRatio: "landscape" },
      headers: { "Idempotency-Key": ownerKey },
    });
    expect(created.status, created.text).toBe(201);
    ownerTask = created.body!.data.task.uuid;
    const order = await api(app.url, "POST", "/api/stripe/checkout/credits", { cookie: owner.cookie, body: { bundle: "starter" } });
    expect(order.status, order.text).toBe(200);
    ownerOrder = order.body!.data.orderNo;
    ownerSession = String(order.body!.data.url).split("/").pop()!;
    expect(ownerSession).toMatch(/^cs_/);
  });
  afterAll(async () => {
    await app?.close();
    await stripe?.stop();
  });

  /** A response that reveals nothing of the owner's. */
  function expectNoLeak(text: string) {
    expect(text).not.toContain(SECRET_PROMPT);
    expect(text).not.toContain(ownerTask);
    expect(text).not.toContain(owner.email);
    expect(text).not.toContain(owner.userUuid);
    if (ownerOrder) expect(text).not.toContain(ownerOrder);
  }

  it("task routes refuse or hide the owner's task", async () => {
    const one = await api(app.url, "GET", `/api/tasks/${ownerTask}`, { cookie: intruder.cookie });
    expect([403, 404]).toContain(one.status);
    expect(one.body).toMatchObject({ code: one.status, data: null });
    expectNoLeak(one.text);

    const list = await api(app.url, "GET", "/api/tasks?page=1", { cookie: intruder.cookie });
    expect(list.status).toBe(200);
    expectNoLeak(list.text);

    const latest = await api(app.url, "GET", "/api/tasks/latest", { cookie: intruder.cookie });
    expect(latest.status).toBe(200);
    expect(latest.body!.data.task).toBeNull();
    expectNoLeak(latest.text);

    // Reusing the owner's Idempotency-Key makes a task of the intruder's own, never returns the owner's.
    const replay = await api(app.url, "POST", "/api/tasks/text-to-video", {
      cookie: intruder.cookie,
      body: { prompt: "intruder", seconds: 1, aspectRatio: "square" },
      headers: { "Idempotency-Key": ownerKey },
    });
    expect(replay.status).toBe(201);
    expectNoLeak(replay.text);

    // Signed out: 401 everywhere, nothing leaked.
    for (const path of [`/api/tasks/${ownerTask}`, "/api/tasks", "/api/tasks/latest"]) {
      const anon = await api(app.url, "GET", path);
      expect(anon.status, path).toBe(401);
      expectNoLeak(anon.text);
    }

    // Pages render the intruder's own history only.
    for (const path of ["/en/tasks", `/en/tasks/text-to-video?task=${ownerTask}`, `/en/tasks/${ownerTask}`]) {
      const page = await api(app.url, "GET", path, { cookie: intruder.cookie });
      expect(page.status, path).toBeLessThan(500);
      expect(page.text, path).not.toContain(SECRET_PROMPT);
    }

    // The owner still sees it; the intruder's look changed nothing.
    await waitFor("the owner's task to finish", async () => {
      const r = await api(app.url, "GET", `/api/tasks/${ownerTask}`, { cookie: owner.cookie });
      return r.body?.data?.task?.status === "succeeded";
    }, 30_000);
    const [row] = await query<{ user_uuid: string }>(app, sql`SELECT user_uuid FROM tasks WHERE uuid = ${ownerTask}`);
    expect(row.user_uuid).toBe(owner.userUuid);
  });

  it("order routes refuse or hide the owner's order, and its session pays nobody else", async () => {
    const before = await balanceOf(app.url, intruder.cookie);
    const orders = await api(app.url, "GET", "/api/orders?page=1", { cookie: intruder.cookie });
    expect(orders.status).toBe(200);
    expectNoLeak(orders.text);
    expect(JSON.stringify(orders.body!.data)).not.toContain(ownerSession);

    for (const path of ["/en/orders", "/en/credits", `/en/success?session_id=${ownerSession}`]) {
      const page = await api(app.url, "GET", path, { cookie: intruder.cookie });
      expect(page.status, path).toBeLessThan(500);
      expect(page.text, path).not.toContain(ownerOrder);
      expect(page.text, path).not.toContain(owner.email);
    }
    // Even once the owner's session is paid, the intruder visiting its success page gains nothing.
    const paid = await fetch(`${stripe.url}/_fake/sessions/${ownerSession}/pay`, { method: "POST", body: JSON.stringify({ webhook: false }) });
    expect(paid.status).toBe(200);
    const visit = await api(app.url, "GET", `/en/success?session_id=${ownerSession}`, { cookie: intruder.cookie });
    expect(visit.status).toBeLessThan(500);
    expect(visit.text).not.toContain(ownerOrder);
    expect(await balanceOf(app.url, intruder.cookie)).toBe(before);
    const [row] = await query<{ user_uuid: string }>(app, sql`SELECT user_uuid FROM orders WHERE order_no = ${ownerOrder}`);
    expect(row.user_uuid).toBe(owner.userUuid);
    const intruderGrants = await query(app, sql`SELECT trans_no FROM credits WHERE user_uuid = ${intruder.userUuid} AND order_no IS NOT NULL`);
    expect(intruderGrants).toEqual([]);

    // Signed out: 401, nothing leaked.
    const anon = await api(app.url, "GET", "/api/orders");
    expect(anon.status).toBe(401);
    expectNoLeak(anon.text);
  });
});
