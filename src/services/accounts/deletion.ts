import { and, eq, inArray, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { accountTokens, accounts, chatConversations, sessions, tasks, userNotices, users, verificationTokens } from "@/db/schema";
import { BadRequestError, ConflictError } from "@/lib/http/errors";
import { logger } from "@/lib/logger";
import { assertCurrentPassword } from "@/services/accounts/settings";
import { deleteStripeCustomer } from "@/services/payments/customers";
import { liveSubscription } from "@/services/payments/subscriptions";
import { forgetUserSessions } from "@/services/accounts/sessions";
import { requireActiveUser } from "@/services/accounts/users";
import { storage } from "@/services/storage";
import { deleteTaskOutputs, forgetTasksOf } from "@/services/tasks";
import { deleteWebhookEndpointsOf } from "@/services/webhooks";
import { forgetUploadsOf } from "@/services/uploads";

/** The address a deleted account keeps: unique, and undeliverable by definition (RFC 2606 .invalid). */
export function deletedEmail(userUuid: string): string {
  return `deleted-${userUuid}@invalid`;
}

/**
 * Deleting an account. The `users` row stays (the ledger, orders and tasks point at it, and
 * `credits:verify` checks them per user), stripped of everything personal:
 *   - users: email -> deleted-<uuid>@invalid, name, image, password, locale and
 *     email_verified cleared, disabled, session version bumped (every session ends: 401);
 *   - OAuth links (accounts), database sessions, mailed tokens: deleted;
 *   - tasks: stored outputs deleted (deleteTaskOutputs), prompts and provider answers
 *     cleared; the rows stay with their costs and ledger links;
 *   - chat: every conversation and its messages (what replies cost stays in the ledger);
 *   - uploads: every one, rows and stored bytes (forgetUploadsOf); an upload still
 *     arriving finds its row gone and deletes its bytes;
 *   - the Stripe customer (email, saved payment methods) is deleted at Stripe
 *     (deleteStripeCustomer); Stripe keeps the charges and invoices;
 *   - ledger rows (credits, grants, allocations), orders and the Stripe customer id stay
 *     as they are (accounting); they hold no personal data beyond the anonymized user.
 * Confirmation: accounts with a password give `currentPassword`; accounts without one
 * (GitHub, Google) type their email as `confirm`.
 * Refused (409) while a subscription still renews (cancel it in the billing portal first)
 * or a task is still running (its output would arrive after the deletion). A task started
 * in another tab during the deletion fails, refunded, and stores nothing (forgetTasksOf);
 * one started after it, through a session another instance still holds as active, is
 * refused by the debit itself (401: credits_debit refuses a disabled account's task).
 * Inputs: deleteAccountInput (src/lib/schemas/account.ts).
 */
export async function deleteAccount({
  userUuid,
  currentPassword,
  confirm,
}: {
  userUuid: string;
  currentPassword?: string;
  confirm?: string;
}): Promise<{ outputsDeleted: number }> {
  const db = getDb();
  const user = await requireActiveUser(userUuid, db);
  if (user.passwordHash) {
    if (currentPassword === undefined) throw new BadRequestError("currentPassword: is required", "currentPassword");
    await assertCurrentPassword(user, currentPassword);
  } else if (confirm === undefined || confirm.normalize("NFKC").trim().toLowerCase() !== user.email) {
    throw new BadRequestError("confirm: type your email address to confirm", "confirm");
  }
  const subscription = await liveSubscription(userUuid);
  if (subscription && !subscription.cancelAtPeriodEnd) {
    throw new ConflictError("subscription: cancel your subscription in the billing portal before deleting the account");
  }
  const [running] = await db
    .select({ uuid: tasks.uuid })
    .from(tasks)
    .where(and(eq(tasks.userUuid, userUuid), inArray(tasks.status, ["queued", "running"])))
    .limit(1);
  if (running) throw new ConflictError("tasks: a task is still running; delete the account when it has finished");

  // Outputs and the Stripe customer first: if storage or Stripe fails, nothing else has
  // changed and the user can try again.
  const outputsDeleted = await deleteTaskOutputs(userUuid);
  const stripeCustomerDeleted = await deleteStripeCustomer(userUuid);
  const storedMeanwhile = await db.transaction(async (tx) => {
    await tx.select({ id: users.id }).from(users).where(eq(users.id, userUuid)).for("update");
    await tx
      .update(users)
      .set({
        email: deletedEmail(userUuid),
        name: null,
        image: null,
        passwordHash: null,
        emailVerified: null,
        locale: null,
        disabledAt: new Date(),
        sessionVersion: sql`${users.sessionVersion} + 1`,
        updatedAt: new Date(),
      })
      .where(eq(users.id, userUuid));
    await tx.delete(accounts).where(eq(accounts.userId, userUuid));
    await tx.delete(sessions).where(eq(sessions.userId, userUuid));
    await tx.delete(accountTokens).where(eq(accountTokens.userUuid, userUuid));
    await tx.delete(verificationTokens).where(eq(verificationTokens.identifier, user.email));
    await tx.delete(userNotices).where(eq(userNotices.userUuid, userUuid));
    await tx.delete(chatConversations).where(eq(chatConversations.userUuid, userUuid));
    const stored = [...(await forgetTasksOf(userUuid, tx)), ...(await forgetUploadsOf(userUuid, tx))];
    // After forgetTasksOf: the events its failures wrote go with the endpoints.
    await deleteWebhookEndpointsOf(userUuid, tx);
    return stored;
  });
  for (const key of storedMeanwhile) {
    await storage()
      .delete(key)
      .catch((error) => logger.error({ userUuid, key, error: (error as Error).message }, "[account] deleting a stored output or upload failed"));
  }
  forgetUserSessions(userUuid);
  logger.info({ userUuid, outputsDeleted, stripeCustomerDeleted }, "[account] account deleted");
  return { outputsDeleted };
}
