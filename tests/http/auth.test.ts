import { describe, expect, inject, it } from "vitest";
import { WELCOME_CREDITS } from "@/data/credits";
import { TestClient, signedInClient, uniqueEmail } from "../support/http-client";

const base = inject("baseUrl");
const PASSWORD = "correct horse battery";

describe("sign-up", () => {
  it("creates the account (201) and a second sign-up with the same email, however written, gets 409", async () => {
    const email = uniqueEmail("signup");
    const c = new TestClient(base);
    const first = await c.signUp(email, PASSWORD, "Ada");
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ code: 0, data: { user: { email, name: "Ada" } } });
    expect(first.body.data.user.uuid).toMatch(/[0-9a-f-]{36}/);
    const again = await c.signUp(`  ${email.toUpperCase()} `, PASSWORD);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe(409);
    expect(again.body.message).toMatch(/^email/);
  });

  it.each([
    [{ email: "not-an-email", password: PASSWORD }, "email"],
    [{ email: uniqueEmail(), password: "short" }, "password"],
    [{ email: uniqueEmail(), password: "x".repeat(129) }, "password"],
    [{ email: uniqueEmail(), password: PASSWORD, name: "n".repeat(101) }, "name"],
    [{ email: `${"a".repeat(250)}@example.com`, password: PASSWORD }, "email"],
    [{ password: PASSWORD }, "email"],
    [{ email: 42, password: PASSWORD }, "email"],
  ] as Array<[Record<string, unknown>, string]>)("rejects %j with 400 naming %s, and creates no user", async (body, field) => {
    const c = new TestClient(base);
    const res = await c.postJson("/api/auth/signup", body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(400);
    expect(res.body.message.startsWith(`${field}:`)).toBe(true);
    const email = body.email;
    if (typeof email === "string" && email.includes("@example.com") && email.length < 254) {
      // The email is still free: nothing was written.
      expect((await c.signUp(email, PASSWORD)).status).toBe(201);
    }
  });

  it("rejects malformed JSON with 400", async () => {
    const res = await new TestClient(base).postJson("/api/auth/signup", "{ not json");
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/JSON/);
  });
});

describe("sign-in through next-auth's credentials endpoints", () => {
  it("signs in with a cookie jar; the session reaches the API and the welcome credits are there once", async () => {
    const { client } = await signedInClient(base);
    const session = await client.json<never>("/api/auth/session");
    expect((session.body as unknown as { user: { email: string } }).user.email).toMatch(/@example.com$/);
    const credits = await client.json<{ balance: number; nextExpiry: { credits: number } | null }>("/api/credits");
    expect(credits.status).toBe(200);
    expect(credits.body.data.balance).toBe(WELCOME_CREDITS);
    expect(credits.body.data.nextExpiry?.credits).toBe(WELCOME_CREDITS);
    const history = await client.json<{ items: Array<{ transType: string; credits: number }> }>("/api/credits/history?page=1");
    expect(history.body.data.items.filter((r) => r.transType === "new_user")).toEqual([
      expect.objectContaining({ credits: WELCOME_CREDITS }),
    ]);
  });

  it("signing in twice grants nothing more", async () => {
    const { client, email, password } = await signedInClient(base);
    await client.signIn(email, password);
    const credits = await client.json<{ balance: number }>("/api/credits");
    expect(credits.body.data.balance).toBe(WELCOME_CREDITS);
  });

  it("a wrong password and an unknown email get the same answer and no session", async () => {
    const email = uniqueEmail();
    await new TestClient(base).signUp(email, PASSWORD);
    const wrongPassword = new TestClient(base);
    const a = await wrongPassword.signIn(email, "wrong password!");
    const unknownEmail = new TestClient(base);
    const b = await unknownEmail.signIn(uniqueEmail("nobody"), "wrong password!");
    expect(a.status).toBe(b.status);
    expect(a.headers.get("location")).toBe(b.headers.get("location"));
    expect(a.headers.get("location")).toMatch(/error=CredentialsSignin/);
    expect(wrongPassword.hasSession()).toBe(false);
    expect(unknownEmail.hasSession()).toBe(false);
  });

  it("the session cookie is HttpOnly and SameSite", async () => {
    const email = uniqueEmail();
    const c = new TestClient(base);
    await c.signUp(email, PASSWORD);
    const csrf = await c.json<never>("/api/auth/csrf");
    const res = await c.fetch("/api/auth/callback/credentials", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken: (csrf.body as unknown as { csrfToken: string }).csrfToken, email, password: PASSWORD }).toString(),
    });
    const cookie = res.headers.getSetCookie().find((c) => c.includes("authjs.session-token"));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });

  it("rate-limits attempts per email from one address (429 envelope); the owner elsewhere still signs in", async () => {
    const email = uniqueEmail("limited");
    await new TestClient(base).signUp(email, PASSWORD);
    const ip = "198.51.100.21";
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await new TestClient(base, ip).signIn(email, "wrong password!")).status);
    expect(statuses.slice(0, 5).every((s) => s === 302)).toBe(true);
    expect(statuses[5]).toBe(429);
    const blocked = await new TestClient(base, ip).signIn(email, PASSWORD);
    expect(blocked.status).toBe(429);
    const body = await blocked.json();
    expect(body).toMatchObject({ code: 429, message: "too many requests" });
    expect(blocked.headers.get("retry-after")).toMatch(/^\d+$/);
    const owner = new TestClient(base, "198.51.100.22");
    await owner.signIn(email, PASSWORD);
    expect(owner.hasSession()).toBe(true);
  });

  it("rate-limits attempts per IP address", async () => {
    const ip = "203.0.113.77";
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await new TestClient(base, ip).signIn(uniqueEmail("ip"), "whatever-pass")).status);
    expect(statuses.slice(0, 20).every((s) => s === 302)).toBe(true);
    expect(statuses[20]).toBe(429);
  });
});

describe("without a session", () => {
  it.each(["/api/credits", "/api/credits/history?page=1"])("%s answers 401 with the envelope", async (path) => {
    const res = await new TestClient(base).json(path);
    expect(res.status).toBe(401);
    // These routes take API keys too: no credentials read like a bad key (tests/http/api-keys.test.ts).
    expect(res.body).toEqual({ code: 401, message: "not signed in, or invalid API key: send Authorization: Bearer <key>", data: null });
  });

  it("a forged or tampered session cookie is not a session", async () => {
    const { client } = await signedInClient(base);
    expect((await client.json("/api/credits")).status).toBe(200);
    const token = client.cookies.get("authjs.session-token")!;
    const tampered = `${token.slice(0, -6)}${token.slice(-6) === "AAAAAA" ? "BBBBBB" : "AAAAAA"}`;
    for (const value of [tampered, "not-a-jwt", token.split(".").slice(0, 3).join(".")]) {
      const res = await new TestClient(base).json("/api/credits", { headers: { cookie: `authjs.session-token=${value}` } });
      expect(res.status).toBe(401);
    }
  });

  it("history rejects a bad page with 400", async () => {
    const { client } = await signedInClient(base);
    const res = await client.json("/api/credits/history?page=0");
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^page/);
  });
});
