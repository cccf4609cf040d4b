// Issue 14 (2): email verification. The confirmation mail goes over a real SMTP server;
// the welcome credits arrive with the confirmed email, exactly once (races included: on
// PostgreSQL the concurrency is real).
import { count, eq } from "drizzle-orm";
import type { AdapterUser } from "next-auth/adapters";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { authConfig } from "@/auth.config";
import { getDb } from "@/db";
import { accountTokens, credits, users } from "@/db/schema";
import { WELCOME_CREDITS } from "@/data/credits";
import { resetEnvCache } from "@/lib/env";
import { hashToken } from "@/services/accounts/tokens";
import { getUserCredits } from "@/services/credits/ledger";
import {
  VERIFY_RESENDS_PER_HOUR,
  markEmailVerified,
  refuseUnverifiedSignIn,
  resendVerificationMail,
  sendVerificationMail,
  verifyEmail,
} from "@/services/accounts/email-verification";
import { createUser, signUpInput } from "@/services/accounts/users";
import { bodyOf, startSmtp, subjectOf, tokenFromMail, waitForMail } from "../support/smtp";

const PASSWORD = "horse-battery-42";

async function ledgerRows(userUuid: string) {
  const [{ n }] = await getDb().select({ n: count() }).from(credits).where(eq(credits.userUuid, userUuid));
  return n;
}
const balanceOf = async (userUuid: string) => (await getUserCredits(userUuid)).balance;
const verifiedAt = async (userUuid: string) =>
  (await getDb().select({ v: users.emailVerified }).from(users).where(eq(users.id, userUuid)))[0].v;

function setEnv(values: Record<string, string | undefined>) {
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
}

describe("email verification (mail over a real SMTP server)", () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  beforeAll(async () => {
    smtp = await startSmtp();
    setEnv({ SMTP_URL: smtp.url, APP_URL: "http://app.test" });
  });
  afterEach(() => setEnv({ EMAIL_VERIFICATION: undefined, ALLOW_UNVERIFIED_SIGNIN: undefined }));
  afterAll(async () => {
    setEnv({ SMTP_URL: undefined, APP_URL: undefined });
    await smtp.close();
  });

  async function signUp(email: string, locale?: "en" | "zh") {
    const user = await createUser(signUpInput.parse({ email, password: PASSWORD, locale }));
    await sendVerificationMail(user);
    return { user, ...tokenFromMail(await waitForMail(smtp.received, email)) };
  }

  it("sign-up grants nothing yet; the mailed single-use link (hashed, localized) confirms the email and brings the welcome credits once", async () => {
    const { user, link, token } = await signUp("verify@example.com", "zh");
    expect(link).toBe(`http://app.test/zh/auth/verify-email?token=${token}`);
    const mail = smtp.received.at(-1)!;
    expect(subjectOf(mail.raw)).toBe("请确认您的邮箱地址");
    expect(bodyOf(mail.raw)).toContain("24");
    expect(await balanceOf(user.id)).toBe(0);
    expect(await verifiedAt(user.id)).toBeNull();
    // Only the hash is stored.
    const rows = await getDb().select().from(accountTokens).where(eq(accountTokens.userUuid, user.id));
    expect(rows.map((r) => [r.kind, r.tokenHash])).toEqual([["verify_email", hashToken(token)]]);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows[0].expiresAt.getTime() - Date.now()).toBeGreaterThan(23.9 * 3600_000);

    await verifyEmail(token);
    expect(await verifiedAt(user.id)).toBeInstanceOf(Date);
    expect(await balanceOf(user.id)).toBe(WELCOME_CREDITS);
    // Used once: a second use is a 400 naming the token (reason "used") and changes nothing.
    await expect(verifyEmail(token)).rejects.toMatchObject({ status: 400, details: { field: "token", reason: "used" } });
    expect(await ledgerRows(user.id)).toBe(1);
  });

  it("unknown, tampered and expired tokens: 400 with the reason, nothing changed", async () => {
    const { user, token } = await signUp("expired@example.com");
    const tampered = token.slice(0, -1) + (token.endsWith("A") ? "B" : "A");
    await expect(verifyEmail(tampered)).rejects.toMatchObject({ status: 400, details: { reason: "unknown" } });
    await expect(verifyEmail("not a token")).rejects.toMatchObject({ status: 400, details: { reason: "unknown" } });
    await getDb().update(accountTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(accountTokens.tokenHash, hashToken(token)));
    await expect(verifyEmail(token)).rejects.toMatchObject({ status: 400, details: { field: "token", reason: "expired" } });
    expect(await verifiedAt(user.id)).toBeNull();
    expect(await balanceOf(user.id)).toBe(0);
    // The expired token was not used up by the attempts.
    const [row] = await getDb().select().from(accountTokens).where(eq(accountTokens.tokenHash, hashToken(token)));
    expect(row.usedAt).toBeNull();
  });

  it("two verifications of the same token at once: one wins, the welcome credits are granted once", async () => {
    for (let round = 0; round < 3; round++) {
      const { user, token } = await signUp(`race-${round}@example.com`);
      const results = await Promise.allSettled([verifyEmail(token), verifyEmail(token), markEmailVerified(user.id)]);
      expect(results.slice(0, 2).filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(results[2].status).toBe("fulfilled");
      expect(await ledgerRows(user.id)).toBe(1);
      expect(await balanceOf(user.id)).toBe(WELCOME_CREDITS);
    }
  });

  it("resend: a new link replaces the old one, limited per hour; 409 once verified", async () => {
    const { user, token: first } = await signUp("resend@example.com");
    smtp.received.length = 0;
    await resendVerificationMail({ userUuid: user.id, locale: "en" });
    const { token: second } = tokenFromMail(await waitForMail(smtp.received, "resend@example.com"));
    expect(second).not.toBe(first);
    await expect(verifyEmail(first)).rejects.toMatchObject({ status: 400 });
    for (let i = 1; i < VERIFY_RESENDS_PER_HOUR; i++) await resendVerificationMail({ userUuid: user.id });
    await expect(resendVerificationMail({ userUuid: user.id })).rejects.toMatchObject({ status: 429 });
    const latest = tokenFromMail(smtp.received.at(-1)!).token;
    await verifyEmail(latest);
    await expect(resendVerificationMail({ userUuid: user.id })).rejects.toMatchObject({ status: 409 });
    expect(await balanceOf(user.id)).toBe(WELCOME_CREDITS);
  });

  it("a link for an address the account no longer has is refused", async () => {
    const { user, token } = await signUp("before@example.com");
    await getDb().update(users).set({ email: "after@example.com" }).where(eq(users.id, user.id));
    await expect(verifyEmail(token)).rejects.toMatchObject({ status: 400, details: { reason: "unknown" } });
    expect(await balanceOf(user.id)).toBe(0);
  });

  it("EMAIL_VERIFICATION=off: the welcome credits come at sign-up, as before", async () => {
    setEnv({ EMAIL_VERIFICATION: "off" });
    const user = await createUser(signUpInput.parse({ email: "off@example.com", password: PASSWORD }));
    expect(await balanceOf(user.id)).toBe(WELCOME_CREDITS);
    await expect(resendVerificationMail({ userUuid: user.id })).rejects.toMatchObject({ status: 409 });
  });

  it("ALLOW_UNVERIFIED_SIGNIN=false refuses an unverified account and mails a fresh link; verified accounts and the default pass", async () => {
    const { user } = await signUp("strict@example.com");
    const row = (await getDb().select().from(users).where(eq(users.id, user.id)))[0];
    expect(await refuseUnverifiedSignIn(row)).toBe(false); // default: allowed
    setEnv({ ALLOW_UNVERIFIED_SIGNIN: "false" });
    smtp.received.length = 0;
    expect(await refuseUnverifiedSignIn(row)).toBe(true);
    const { token } = tokenFromMail(await waitForMail(smtp.received, "strict@example.com"));
    await verifyEmail(token);
    const verified = (await getDb().select().from(users).where(eq(users.id, user.id)))[0];
    expect(await refuseUnverifiedSignIn(verified)).toBe(false);
  });
});

describe("OAuth sign-ins whose provider vouches for the email", () => {
  async function oauthUser(email: string) {
    return (await authConfig().adapter!.createUser!({ id: "", email, emailVerified: null })) as AdapterUser;
  }

  it("GitHub (and Google with email_verified): verified at sign-in with the welcome credits, once, however often or concurrently", async () => {
    const events = authConfig().events!;
    const gh = await oauthUser("gh-verified@example.com");
    const account = { provider: "github", providerAccountId: "42", type: "oauth" as const };
    await Promise.all([events.signIn!({ user: gh, account }), events.signIn!({ user: gh, account })]);
    await events.signIn!({ user: gh, account });
    expect(await verifiedAt(gh.id)).toBeInstanceOf(Date);
    expect(await balanceOf(gh.id)).toBe(WELCOME_CREDITS);
    expect(await ledgerRows(gh.id)).toBe(1);

    const google = await oauthUser("google-verified@example.com");
    await events.signIn!({ user: google, account: { provider: "google", providerAccountId: "7", type: "oidc" }, profile: { email_verified: true } });
    expect(await balanceOf(google.id)).toBe(WELCOME_CREDITS);
  });

  it("Google saying the email is not verified: no credits, not verified (the user confirms by mail)", async () => {
    const user = await oauthUser("google-unverified@example.com");
    await authConfig().events!.signIn!({ user, account: { provider: "google", providerAccountId: "8", type: "oidc" }, profile: { email_verified: false } });
    expect(await verifiedAt(user.id)).toBeNull();
    expect(await ledgerRows(user.id)).toBe(0);
  });

  it("an email + password sign-in grants nothing by itself", async () => {
    const user = await createUser(signUpInput.parse({ email: "pw-signin@example.com", password: PASSWORD }));
    await authConfig().events!.signIn!({ user: { id: user.id, email: user.email }, account: { provider: "credentials", providerAccountId: user.id, type: "credentials" } });
    expect(await ledgerRows(user.id)).toBe(0);
  });
});
