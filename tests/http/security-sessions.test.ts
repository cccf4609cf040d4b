// Issue 11, item 6: sessions that can end. Before: after sign-out the old cookie still
// created work, a deleted user's token read data for 30 days (and their checkout gave 500),
// and a production build on PGlite signed cookies with a secret written in the source.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { encode } from "next-auth/jwt";
import postgres from "postgres";
import { describe, expect, inject, it } from "vitest";
import { startAppServer, startExpectingExit } from "../support/app-server";
import { FAKE_STRIPE_SECRET_KEY } from "../support/fake-stripe";
import { HTTP_TEST_ENV } from "../support/http-setup";
import { TestClient, signedInClient } from "../support/http-client";

const base = inject("baseUrl");
const databaseUrl = inject("databaseUrl");
const COOKIE = "authjs.session-token";

/** A client that presents only the given session cookie (a copy an attacker kept). */
function replay(token: string): TestClient {
  const c = new TestClient(base);
  c.cookies.set(COOKIE, token);
  return c;
}

async function signOut(client: TestClient) {
  const csrf = await client.json<never>("/api/auth/csrf");
  await client.fetch("/api/auth/signout", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken: (csrf.body as unknown as { csrfToken: string }).csrfToken }).toString(),
  });
}

const checkout = (c: TestClient) => c.postJson("/api/stripe/checkout/credits", { bundle: "starter" });

describe("sign-out revokes the token, not only the cookie in this browser", () => {
  it("the old cookie, replayed after sign-out, gets 401 on reads and writes", async () => {
    const { client } = await signedInClient(base);
    const stolen = client.cookies.get(COOKIE)!;
    expect((await replay(stolen).json("/api/credits")).status).toBe(200);
    await signOut(client);
    expect(client.hasSession()).toBe(false);
    const thief = replay(stolen);
    expect((await thief.json("/api/credits")).status).toBe(401);
    expect((await checkout(thief)).status).toBe(401);
    expect((await thief.postJson("/api/tasks/text-to-video", { prompt: "a cat", seconds: 2, aspectRatio: "landscape" })).status).toBe(401);
    // next-auth's own session endpoint says so too, and clears the cookie.
    const session = await thief.fetch("/api/auth/session");
    expect(await session.json()).toBeNull();
    expect(thief.hasSession()).toBe(false);
  });

  it("signing out one browser leaves the user's other sessions alone", async () => {
    const { client, email, password } = await signedInClient(base);
    const other = new TestClient(base);
    await other.signIn(email, password);
    await signOut(client);
    expect((await other.json("/api/credits")).status).toBe(200);
  });
});

describe("sign out everywhere", () => {
  it("ends every session of the user, this one included; signing in again works", async () => {
    const { client, email, password } = await signedInClient(base);
    const laptop = new TestClient(base);
    await laptop.signIn(email, password);
    const stolen = client.cookies.get(COOKIE)!;
    const res = await client.postJson("/api/account/sign-out-everywhere", {});
    expect(res.status).toBe(200);
    expect(client.hasSession()).toBe(false);
    expect((await laptop.json("/api/credits")).status).toBe(401);
    expect((await replay(stolen).json("/api/credits")).status).toBe(401);
    const again = new TestClient(base);
    await again.signIn(email, password);
    expect((await again.json("/api/credits")).status).toBe(200);
  });

  it("without a session: 401", async () => {
    expect((await new TestClient(base).postJson("/api/account/sign-out-everywhere", {})).status).toBe(401);
  });
});

describe("tokens the server did not issue as sessions", () => {
  it("a token signed with the right secret but without a session id and version (a pre-revocation token) is refused", async () => {
    const { client, userUuid, email } = await signedInClient(base);
    expect((await client.json("/api/credits")).status).toBe(200);
    const legacy = await encode({ token: { uid: userUuid, email, sub: userUuid }, secret: HTTP_TEST_ENV.AUTH_SECRET, salt: COOKIE });
    expect((await replay(legacy).json("/api/credits")).status).toBe(401);
  });

  it("a cookie forged with the fallback secret that used to be in the source is refused", async () => {
    const { userUuid, email } = await signedInClient(base);
    const forged = await encode({
      token: { uid: userUuid, email, sid: "x", sv: 0 },
      secret: "local-development-secret-do-not-use-in-production",
      salt: COOKIE,
    });
    expect((await replay(forged).json("/api/credits")).status).toBe(401);
  });
});

describe.skipIf(!databaseUrl)("a deleted user (PostgreSQL: rows removed behind the app's back)", () => {
  it("their token stops working: reads and checkout answer 401, not 500", async () => {
    const { client, userUuid } = await signedInClient(base);
    expect((await client.json("/api/credits")).status).toBe(200);
    const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    try {
      await sql.begin(async (tx) => {
        await tx`DELETE FROM credit_grants WHERE user_uuid = ${userUuid}`;
        await tx`DELETE FROM credits WHERE user_uuid = ${userUuid}`;
        await tx`DELETE FROM users WHERE uuid = ${userUuid}`;
      });
    } finally {
      await sql.end();
    }
    // Another instance would notice within SESSION_CHECK_INTERVAL_SECONDS; this test waits that long.
    await new Promise((r) => setTimeout(r, 2_100));
    expect((await client.json("/api/credits")).status).toBe(401);
    const res = await checkout(client);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe(401);
  });
});

describe.skipIf(!databaseUrl)("an account deleted on another instance (two servers, one PostgreSQL database)", () => {
  it("the instance still caching the session as active refuses its task, checkout, account and admin calls at once: 401", async () => {
    // Instance B re-checks sessions only every 60 s; the account is deleted through instance A.
    const email = "http-admin-elsewhere@example.com";
    const other = await startAppServer({
      env: {
        ...HTTP_TEST_ENV,
        DATABASE_URL: databaseUrl,
        SESSION_CHECK_INTERVAL_SECONDS: "60",
        ADMIN_EMAILS: email,
        STRIPE_SECRET_KEY: FAKE_STRIPE_SECRET_KEY,
        STRIPE_WEBHOOK_SECRET: inject("stripeWebhookSecret"),
        STRIPE_API_BASE: inject("stripeApiBase"),
        STORAGE_LOCAL_DIR: inject("storageDir"),
      },
    });
    const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    try {
      const { client: a, userUuid, password } = await signedInClient(base, { email });
      const b = new TestClient(other.url);
      for (const [name, value] of a.cookies) b.cookies.set(name, value);
      expect((await b.json("/api/credits")).status).toBe(200);
      expect((await b.json("/api/admin/overview")).status).toBe(200);

      expect((await a.sendJson("DELETE", "/api/account", { currentPassword: password })).status).toBe(200);
      // B still holds the session as active: a plain read is served from its cache ...
      expect((await b.json("/api/credits")).status).toBe(200);
      // ... but nothing that spends, pays, writes or administers gets through.
      expect((await b.postJson("/api/tasks/text-to-video", { prompt: "after deletion", seconds: 2, aspectRatio: "square" })).status).toBe(401);
      expect((await checkout(b)).status).toBe(401);
      expect((await b.sendJson("PATCH", "/api/account", { name: "Back Again" })).status).toBe(401);
      expect((await b.json("/api/admin/overview")).status).toBe(401);

      const [row] = await sql`SELECT email, name FROM users WHERE uuid = ${userUuid}`;
      expect(row).toEqual({ email: `deleted-${userUuid}@invalid`, name: null });
      expect(await sql`SELECT 1 FROM tasks WHERE user_uuid = ${userUuid}`).toHaveLength(0);
      expect(await sql`SELECT 1 FROM orders WHERE user_uuid = ${userUuid}`).toHaveLength(0);
    } finally {
      await sql.end();
      await other.stop();
    }
  });
});

describe("AUTH_SECRET", () => {
  it("a production server on PGlite without AUTH_SECRET refuses to start, naming it", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "http-nosecret-"));
    const { code, output } = await startExpectingExit({ PGLITE_DATA_DIR: path.join(dir, "db") }, ["AUTH_SECRET", "DATABASE_URL"]);
    fs.rmSync(dir, { recursive: true, force: true });
    expect(output).toContain("Missing required environment variable(s) for production: AUTH_SECRET");
    expect(code).toBe(1);
  });
});
