// API keys over HTTP against `next start` (PGlite by default, PostgreSQL with
// TEST_DATABASE_URL): the key routes (session only), Bearer on the task, upload and
// credits routes without cookies or Origin, 403 on session-only routes, one 401 for every
// bad key (and about the same time), keys in a query string refused, the monthly cap, a
// per-key rate limit, revocation and account deletion effective at once — on PostgreSQL
// also on a second instance of the same database.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startAppServer, type AppServer } from "../support/app-server";
import { HTTP_TEST_ENV, startOwnServer } from "../support/http-setup";
import { signedInClient, TestClient } from "../support/http-client";

const base = inject("baseUrl");
const databaseUrl = inject("databaseUrl");
const storageDir = inject("storageDir");
const onPostgres = !!databaseUrl;
const image = { prompt: "A lighthouse at dusk", size: "512x512" };

let alice: TestClient;
let aliceUuid: string;

/** A request as an API client sends it: the key, no cookie, no Origin. */
function bearer(key: string, path: string, init: { method?: string; json?: unknown; headers?: Record<string, string>; baseUrl?: string } = {}) {
  const headers: Record<string, string> = { authorization: `Bearer ${key}`, ...init.headers };
  if (init.json !== undefined) headers["content-type"] = "application/json";
  return fetch(new URL(path, init.baseUrl ?? base), { method: init.method ?? "GET", headers, body: init.json === undefined ? undefined : JSON.stringify(init.json) });
}

async function bearerJson(key: string, path: string, init: Parameters<typeof bearer>[2] = {}) {
  const res = await bearer(key, path, init);
  return { status: res.status, body: await res.json() };
}

async function createKey(client: TestClient, body: Record<string, unknown> = { name: "test" }) {
  const res = await client.postJson<{ key: string; apiKey: { id: string; name: string; prefix: string; status: string } }>("/api/keys", body);
  expect(res.status).toBe(201);
  return res.body.data;
}

beforeAll(async () => {
  ({ client: alice, userUuid: aliceUuid } = await signedInClient(base));
});

describe("the key routes (session only)", () => {
  it("POST /api/keys: 201 with the secret once and the record; GET lists records without secrets", async () => {
    const { key, apiKey } = await createKey(alice, { name: "CI", monthlyCreditCap: 500, expiresAt: new Date(Date.now() + 86_400_000).toISOString() });
    expect(key).toMatch(/^sk_live_[A-Za-z0-9_-]{43}$/); // next start: production
    expect(apiKey).toMatchObject({ name: "CI", prefix: key.slice(0, 14), status: "active", monthlyCreditCap: 500, spentThisMonth: 0 });
    const list = await alice.json("/api/keys");
    expect(list.status).toBe(200);
    expect(list.body.data.apiKeys.map((k: { id: string }) => k.id)).toContain(apiKey.id);
    expect(JSON.stringify(list.body)).not.toContain(key);
  });

  it("bad input: 400 naming the field, nothing created", async () => {
    const before = (await alice.json("/api/keys")).body.data.apiKeys.length;
    for (const [body, field] of [
      [{}, "name"],
      [{ name: "x".repeat(101) }, "name"],
      [{ name: "x", expiresAt: "tomorrow" }, "expiresAt"],
      [{ name: "x", expiresAt: "2001-01-01T00:00:00Z" }, "expiresAt"],
      [{ name: "x", monthlyCreditCap: 1.5 }, "monthlyCreditCap"],
      [{ name: "x", monthlyCreditCap: -1 }, "monthlyCreditCap"],
    ] as const) {
      const res = await alice.postJson("/api/keys", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.data.field).toBe(field);
    }
    expect((await alice.json("/api/keys")).body.data.apiKeys.length).toBe(before);
  });

  it("signed out: 401; a key on the key, account, billing and admin routes: 403, even with a session cookie", async () => {
    const { key } = await createKey(alice);
    expect((await fetch(`${base}/api/keys`)).status).toBe(401);
    const sessionOnly: Array<[string, string, unknown?]> = [
      ["GET", "/api/keys"],
      ["POST", "/api/keys", { name: "from a key" }],
      ["DELETE", "/api/keys/whatever"],
      ["PATCH", "/api/account", { name: "x" }],
      ["DELETE", "/api/account", { currentPassword: "x" }],
      ["GET", "/api/orders"],
      ["POST", "/api/stripe/checkout/credits", { quantity: 100 }],
      ["GET", "/api/admin/overview"],
      ["GET", `/api/admin/users/${aliceUuid}/keys`],
    ];
    for (const [method, path, json] of sessionOnly) {
      const res = await bearer(key, path, { method, json });
      expect(res.status, `${method} ${path}`).toBe(403);
      const withCookie = await bearer(key, path, { method, json, headers: { cookie: alice.cookieHeader(), origin: new URL(base).origin } });
      expect(withCookie.status, `${method} ${path} with a cookie`).toBe(403);
    }
    expect((await alice.json("/api/keys")).body.data.apiKeys.some((k: { name: string }) => k.name === "from a key")).toBe(false);
  });

  it("the Account → API keys page lists the keys (prefix, never the secret), in English and Chinese", async () => {
    const { key, apiKey } = await createKey(alice, { name: "page key" });
    const en = await alice.fetch("/en/account/api-keys");
    expect(en.status).toBe(200);
    const html = await en.text();
    expect(html).toContain("page key");
    expect(html).toContain(apiKey.prefix);
    expect(html).not.toContain(key);
    const zh = await (await alice.fetch("/zh/account/api-keys")).text();
    expect(zh).toContain("API 密钥");
    expect((await new TestClient(base).fetch("/en/account/api-keys")).status).toBeGreaterThanOrEqual(300);
  });

  it("DELETE /api/keys/{id}: another user's key is a 404; revoking twice is harmless", async () => {
    const { apiKey } = await createKey(alice);
    const { client: bob } = await signedInClient(base);
    expect((await bob.sendJson("DELETE", `/api/keys/${apiKey.id}`, {})).status).toBe(404);
    const res = await alice.sendJson("DELETE", `/api/keys/${apiKey.id}`, {});
    expect(res.status).toBe(200);
    expect(res.body.data.apiKey).toMatchObject({ id: apiKey.id, status: "revoked" });
    expect((await alice.sendJson("DELETE", `/api/keys/${apiKey.id}`, {})).status).toBe(200);
  });
});

describe("Bearer on the API routes", () => {
  it("creates a task, reads it, lists, streams its events, reads credits and uploads: no cookie, no Origin", async () => {
    const { key, apiKey } = await createKey(alice);
    const created = await bearerJson(key, "/api/tasks/text-to-image", { method: "POST", json: image, headers: { "idempotency-key": "bearer-1" } });
    expect(created.status).toBe(201);
    const uuid = created.body.data.task.uuid;
    const again = await bearerJson(key, "/api/tasks/text-to-image", { method: "POST", json: image, headers: { "idempotency-key": "bearer-1" } });
    expect([again.status, again.body.data.task.uuid]).toEqual([200, uuid]);
    expect((await bearerJson(key, `/api/tasks/${uuid}`)).body.data.task.uuid).toBe(uuid);
    expect((await bearerJson(key, "/api/tasks")).body.data.items.map((t: { uuid: string }) => t.uuid)).toContain(uuid);
    expect((await bearerJson(key, "/api/tasks/latest")).status).toBe(200);
    expect((await bearerJson(key, "/api/credits")).body.data.balance).toBeGreaterThanOrEqual(0);
    expect((await bearerJson(key, "/api/credits/history")).status).toBe(200);
    expect((await bearerJson(key, "/api/uploads")).status).toBe(200);
    const events = await bearer(key, `/api/tasks/${uuid}/events`);
    expect(events.status).toBe(200);
    expect(events.headers.get("content-type")).toMatch(/text\/event-stream/);
    const reader = events.body!.getReader();
    let streamed = "";
    while (!streamed.includes("event: task")) streamed += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    expect(streamed).toContain(uuid);
    // The key's spend this month, and when it was last used.
    const listed = (await alice.json("/api/keys")).body.data.apiKeys.find((k: { id: string }) => k.id === apiKey.id);
    expect(listed.spentThisMonth).toBe(created.body.data.task.creditsUsed);
    expect(listed.lastUsedAt).not.toBeNull();
  });

  it("with a cookie and a cross-site Origin, the key decides (the request acts for the key's owner)", async () => {
    const { key } = await createKey(alice);
    const { client: bob } = await signedInClient(base);
    const res = await bearerJson(key, "/api/tasks/text-to-image", {
      method: "POST",
      json: image,
      headers: { cookie: bob.cookieHeader(), origin: "https://evil.example" },
    });
    expect(res.status).toBe(201);
    expect((await alice.json(`/api/tasks/${res.body.data.task.uuid}`)).status).toBe(200);
    expect((await bob.json(`/api/tasks/${res.body.data.task.uuid}`)).status).not.toBe(200);
  });

  it("one 401 for missing, malformed, unknown, revoked and expired keys, in about the same time", async () => {
    const { key: revoked, apiKey } = await createKey(alice);
    await alice.sendJson("DELETE", `/api/keys/${apiKey.id}`, {});
    const { key: expiring } = await createKey(alice, { name: "soon", expiresAt: new Date(Date.now() + 1500).toISOString() });
    expect((await bearer(expiring, "/api/credits")).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1600));
    const cases: Record<string, Record<string, string>> = {
      none: {},
      empty: { authorization: "Bearer " },
      malformed: { authorization: "Bearer not-a-key" },
      unknown: { authorization: `Bearer sk_live_${"A".repeat(43)}` },
      revoked: { authorization: `Bearer ${revoked}` },
      expired: { authorization: `Bearer ${expiring}` },
    };
    const bodies = new Set<string>();
    const times: Record<string, number> = {};
    for (const [name, headers] of Object.entries(cases)) {
      const samples: number[] = [];
      for (let i = 0; i < 15; i++) {
        const started = performance.now();
        const res = await fetch(`${base}/api/tasks`, { headers });
        samples.push(performance.now() - started);
        expect(res.status, name).toBe(401);
        const body = await res.json();
        bodies.add(JSON.stringify(body));
      }
      times[name] = samples.sort((a, b) => a - b)[7];
    }
    expect([...bodies]).toHaveLength(1);
    console.log("[api-keys] median 401 ms:", JSON.stringify(Object.fromEntries(Object.entries(times).map(([k, v]) => [k, Math.round(v * 10) / 10]))));
    // Every bad key costs one lookup: no case answers measurably faster than a real miss.
    for (const name of ["malformed", "revoked", "expired"]) expect(Math.abs(times[name] - times.unknown), name).toBeLessThan(25);
  });

  it("a key in the query string is refused (400 naming the parameter), never used", async () => {
    const { key } = await createKey(alice);
    const res = await fetch(`${base}/api/tasks?api_key=${key}`);
    expect(res.status).toBe(400);
    expect((await res.json()).data.field).toBe("api_key");
    expect((await fetch(`${base}/api/credits?token=${encodeURIComponent(key)}`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(400);
  });

  it("the monthly cap: past it, 402 naming the cap, nothing charged", async () => {
    const first = await bearerJson((await createKey(alice)).key, "/api/tasks/text-to-image", { method: "POST", json: image });
    const cost = first.body.data.task.creditsUsed;
    const { key } = await createKey(alice, { name: "capped", monthlyCreditCap: cost + 1 });
    expect((await bearerJson(key, "/api/tasks/text-to-image", { method: "POST", json: image })).status).toBe(201);
    const balance = (await alice.json("/api/credits")).body.data.balance;
    const refused = await bearerJson(key, "/api/tasks/text-to-image", { method: "POST", json: image });
    expect(refused.status).toBe(402);
    expect(refused.body.data).toMatchObject({ reason: "api_key_monthly_cap", remaining: 1 });
    expect((await alice.json("/api/credits")).body.data.balance).toBe(balance);
  });

  it("a deleted account's keys stop at once", async () => {
    const carol = await signedInClient(base);
    const { key } = await createKey(carol.client);
    expect((await bearer(key, "/api/credits")).status).toBe(200);
    expect((await carol.client.sendJson("DELETE", "/api/account", { currentPassword: carol.password })).status).toBe(200);
    expect((await bearer(key, "/api/credits")).status).toBe(401);
  });
});

describe("per-key rate limit (own server, API_KEY_RATE_LIMIT_PER_MINUTE=5)", () => {
  let server: Awaited<ReturnType<typeof startOwnServer>>;
  beforeAll(async () => {
    server = await startOwnServer("apikey-rate", { API_KEY_RATE_LIMIT_PER_MINUTE: "5" });
  }, 120_000);
  afterAll(() => server?.stopAll());

  it("the sixth request of a key in a minute gets 429 with Retry-After; another key of the same user is not affected", async () => {
    const { client } = await signedInClient(server.url);
    const one = await createKey(client);
    const two = await createKey(client);
    for (let i = 0; i < 5; i++) expect((await bearer(one.key, "/api/credits", { baseUrl: server.url })).status).toBe(200);
    const limited = await bearer(one.key, "/api/credits", { baseUrl: server.url });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await bearer(two.key, "/api/credits", { baseUrl: server.url })).status).toBe(200);
  });
});

describe.runIf(onPostgres)("a second instance on the same PostgreSQL", () => {
  let second: AppServer;
  beforeAll(async () => {
    second = await startAppServer({ env: { ...HTTP_TEST_ENV, TASK_SWEEP_INTERVAL_MS: "0", DATABASE_URL: databaseUrl, STORAGE_LOCAL_DIR: storageDir } });
  }, 120_000);
  afterAll(() => second?.stop());

  it("a key revoked on one instance gets 401 on the other within 1 s", async () => {
    const { key, apiKey } = await createKey(alice);
    expect((await bearer(key, "/api/credits", { baseUrl: second.url })).status).toBe(200);
    expect((await alice.sendJson("DELETE", `/api/keys/${apiKey.id}`, {})).status).toBe(200);
    const revokedAt = performance.now();
    let status = 0;
    while (performance.now() - revokedAt < 1000) {
      status = (await bearer(key, "/api/credits", { baseUrl: second.url })).status;
      if (status === 401) break;
    }
    console.log(`[api-keys] revoked key refused on the second instance after ${Math.round(performance.now() - revokedAt)} ms`);
    expect(status).toBe(401);
  });
});
