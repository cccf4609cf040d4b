import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { accountTokens, users, verificationTokens } from "@/db/schema";
import { resetEnvCache } from "@/lib/env";
import { hashToken, issueAccountToken } from "@/services/accounts/tokens";
import { requestPasswordReset, resetPassword } from "@/services/accounts/password-reset";
import { isSessionActive, sessionVersionForSignIn } from "@/services/accounts/sessions";
import { authenticate, createUser, signUpInput } from "@/services/accounts/users";
import { confirmEmailChange } from "@/services/accounts/email-change";
import { changePassword } from "@/services/accounts/settings";
import { bodyOf, startSmtp, subjectOf, tokenFromMail, waitForMail } from "../support/smtp";

const OLD = "horse-battery-42";
const NEW = "a-brand-new-secret-9";

describe("password reset (mail over a real SMTP server)", () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  beforeAll(async () => {
    smtp = await startSmtp();
    process.env.SMTP_URL = smtp.url;
    resetEnvCache();
  });
  afterAll(async () => {
    delete process.env.SMTP_URL;
    resetEnvCache();
    await smtp.close();
  });

  async function mailedToken(email: string, locale?: string) {
    await requestPasswordReset({ email, locale, ip: "192.0.2.1" });
    return tokenFromMail(await waitForMail(smtp.received, email));
  }

  it("mails a single-use link; the new password works, the old does not, every session ends", async () => {
    const user = await createUser(signUpInput.parse({ email: "reset@example.com", password: OLD }));
    const session = { uid: user.id, sid: "s-1", sv: (await sessionVersionForSignIn(user.id))! };
    expect(await isSessionActive(session)).toBe(true);
    const { link, token } = await mailedToken("reset@example.com", "zh");
    expect(link).toMatch(/\/zh\/auth\/reset-password\?token=/);
    expect(subjectOf(smtp.received.at(-1)!.raw)).toBe("重置您的密码");
    // Only the hash is stored.
    const rows = await getDb().select().from(accountTokens).where(eq(accountTokens.userUuid, user.id));
    expect(rows.map((r) => r.tokenHash)).toEqual([hashToken(token)]);
    expect(JSON.stringify(rows)).not.toContain(token);

    await resetPassword({ token, password: NEW });
    expect(await authenticate("reset@example.com", OLD)).toBeNull();
    expect((await authenticate("reset@example.com", NEW))?.id).toBe(user.id);
    expect(await isSessionActive(session)).toBe(false);
    // Used once: a second use is a 400 naming the token, and changes nothing.
    await expect(resetPassword({ token, password: "yet-another-secret-7" })).rejects.toMatchObject({ status: 400, details: { field: "token" } });
    expect((await authenticate("reset@example.com", NEW))?.id).toBe(user.id);
  });

  it("a refused password keeps the token usable; unknown, tampered and expired tokens are 400", async () => {
    const user = await createUser(signUpInput.parse({ email: "rules@example.com", password: OLD }));
    const { token } = await mailedToken("rules@example.com");
    await expect(resetPassword({ token, password: "password1" })).rejects.toMatchObject({ status: 400, details: { field: "password" } });
    await expect(resetPassword({ token, password: "RULES@example.com" })).rejects.toMatchObject({ details: { field: "password" } });
    await resetPassword({ token, password: NEW });

    for (const bad of ["", "x", `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`, "a".repeat(43)]) {
      await expect(resetPassword({ token: bad, password: NEW })).rejects.toMatchObject({ status: 400, details: { field: "token" } });
    }
    const expired = await issueAccountToken({ kind: "password_reset", userUuid: user.id, email: user.email, ttlSeconds: -1 });
    await expect(resetPassword({ token: expired, password: NEW })).rejects.toMatchObject({ details: { field: "token" } });
  });

  it("a newer link replaces an older one", async () => {
    await createUser(signUpInput.parse({ email: "twice@example.com", password: OLD }));
    const first = await mailedToken("twice@example.com");
    smtp.received.length = 0;
    const second = await mailedToken("twice@example.com");
    await expect(resetPassword({ token: first.token, password: NEW })).rejects.toMatchObject({ details: { field: "token" } });
    await resetPassword({ token: second.token, password: NEW });
  });

  it("an unknown email gets the same (silent) answer and no mail; requests are rate-limited per email", async () => {
    smtp.received.length = 0;
    await requestPasswordReset({ email: "nobody@example.com", ip: "192.0.2.2" });
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.received).toHaveLength(0);
    for (let i = 0; i < 4; i++) await requestPasswordReset({ email: "nobody@example.com", ip: "192.0.2.2" });
    await expect(requestPasswordReset({ email: "nobody@example.com", ip: "192.0.2.2" })).rejects.toMatchObject({ status: 429 });
  });

  it("two concurrent resets with one token: exactly one wins", async () => {
    const user = await createUser(signUpInput.parse({ email: "race@example.com", password: OLD }));
    const { token } = await mailedToken("race@example.com");
    const results = await Promise.allSettled([
      resetPassword({ token, password: "first-racer-pass-1" }),
      resetPassword({ token, password: "second-racer-pass-2" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const [row] = await getDb().select({ v: users.sessionVersion }).from(users).where(eq(users.id, user.id));
    expect(row.v).toBe(1);
    expect(bodyOf(smtp.received.at(-1)!.raw)).toContain("60");
  });

  // Issue 26, item 2: a reset link outlived an email change and a password change.
  it("an email change, a password change and a reset void the account's open reset and sign-in links; a link for an old address is refused", async () => {
    const user = await createUser(signUpInput.parse({ email: "bound@example.com", password: OLD }));
    const reset = (email: string) => issueAccountToken({ kind: "password_reset", userUuid: user.id, email, ttlSeconds: 3600 });
    const signInLink = (identifier: string) =>
      getDb().insert(verificationTokens).values({ identifier, token: `hash-${crypto.randomUUID()}`, expires: new Date(Date.now() + 600_000) });
    const links = async (identifier: string) => (await getDb().select().from(verificationTokens).where(eq(verificationTokens.identifier, identifier))).length;

    // Email change: the reset link and the sign-in link mailed to the old address die.
    const beforeChange = await reset("bound@example.com");
    await signInLink("bound@example.com");
    const change = await issueAccountToken({ kind: "change_email", userUuid: user.id, email: "bound-new@example.com", ttlSeconds: 3600 });
    await confirmEmailChange({ token: change });
    await expect(resetPassword({ token: beforeChange, password: NEW })).rejects.toMatchObject({ status: 400, details: { field: "token" } });
    expect(await links("bound@example.com")).toBe(0);
    expect((await authenticate("bound-new@example.com", OLD))?.id).toBe(user.id);

    // A token that names an address the account no longer has is refused even if nothing voided it.
    const stale = await reset("bound@example.com");
    await expect(resetPassword({ token: stale, password: NEW })).rejects.toMatchObject({ details: { field: "token" } });

    // Password change: the open reset link and sign-in link die.
    const beforePassword = await reset("bound-new@example.com");
    await signInLink("bound-new@example.com");
    const changed = "owner-changed-it-again-33";
    await changePassword({ userUuid: user.id, currentPassword: OLD, newPassword: changed });
    await expect(resetPassword({ token: beforePassword, password: NEW })).rejects.toMatchObject({ details: { field: "token" } });
    expect(await links("bound-new@example.com")).toBe(0);
    expect((await authenticate("bound-new@example.com", changed))?.id).toBe(user.id);

    // A reset voids the other open links: an email-change link and a sign-in link.
    const pending = await issueAccountToken({ kind: "change_email", userUuid: user.id, email: "bound-third@example.com", ttlSeconds: 3600 });
    await signInLink("bound-new@example.com");
    await resetPassword({ token: await reset("bound-new@example.com"), password: NEW });
    await expect(confirmEmailChange({ token: pending })).rejects.toMatchObject({ status: 400, details: { field: "token" } });
    expect(await links("bound-new@example.com")).toBe(0);
    expect((await authenticate("bound-new@example.com", NEW))?.id).toBe(user.id);
    const rows = await getDb().select({ kind: accountTokens.kind, usedAt: accountTokens.usedAt }).from(accountTokens).where(eq(accountTokens.userUuid, user.id));
    expect(rows.filter((r) => r.kind !== "verify_email" && r.usedAt === null)).toEqual([]);
  });

  it("an unknown token is refused before the password is weighed or hashed: 400 naming token even for a weak password", async () => {
    await expect(resetPassword({ token: "A".repeat(43), password: "password1" })).rejects.toMatchObject({ details: { field: "token" } });
  });
});
