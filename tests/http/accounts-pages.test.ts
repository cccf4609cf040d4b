// Accounts in the browser-facing pages: the header, the sign-in/up pages and where
// they send you, the protected credits page, sign-out, and Secure cookies over https.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { WELCOME_CREDITS } from "@/data/credits";
import { startAppServer } from "../support/app-server";
import { HTTP_TEST_ENV } from "../support/http-setup";
import { TestClient, signedInClient, uniqueEmail } from "../support/http-client";

const base = inject("baseUrl");

async function page(client: TestClient, pathname: string, headers: Record<string, string> = {}) {
  const res = await client.fetch(pathname, { headers });
  return { status: res.status, location: res.headers.get("location"), html: await res.text() };
}

describe("header", () => {
  it("signed out: sign-in and sign-up links, no balance", async () => {
    const { html } = await page(new TestClient(base), "/en");
    expect(html).toContain('data-testid="header-signin"');
    expect(html).toContain('data-testid="header-signup"');
    expect(html).not.toContain('data-testid="header-balance"');
  });

  it("signed in: the balance and sign-out, no sign-in links", async () => {
    const { client } = await signedInClient(base);
    const { html } = await page(client, "/en");
    expect(html).toMatch(new RegExp(`data-testid="header-balance"[^>]*>${WELCOME_CREDITS} credits<`));
    expect(html).toContain('data-testid="header-signout"');
    expect(html).not.toContain('data-testid="header-signin"');
  });
});

describe("sign-in and sign-up pages", () => {
  it.each([
    ["/en/auth/signin", 'data-testid="signin-form"', "Sign in"],
    ["/en/auth/signup", 'data-testid="signup-form"', "Create your account"],
    ["/zh/auth/signin", 'data-testid="signin-form"', "登录"],
    ["/zh/auth/signup", 'data-testid="signup-form"', "创建账户"],
  ])("%s renders its form, translated", async (pathname, form, title) => {
    const { status, html } = await page(new TestClient(base), pathname);
    expect(status).toBe(200);
    expect(html).toContain(form);
    // (The catalogs travel in the page too, so look for the rendered heading.)
    expect(html).toMatch(new RegExp(`<h1[^>]*>${title}</h1>`));
  });

  it("shows no GitHub or Google button and offers only credentials and magic links when they are not configured", async () => {
    const { html } = await page(new TestClient(base), "/en/auth/signin");
    expect(html).toContain('data-testid="signin-form"');
    expect(html).not.toMatch(/>Continue with (GitHub|Google)<\/button>/);
    const providers = await new TestClient(base).json<never>("/api/auth/providers");
    expect(Object.keys(providers.body as object)).toEqual(["credentials", "email"]);
  });

  it("a signed-in visitor goes on to the callbackUrl, only if it is on this site", async () => {
    const { client } = await signedInClient(base);
    expect((await page(client, "/en/auth/signin?callbackUrl=%2Fen%2Ftasks")).location).toMatch(/^(https?:\/\/[^/]+)?\/en\/tasks$/);
    expect((await page(client, "/en/auth/signin?callbackUrl=%2F%2Fevil.example%2Fx")).location).toMatch(/^(https?:\/\/[^/]+)?\/en\/credits$/);
    expect((await page(client, "/en/auth/signin?callbackUrl=https%3A%2F%2Fevil.example")).location).toMatch(/^(https?:\/\/[^/]+)?\/en\/credits$/);
  });

  it("without a callbackUrl, goes back to the referring page of this site (not another site's)", async () => {
    const { client } = await signedInClient(base);
    const host = new URL(base).host;
    const back = await page(client, "/en/auth/signin", { referer: `http://${host}/en/tasks/text-to-video?x=1` });
    expect(back.location).toMatch(/^(https?:\/\/[^/]+)?\/en\/tasks\/text-to-video\?x=1$/);
    const foreign = await page(client, "/en/auth/signin", { referer: "https://evil.example/en/tasks" });
    expect(foreign.location).toMatch(/^(https?:\/\/[^/]+)?\/en\/credits$/);
    // Sign-up follows no referrer: a new account lands on the generator (issue 30, item 7).
    const signUp = await page(client, "/en/auth/signup", { referer: `http://${host}/en/pricing` });
    expect(signUp.location).toMatch(/^(https?:\/\/[^/]+)?\/en\/tasks\/text-to-video$/);
  });
});

describe("credits page", () => {
  it("signed out: sends the visitor to sign-in, coming back to the credits page", async () => {
    const res = await page(new TestClient(base), "/en/credits");
    expect(res.status).toBe(307);
    expect(res.location).toMatch(/\/en\/auth\/signin\?callbackUrl=%2Fen%2Fcredits$/);
  });

  it("signed in: balance, upcoming expiry, history and the purchase section", async () => {
    const { client } = await signedInClient(base);
    const { status, html } = await page(client, "/en/credits");
    expect(status).toBe(200);
    expect(html).toContain(`data-balance="${WELCOME_CREDITS}"`);
    expect(html).toMatch(new RegExp(`data-testid="credits-next-expiry"[^>]*>${WELCOME_CREDITS} credits expire on `));
    expect(html).toContain('data-testid="credits-history"');
    expect(html).toContain("Welcome credits");
    expect(html).toContain('data-testid="credits-purchase"');
  });
});

describe("sign-out", () => {
  it("next-auth's sign-out ends the session: the API answers 401 again", async () => {
    const { client } = await signedInClient(base);
    expect((await client.json("/api/credits")).status).toBe(200);
    const csrf = await client.json<never>("/api/auth/csrf");
    await client.fetch("/api/auth/signout", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken: (csrf.body as unknown as { csrfToken: string }).csrfToken }).toString(),
    });
    expect(client.hasSession()).toBe(false);
    expect((await client.json("/api/credits")).status).toBe(401);
  });
});

describe("a second server: served over https (APP_URL https), GitHub configured", () => {
  it("the session cookie is Secure, HttpOnly, SameSite and sessions still work; the GitHub button appears, Google's does not", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "http-https-"));
    const server = await startAppServer({
      env: {
        ...HTTP_TEST_ENV,
        APP_URL: "https://studio.example.com",
        DATABASE_URL: "", // its own embedded database
        PGLITE_DATA_DIR: path.join(dir, "db"),
        TASK_SWEEP_INTERVAL_MS: "0",
        AUTH_GITHUB_ID: "github-test-id",
        AUTH_GITHUB_SECRET: "github-test-secret",
      },
    });
    try {
      const email = uniqueEmail("https");
      const client = new TestClient(server.url);
      expect((await client.signUp(email, "correct horse battery")).status).toBe(201);
      await client.verifyEmailByMail(email);
      const res = await client.signIn(email, "correct horse battery");
      const cookie = res.headers.getSetCookie().find((c) => c.includes("authjs.session-token"));
      expect(cookie).toMatch(/^__Secure-authjs\.session-token=/);
      expect(cookie).toMatch(/;\s*Secure/i);
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
      const credits = await client.json<{ balance: number }>("/api/credits");
      expect(credits.status).toBe(200);
      expect(credits.body.data.balance).toBe(WELCOME_CREDITS);

      const { html } = await page(new TestClient(server.url), "/en/auth/signin");
      expect(html).toMatch(/>Continue with GitHub<\/button>/);
      expect(html).not.toMatch(/>Continue with Google<\/button>/);
      const providers = await new TestClient(server.url).json<never>("/api/auth/providers");
      expect(Object.keys(providers.body as object)).toEqual(["credentials", "email", "github"]);
    } finally {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
