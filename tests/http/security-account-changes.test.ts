// Issue 26, item 8: the email-change form was an account-existence oracle (taken addresses
// kept answering 409 after the 5/hour limit answered 429 for free ones: the lookup ran
// before the limit), and a deleted account's session, still cached as active by another
// instance, could make the app send a confirmation mail (resendVerificationMail ignored
// disabled_at; the route used requireUser). Reproduced as found.
import postgres from "postgres";
import { describe, expect, inject, it } from "vitest";
import { startAppServer } from "../support/app-server";
import { HTTP_TEST_ENV } from "../support/http-setup";
import { TestClient, signedInClient, uniqueEmail } from "../support/http-client";

const base = inject("baseUrl");
const databaseUrl = inject("databaseUrl");

describe("the email-change limit comes before the lookup", () => {
  it("past the limit every answer is the same 429, for free and taken addresses alike; wrong passwords too", async () => {
    const { client, password } = await signedInClient(base);
    const taken = await signedInClient(base);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await client.postJson("/api/account/email", { email: uniqueEmail("free"), currentPassword: password })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const free = await client.postJson("/api/account/email", { email: uniqueEmail("free"), currentPassword: password });
    const busy = await client.postJson("/api/account/email", { email: taken.email, currentPassword: password });
    const wrong = await client.postJson("/api/account/email", { email: taken.email, currentPassword: "not-the-password-at-all" });
    for (const res of [free, busy, wrong]) {
      expect(res.status).toBe(429);
      expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
    }
    // The same answer for all three; only the countdown may tick by a second between them.
    type Limited = { data: { retryAfterSeconds: number } };
    const seconds = [free, busy, wrong].map((res) => (res.body as Limited).data.retryAfterSeconds);
    expect(Math.max(...seconds) - Math.min(...seconds)).toBeLessThanOrEqual(1);
    const sameButCountdown = (body: unknown) => ({ ...(body as Limited), data: { ...(body as Limited).data, retryAfterSeconds: 0 } });
    expect(sameButCountdown(busy.body)).toEqual(sameButCountdown(free.body));
    expect(sameButCountdown(wrong.body)).toEqual(sameButCountdown(free.body));
  });
});

describe.skipIf(!databaseUrl)("resend verification from a deleted account's session cached on another instance (two servers, one PostgreSQL)", () => {
  it("answers 401 and mails nothing", async () => {
    const other = await startAppServer({ env: { ...HTTP_TEST_ENV, DATABASE_URL: databaseUrl, SESSION_CHECK_INTERVAL_SECONDS: "60", STORAGE_LOCAL_DIR: inject("storageDir") } });
    const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    try {
      const { client: a, userUuid, password } = await signedInClient(base, { verify: false });
      const b = new TestClient(other.url);
      for (const [name, value] of a.cookies) b.cookies.set(name, value);
      expect((await b.json("/api/credits")).status).toBe(200);
      expect((await a.sendJson("DELETE", "/api/account", { currentPassword: password })).status).toBe(200);
      expect((await b.json("/api/credits")).status).toBe(200); // B still caches the session as active
      const before = other.output().length;
      const res = await b.postJson("/api/auth/verify-email/resend", { locale: "en" });
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ code: 401, data: null });
      const [{ count }] = await sql`SELECT count(*)::int AS count FROM account_tokens WHERE user_uuid = ${userUuid}`;
      expect(count).toBe(0);
      await new Promise((r) => setTimeout(r, 300));
      expect(other.output().slice(before)).not.toMatch(/deleted-.*@invalid/);
    } finally {
      await sql.end();
      await other.stop();
    }
  });
});
