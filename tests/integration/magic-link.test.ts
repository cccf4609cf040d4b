// Issue 14 (item 4): magic-link sign-in through the app's own Auth.js configuration (the
// email provider, the adapter's verification tokens, the callbacks and events), with the
// mail sent by our mail service to a real local SMTP server.
import { Auth, skipCSRFCheck } from "@auth/core";
import { count, eq } from "drizzle-orm";
import { decode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { authConfig } from "@/auth.config";
import { getDb } from "@/db";
import { credits, users, verificationTokens } from "@/db/schema";
import { WELCOME_CREDITS } from "@/data/credits";
import { authSecret } from "@/lib/auth/secret";
import { env } from "@/lib/env";
import { isSessionActive, bumpSessionVersion, disableUser, sessionClaims } from "@/services/accounts/sessions";
import { createUser, signUpInput } from "@/services/accounts/users";
import { insertUser } from "../support/fixtures";
import { subjectOf, tokenFromMail, waitForMail } from "../support/smtp";
import { useSmtpServer } from "../support/smtp-hooks";

const COOKIE = "authjs.session-token";

/** Auth.js as the app runs it (next-auth sets basePath; server-side signIn skips the CSRF check as our route does). */
function auth(path: string, init: RequestInit) {
  const headers = new Headers(init.headers);
  headers.set("X-Auth-Return-Redirect", "1");
  headers.set("content-type", "application/x-www-form-urlencoded");
  return Auth(new Request(new URL(path, env().APP_URL), { ...init, headers }), { ...authConfig(), basePath: "/api/auth", skipCSRFCheck });
}

/** What POST /api/auth/magic-link does once the input is valid. */
async function askForLink(email: string, locale = "en") {
  const res = await auth("/api/auth/signin/email", { method: "POST", body: new URLSearchParams({ email, callbackUrl: "/en/tasks", locale }) });
  expect(res.status).toBe(200);
  return (await res.json()) as { url: string };
}

/** What the landing page's button does: the token to the email callback; the redirect and the session claims. */
async function clickLink(token: string) {
  const res = await auth(`/api/auth/callback/email?${new URLSearchParams({ token, callbackUrl: "/en/tasks" })}`, { method: "POST", body: "" });
  const { url } = (await res.json()) as { url: string };
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${COOKIE}=`))?.split(";")[0].slice(COOKIE.length + 1);
  const claims = cookie ? sessionClaims(await decode({ token: cookie, secret: authSecret(), salt: COOKIE })) : null;
  return { url, claims };
}

describe("magic-link sign-in (Auth.js email provider, mail over a real SMTP server)", () => {
  const smtp = useSmtpServer();

  async function mailedToken(to: string) {
    return tokenFromMail(await waitForMail(smtp.received, to));
  }

  it("mails a link to the one-click page; the link signs in once, with the session version; the address counts as verified", async () => {
    const user = await createUser(signUpInput.parse({ email: "magic@example.com", password: "horse-battery-42" }));
    await bumpSessionVersion(user.id); // version 1
    // Asked with another spelling of the same address (normalized like every path).
    const asked = await askForLink("  ＭＡＧＩＣ@Example.com ", "zh");
    expect(asked.url).toMatch(/\/api\/auth\/verify-request/);
    const mail = await waitForMail(smtp.received, "magic@example.com");
    expect(subjectOf(mail.raw)).toBe("您的登录链接");
    const { link, token } = tokenFromMail(mail);
    // The link opens our page (a click signs in), not Auth.js's callback, and carries no email.
    expect(link).toMatch(/^http:\/\/localhost:3000\/zh\/auth\/magic-link\?token=[^&]+&callbackUrl=%2Fen%2Ftasks$/);
    // Auth.js keeps only a hash of the token.
    const rows = await getDb().select().from(verificationTokens).where(eq(verificationTokens.identifier, "magic@example.com"));
    expect(rows).toHaveLength(1);
    expect(rows[0].token).not.toBe(token);

    const first = await clickLink(token);
    expect(first.url).toBe(`${env().APP_URL}/en/tasks`);
    expect(first.claims).toMatchObject({ uid: user.id, sv: 1 });
    expect(await isSessionActive(first.claims!)).toBe(true);
    const [row] = await getDb().select().from(users).where(eq(users.id, user.id));
    expect(row.emailVerified).toBeInstanceOf(Date);
    const [{ n }] = await getDb().select({ n: count() }).from(credits).where(eq(credits.userUuid, user.id));
    expect(n).toBe(1); // the welcome grant, once

    // Used once: the second click is an error, and signs nobody in.
    const again = await clickLink(token);
    expect(again.url).toMatch(/error=Verification/);
    expect(again.claims).toBeNull();
    // The session ends like any other (sign out everywhere).
    await bumpSessionVersion(user.id);
    expect(await isSessionActive(first.claims!)).toBe(false);
  });

  it("an account that only ever signed in by link gets its welcome credits then, once", async () => {
    const uuid = await insertUser("link-only@example.com");
    await askForLink("link-only@example.com");
    const { token } = await mailedToken("link-only@example.com");
    const { claims } = await clickLink(token);
    expect(claims?.uid).toBe(uuid);
    await askForLink("link-only@example.com");
    smtp.received.length = 0;
    await askForLink("link-only@example.com");
    await clickLink((await mailedToken("link-only@example.com")).token);
    const rows = await getDb().select().from(credits).where(eq(credits.userUuid, uuid));
    expect(rows.map((r) => r.credits)).toEqual([WELCOME_CREDITS]);
  });

  it("an unknown address gets the same answer and no mail, and no account is created", async () => {
    const known = await askForLink("magic@example.com");
    smtp.received.length = 0;
    const unknown = await askForLink("nobody-here@example.com");
    expect(unknown).toEqual(known);
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.received.filter((m) => m.to.includes("nobody-here@example.com"))).toHaveLength(0);
    expect(await getDb().select().from(users).where(eq(users.email, "nobody-here@example.com"))).toEqual([]);
  });

  it("a disabled account: no mail; a link mailed before it was disabled signs nobody in", async () => {
    const uuid = await insertUser("to-disable@example.com");
    await askForLink("to-disable@example.com");
    const { token } = await mailedToken("to-disable@example.com");
    await disableUser(uuid);
    const used = await clickLink(token);
    expect(used.url).toMatch(/error=AccessDenied/);
    expect(used.claims).toBeNull();
    smtp.received.length = 0;
    await askForLink("to-disable@example.com");
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.received).toHaveLength(0);
  });

  it("tampered, unknown and expired tokens sign nobody in", async () => {
    await insertUser("expiring@example.com");
    await askForLink("expiring@example.com");
    const { token } = await mailedToken("expiring@example.com");
    for (const bad of [`${token.slice(0, -1)}${token.endsWith("a") ? "b" : "a"}`, "x".repeat(64)]) {
      const res = await clickLink(bad);
      expect(res.url).toMatch(/error=Verification/);
      expect(res.claims).toBeNull();
    }
    await getDb().update(verificationTokens).set({ expires: new Date(Date.now() - 1000) }).where(eq(verificationTokens.identifier, "expiring@example.com"));
    const expired = await clickLink(token);
    expect(expired.url).toMatch(/error=Verification/);
    expect(expired.claims).toBeNull();
  });
});
