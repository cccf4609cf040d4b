// Issue 14 (item 5): changing the email (a link to the new address, one confirm, the old
// address told, other sessions end) and deleting the account (personal data and stored
// outputs gone, the ledger kept and still verifying), with mail over a real SMTP server.
import { Readable } from "node:stream";
import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { authConfig } from "@/auth.config";
import { getDb } from "@/db";
import { accountTokens, accounts, credits, orders, subscriptions, tasks, users } from "@/db/schema";
import { WELCOME_CREDITS } from "@/data/credits";
import { changePassword, updateAccount } from "@/services/accounts/settings";
import { deleteAccount, deletedEmail } from "@/services/accounts/deletion";
import { UnauthorizedError } from "@/lib/http/errors";
import { verifyLedger } from "@/services/credits/verify";
import { confirmEmailChange, requestEmailChange } from "@/services/accounts/email-change";
import { markEmailVerified } from "@/services/accounts/email-verification";
import { getUserCredits } from "@/services/credits/ledger";
import { isSessionActive, sessionVersionForSignIn } from "@/services/accounts/sessions";
import { storage } from "@/services/storage";
import { createTextToVideoTask } from "@/services/tasks";
import { authenticate, createUser, emailSchema, findUserByEmail, signUpInput } from "@/services/accounts/users";
import { bodyOf, subjectOf, tokenFromMail, waitForMail } from "../support/smtp";
import { useSmtpServer } from "../support/smtp-hooks";
import { collector } from "../support/task-helpers";

const PASSWORD = "horse-battery-42";

describe("change email and delete account (mail over a real SMTP server)", () => {
  const smtp = useSmtpServer();

  const signUp = (email: string) => createUser(signUpInput.parse({ email, password: PASSWORD }));
  // A confirmed account: its welcome credits pay for the tasks below.
  const signUpVerified = async (email: string) => {
    const user = await signUp(email);
    await markEmailVerified(user.id);
    return user;
  };
  const sessionOf = async (userUuid: string, sid = crypto.randomUUID()) => ({ uid: userUuid, sid, sv: (await sessionVersionForSignIn(userUuid))! });

  describe("change email", () => {
    it("mails the new address; nothing changes until confirmed; then the email, verification, sessions and the old address's notice", async () => {
      const user = await signUp("old-address@example.com");
      const session = await sessionOf(user.id);
      // The new address is normalized like every other (fullwidth, spaces, case).
      await requestEmailChange({ userUuid: user.id, email: emailSchema.parse("  ＮＥＷ-Address@Example.COM "), currentPassword: PASSWORD, locale: "zh" });
      const mail = await waitForMail(smtp.received, "new-address@example.com");
      expect(subjectOf(mail.raw)).toBe("请确认您的新邮箱地址");
      const { link, token } = tokenFromMail(mail);
      expect(link).toMatch(/^http:\/\/localhost:3000\/zh\/account\/confirm-email\?token=/);
      // Only the hash is stored, with the new address.
      const [row] = await getDb().select().from(accountTokens).where(eq(accountTokens.userUuid, user.id));
      expect(row).toMatchObject({ kind: "change_email", email: "new-address@example.com" });
      expect(JSON.stringify(row)).not.toContain(token);
      // Not confirmed yet: the old address is still the account's.
      expect((await findUserByEmail("old-address@example.com"))?.id).toBe(user.id);
      expect(await isSessionActive(session)).toBe(true);

      const done = await confirmEmailChange({ token, locale: "zh" });
      expect(done).toMatchObject({ userUuid: user.id, email: "new-address@example.com", previousEmail: "old-address@example.com" });
      const [after] = await getDb().select().from(users).where(eq(users.id, user.id));
      expect(after.email).toBe("new-address@example.com");
      expect(after.emailVerified).toBeInstanceOf(Date);
      expect(after.sessionVersion).toBe(done.sessionVersion);
      expect(await isSessionActive(session)).toBe(false);
      expect(await authenticate("old-address@example.com", PASSWORD)).toBeNull();
      expect((await authenticate("NEW-address@example.com", PASSWORD))?.id).toBe(user.id);
      const notice = await waitForMail(smtp.received, "old-address@example.com");
      expect(subjectOf(notice.raw)).toBe("您的邮箱地址已更改");
      expect(bodyOf(notice.raw)).toContain("new-address@example.com");
      // The welcome grant stays once per user.
      expect((await getUserCredits(user.id)).balance).toBe(WELCOME_CREDITS);
      // Used once.
      await expect(confirmEmailChange({ token })).rejects.toMatchObject({ status: 400, details: { field: "token" } });
    });

    it("refuses a wrong password, the same address, a taken address (409); unknown tokens are 400", async () => {
      const user = await signUp("ce-rules@example.com");
      await signUp("ce-taken@example.com");
      await expect(requestEmailChange({ userUuid: user.id, email: "ce-else@example.com", currentPassword: "wrong-password-1" })).rejects.toMatchObject({
        status: 400,
        details: { field: "currentPassword" },
      });
      await expect(requestEmailChange({ userUuid: user.id, email: "ce-else@example.com" })).rejects.toMatchObject({ details: { field: "currentPassword" } });
      await expect(requestEmailChange({ userUuid: user.id, email: "ce-rules@example.com", currentPassword: PASSWORD })).rejects.toMatchObject({
        status: 400,
        details: { field: "email" },
      });
      await expect(requestEmailChange({ userUuid: user.id, email: "ce-taken@example.com", currentPassword: PASSWORD })).rejects.toMatchObject({ status: 409 });
      for (const bad of ["", "x", "a".repeat(43)]) {
        await expect(confirmEmailChange({ token: bad })).rejects.toMatchObject({ status: 400, details: { field: "token" } });
      }
    });

    it("an address taken between the request and the confirmation: 409, nothing changes, the token still works once it is free", async () => {
      const user = await signUp("ce-race@example.com");
      await requestEmailChange({ userUuid: user.id, email: "ce-race-new@example.com", currentPassword: PASSWORD });
      const { token } = tokenFromMail(await waitForMail(smtp.received, "ce-race-new@example.com"));
      const squatter = await signUp("ce-race-new@example.com");
      await expect(confirmEmailChange({ token })).rejects.toMatchObject({ status: 409 });
      expect((await findUserByEmail("ce-race@example.com"))?.id).toBe(user.id);
      await deleteAccount({ userUuid: squatter.id, currentPassword: PASSWORD });
      expect((await confirmEmailChange({ token })).email).toBe("ce-race-new@example.com");
    });

    it("an account without a password (OAuth) changes its email without one; a newer link replaces an older one", async () => {
      const oauth = await authConfig().adapter!.createUser!({ id: "", email: "ce-oauth@example.com", emailVerified: null });
      await requestEmailChange({ userUuid: oauth.id, email: "ce-oauth-1@example.com" });
      const first = tokenFromMail(await waitForMail(smtp.received, "ce-oauth-1@example.com"));
      await requestEmailChange({ userUuid: oauth.id, email: "ce-oauth-2@example.com" });
      const second = tokenFromMail(await waitForMail(smtp.received, "ce-oauth-2@example.com"));
      await expect(confirmEmailChange({ token: first.token })).rejects.toMatchObject({ status: 400 });
      expect((await confirmEmailChange({ token: second.token })).email).toBe("ce-oauth-2@example.com");
    });

    it("two confirmations of one token at once: exactly one changes the email", async () => {
      const user = await signUp("ce-twice@example.com");
      await requestEmailChange({ userUuid: user.id, email: "ce-twice-new@example.com", currentPassword: PASSWORD });
      const { token } = tokenFromMail(await waitForMail(smtp.received, "ce-twice-new@example.com"));
      const results = await Promise.allSettled([confirmEmailChange({ token }), confirmEmailChange({ token })]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const [row] = await getDb().select({ v: users.sessionVersion }).from(users).where(eq(users.id, user.id));
      expect(row.v).toBe(1);
    });
  });

  describe("delete account", () => {
    async function userWithHistory(email: string) {
      const user = await signUpVerified(email);
      // A finished task with a stored output, and a paid-looking order.
      const bg = collector();
      const { task } = await createTextToVideoTask({ userUuid: user.id, prompt: "my private prompt", seconds: 4, aspectRatio: "landscape" }, { background: bg.background });
      await bg.settle();
      const key = `tasks/${task.uuid}/output`;
      await storage().put(key, Readable.from([Buffer.from("video bytes")]), { contentType: "video/mp4" });
      await getDb().update(tasks).set({ status: "succeeded", outputKey: key, outputJson: '{"url":"x"}' }).where(eq(tasks.uuid, task.uuid));
      await getDb().insert(orders).values({ orderNo: `o-${task.uuid}`, userUuid: user.id, credits: 100, amount: 1000, currency: "usd", status: "paid" });
      await getDb().insert(accounts).values({ userId: user.id, type: "oauth", provider: "github", providerAccountId: `gh-${task.uuid}` });
      return { user, task, key };
    }

    it("anonymizes the user, deletes outputs and links, ends every session; the ledger and orders stay and verify clean", async () => {
      const { user, task, key } = await userWithHistory("delete-me@example.com");
      const session = await sessionOf(user.id);
      const ledgerBefore = (await getDb().select({ n: count() }).from(credits).where(eq(credits.userUuid, user.id)))[0].n;

      const result = await deleteAccount({ userUuid: user.id, currentPassword: PASSWORD });
      expect(result.outputsDeleted).toBe(1);

      const [row] = await getDb().select().from(users).where(eq(users.id, user.id));
      expect(row).toMatchObject({ email: deletedEmail(user.id), name: null, passwordHash: null, emailVerified: null, image: null });
      expect(row.disabledAt).toBeInstanceOf(Date);
      expect(JSON.stringify(row)).not.toContain("delete-me");
      expect(await isSessionActive(session)).toBe(false);
      expect(await sessionVersionForSignIn(user.id)).toBeNull();
      expect(await authenticate("delete-me@example.com", PASSWORD)).toBeNull();
      expect(await findUserByEmail("delete-me@example.com")).toBeNull();
      expect(await storage().head(key)).toBeNull();
      const [t] = await getDb().select().from(tasks).where(eq(tasks.uuid, task.uuid));
      expect(t).toMatchObject({ userInput: "{}", outputKey: null, outputJson: null, creditsUsed: task.creditsUsed });
      expect(await getDb().select().from(accounts).where(eq(accounts.userId, user.id))).toEqual([]);
      expect(await getDb().select().from(orders).where(eq(orders.userUuid, user.id))).toHaveLength(1);
      expect((await getDb().select({ n: count() }).from(credits).where(eq(credits.userUuid, user.id)))[0].n).toBe(ledgerBefore);
      expect((await verifyLedger()).offences).toEqual([]);
      // The address is free for a new account.
      expect((await signUp("delete-me@example.com")).id).not.toBe(user.id);
    });

    it("a session another instance still holds as active writes nothing back: name, password, email, task: 401", async () => {
      const user = await signUpVerified("delete-then-edit@example.com");
      await deleteAccount({ userUuid: user.id, currentPassword: PASSWORD });
      await expect(updateAccount(user.id, { name: "Still Me" })).rejects.toBeInstanceOf(UnauthorizedError);
      // A deleted account has no password, so a "first password" would otherwise be set.
      await expect(changePassword({ userUuid: user.id, currentPassword: "", newPassword: "another-horse-77" })).rejects.toBeInstanceOf(UnauthorizedError);
      await expect(
        requestEmailChange({ userUuid: user.id, email: "back-again@example.com", currentPassword: PASSWORD }),
      ).rejects.toBeInstanceOf(UnauthorizedError);
      await expect(
        createTextToVideoTask({ userUuid: user.id, prompt: "after deletion", seconds: 4, aspectRatio: "landscape" }),
      ).rejects.toBeInstanceOf(UnauthorizedError);
      const [row] = await getDb().select().from(users).where(eq(users.id, user.id));
      expect(row).toMatchObject({ email: deletedEmail(user.id), name: null, passwordHash: null });
      expect(await getDb().select().from(tasks).where(eq(tasks.userUuid, user.id))).toEqual([]);
    });

    it("asks the current password (400 naming it, nothing changes); accounts without one type their email", async () => {
      const user = await signUp("delete-rules@example.com");
      for (const currentPassword of [undefined, "wrong-password-1"]) {
        await expect(deleteAccount({ userUuid: user.id, currentPassword })).rejects.toMatchObject({ status: 400, details: { field: "currentPassword" } });
      }
      expect((await findUserByEmail("delete-rules@example.com"))?.id).toBe(user.id);

      const oauth = await authConfig().adapter!.createUser!({ id: "", email: "delete-oauth@example.com", emailVerified: null });
      for (const confirm of [undefined, "someone@example.com"]) {
        await expect(deleteAccount({ userUuid: oauth.id, confirm })).rejects.toMatchObject({ status: 400, details: { field: "confirm" } });
      }
      await deleteAccount({ userUuid: oauth.id, confirm: " Delete-OAuth@Example.com " });
      expect(await findUserByEmail("delete-oauth@example.com")).toBeNull();
    });

    it("refuses (409) while a task runs or a subscription renews; nothing changes", async () => {
      const user = await signUpVerified("delete-busy@example.com");
      const bg = collector();
      const { task } = await createTextToVideoTask({ userUuid: user.id, prompt: "still running", seconds: 4, aspectRatio: "landscape" }, { background: bg.background });
      await bg.settle();
      await expect(deleteAccount({ userUuid: user.id, currentPassword: PASSWORD })).rejects.toMatchObject({ status: 409, message: /^tasks:/ });
      await getDb().update(tasks).set({ status: "failed" }).where(eq(tasks.uuid, task.uuid));
      await getDb().insert(subscriptions).values({ id: `sub_${user.id}`, userUuid: user.id, customerId: "cus_x", plan: "pro", interval: "month", status: "active" });
      await expect(deleteAccount({ userUuid: user.id, currentPassword: PASSWORD })).rejects.toMatchObject({ status: 409, message: /^subscription:/ });
      expect((await findUserByEmail("delete-busy@example.com"))?.id).toBe(user.id);
      await getDb().update(subscriptions).set({ cancelAtPeriodEnd: true }).where(eq(subscriptions.userUuid, user.id));
      await deleteAccount({ userUuid: user.id, currentPassword: PASSWORD });
      expect(await findUserByEmail("delete-busy@example.com")).toBeNull();
    });
  });
});
