// Issue 11, item 1: sign-in limits that cannot be dodged. Each case is an attack that got
// through before (30 guesses on an account the normal form had locked), now refused.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startAppServer, type AppServer } from "../support/app-server";
import { HTTP_TEST_ENV } from "../support/http-setup";
import { submitForm } from "../support/action-form";
import { TestClient, uniqueEmail } from "../support/http-client";

const base = inject("baseUrl");
const PASSWORD = "correct horse battery";

async function csrf(client: TestClient): Promise<string> {
  const res = await client.json<never>("/api/auth/csrf");
  return (res.body as unknown as { csrfToken: string }).csrfToken;
}

/** A credentials POST with a hand-made body, as an attacker's script sends it. */
async function rawSignIn(client: TestClient, body: string, contentType: string, headers: Record<string, string> = {}) {
  return client.fetch("/api/auth/callback/credentials", {
    method: "POST",
    headers: { "content-type": contentType, ...headers },
    body,
  });
}

async function victim(): Promise<string> {
  const email = uniqueEmail("victim");
  expect((await new TestClient(base).signUp(email, PASSWORD)).status).toBe(201);
  return email;
}

/** Owner signs in from their own address, with the right password. */
async function ownerSignsIn(email: string, ip = "192.0.2.200"): Promise<boolean> {
  const owner = new TestClient(base, ip);
  await owner.signIn(email, PASSWORD);
  return owner.hasSession();
}

describe("the limiter counts exactly what next-auth authenticates", () => {
  it("duplicate email fields: a decoy first, the victim last — refused after 5 guesses", async () => {
    const email = await victim();
    const attacker = new TestClient(base, "198.51.100.31");
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const token = await csrf(attacker);
      const body = `csrfToken=${encodeURIComponent(token)}&email=decoy-${i}%40example.com&email=${encodeURIComponent(email)}&password=guess-${i}-xyz`;
      statuses.push((await rawSignIn(attacker, body, "application/x-www-form-urlencoded")).status);
    }
    expect(statuses.filter((s) => s !== 429)).toHaveLength(5);
    expect(statuses.slice(5).every((s) => s === 429)).toBe(true);
    // Even the right password is refused from that address now ...
    const token = await csrf(attacker);
    const right = await rawSignIn(attacker, new URLSearchParams({ csrfToken: token, email, password: PASSWORD }).toString(), "application/x-www-form-urlencoded");
    expect(right.status).toBe(429);
    // ... but the owner, elsewhere, is not locked out.
    expect(await ownerSignsIn(email)).toBe(true);
  });

  it("a JSON body (where the old limiter's formData() failed) is limited the same way", async () => {
    const email = await victim();
    const attacker = new TestClient(base, "198.51.100.32");
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const csrfToken = await csrf(attacker);
      const res = await rawSignIn(attacker, JSON.stringify({ csrfToken, email, password: `guess-${i}-xyz` }), "application/json");
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 5).every((s) => s !== 429)).toBe(true);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
  });

  it("a JSON body with the email in another case and spaces counts as the same account", async () => {
    const email = await victim();
    const attacker = new TestClient(base, "198.51.100.33");
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const csrfToken = await csrf(attacker);
      const variant = i % 2 ? `  ${email.toUpperCase()} ` : email;
      statuses.push((await rawSignIn(attacker, JSON.stringify({ csrfToken, email: variant, password: `guess-${i}-xyz` }), "application/json")).status);
    }
    expect(statuses[5]).toBe(429);
  });

  it("a client-chosen first X-Forwarded-For hop does not give a fresh address", async () => {
    const email = await victim();
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      // The proxy (the one trusted hop) appends the real address; the attacker writes the rest.
      const c = new TestClient(base, `10.9.${i}.1, 198.51.100.34`);
      statuses.push((await c.signIn(email, `guess-${i}-xyz`)).status);
    }
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
  });

  it("guesses spread over many addresses stop at the per-account ceiling (429)", async () => {
    const email = await victim();
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await new TestClient(base, `198.18.${i}.7`).signIn(email, `guess-${i}-xyz`)).status);
    expect(statuses.slice(0, 30).every((s) => s === 302)).toBe(true);
    expect(statuses[30]).toBe(429);
  });
});

describe("the sign-in page's form (a Server Action) meets the same limiter", () => {
  it("5 wrong passwords from one address, then even the right one is refused there with the limit's words; the owner elsewhere signs in", async () => {
    const email = await victim();
    const attacker = new TestClient(base, "198.51.100.77");
    for (let i = 0; i < 5; i++) {
      const res = await submitForm(attacker, "/en/auth/signin", "signin-form", { email, password: `guess-${i}-xyz` });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain("Wrong email or password.");
    }
    const res = await submitForm(attacker, "/en/auth/signin", "signin-form", { email, password: PASSWORD });
    expect(res.status).toBe(200); // the page again, not the redirect of a signed-in browser
    expect(await res.text()).toContain("Too many sign-in attempts. Please wait a few minutes and try again.");
    expect(attacker.hasSession()).toBe(false);
    expect(await ownerSignsIn(email)).toBe(true);
  });

  it("the right password through the same form, from a fresh address: a session and the redirect to the callback", async () => {
    const email = await victim();
    const owner = new TestClient(base, "192.0.2.201");
    const res = await submitForm(owner, "/en/auth/signin", "signin-form", { email, password: PASSWORD });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toMatch(/\/en\/credits$/);
    expect(owner.hasSession()).toBe(true);
  });
});

describe("password policy on sign-up", () => {
  it.each([
    ["a common password", () => "password1", "is too easy to guess, choose a stronger one"],
    ["another common one, in capitals", () => "QWERTYUIOP", "is too easy to guess, choose a stronger one"],
    ["only spaces", () => "          ", "must not be only spaces"],
    ["the email itself", (email: string) => email.toUpperCase(), "must not be the email address"],
    ["seven characters", () => "x7$kq2!", "must be at least 8 characters"],
  ])("refuses %s with 400 naming the password, and creates no account", async (_label, password, message) => {
    const email = uniqueEmail("policy");
    const c = new TestClient(base);
    const res = await c.signUp(email, password(email));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 400, message: `password: ${message}`, data: { field: "password" } });
    expect((await c.signUp(email, PASSWORD)).status).toBe(201);
  });
});

describe("a server with no trusted proxy (TRUSTED_PROXY_HOPS=0, the default)", () => {
  let server: AppServer;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "http-signin-"));
    server = await startAppServer({
      env: {
        ...HTTP_TEST_ENV,
        TRUSTED_PROXY_HOPS: "0",
        SIGNIN_RATE_LIMIT_PER_ACCOUNT: "8",
        DATABASE_URL: "",
        PGLITE_DATA_DIR: path.join(dir, "db"),
        TASK_SWEEP_INTERVAL_MS: "0",
      },
    });
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("X-Forwarded-For is not believed: a new value per guess still hits the account's ceiling", async () => {
    const email = uniqueEmail("nohops");
    expect((await new TestClient(server.url).signUp(email, PASSWORD)).status).toBe(201);
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await new TestClient(server.url, `10.1.${i}.9`).signIn(email, `guess-${i}-xyz`)).status);
    expect(statuses.slice(0, 8).every((s) => s === 302)).toBe(true);
    expect(statuses.slice(8)).toEqual([429, 429]);
  });

  it("a failed sign-in logs one line: no stack trace, no password", async () => {
    const email = uniqueEmail("logline");
    const secret = "Sup3r-Secret-Guess-771";
    // The log is written asynchronously: let the previous test's lines land before counting.
    await new Promise((r) => setTimeout(r, 1000));
    const before = server.output().length;
    await new TestClient(server.url).signIn(email, secret);
    await new Promise((r) => setTimeout(r, 300));
    const logged = server.output().slice(before);
    // Other lines may interleave (the server's background work); the sign-in writes exactly one.
    const lines = logged.split("\n").filter((l) => l.includes("[auth]") || l.includes("sign-in"));
    expect(lines, logged).toHaveLength(1);
    expect(lines[0]).toMatch(/\[auth\] failed sign-in for \S+ from an unknown address/);
    expect(logged).not.toContain(secret);
    expect(logged).not.toContain(email);
    expect(logged).not.toMatch(/^\s+at /m);
  });
});
