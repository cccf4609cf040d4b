import { and, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db";
import { users, type User } from "@/db/schema";
import { BadRequestError, UnauthorizedError } from "@/lib/http/errors";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import type { updateAccountInput } from "@/lib/schemas/account";
import { forgetUserSessions } from "@/services/accounts/sessions";
import { voidAccountTokens } from "@/services/accounts/tokens";
import { assertStrongPassword, newPasswordRules, requireActiveUser } from "@/services/accounts/users";

/** What the account page needs to know beyond the session: the stored email and whether a password is set. */
export async function getAccount(userUuid: string): Promise<{ email: string; name: string | null; hasPassword: boolean } | null> {
  const [row] = await getDb()
    .select({ email: users.email, name: users.name, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, userUuid));
  return row ? { email: row.email, name: row.name, hasPassword: !!row.passwordHash } : null;
}

/**
 * Accounts with a password confirm sensitive changes with it: a 400 naming
 * `currentPassword` when it is wrong. Accounts without one (GitHub, Google) pass.
 */
export async function assertCurrentPassword(user: Pick<User, "passwordHash">, currentPassword: string | undefined) {
  if (user.passwordHash && !(await verifyPassword(currentPassword ?? "", user.passwordHash))) {
    throw new BadRequestError("currentPassword: is not your current password", "currentPassword");
  }
}

/**
 * Changes the password after checking the current one (accounts created through OAuth
 * have none and set their first one with an empty currentPassword). The new one must be
 * strong (assertStrongPassword). Every session of the user ends, and every open reset,
 * email-change and sign-in link dies with the old password; returns the new session
 * version so the caller can keep the current session.
 */
export async function changePassword({
  userUuid,
  currentPassword,
  newPassword,
}: {
  userUuid: string;
  currentPassword: string;
  newPassword: string;
}): Promise<{ sessionVersion: number }> {
  const user = await requireActiveUser(userUuid);
  await assertCurrentPassword(user, currentPassword);
  const parsed = z
    .object({ email: z.string(), newPassword: z.string() })
    .superRefine(newPasswordRules("newPassword"))
    .safeParse({ email: user.email, newPassword });
  if (!parsed.success) throw new BadRequestError(`newPassword: ${parsed.error.issues[0].message}`, "newPassword");
  await assertStrongPassword("newPassword", newPassword, user);
  const passwordHash = await hashPassword(newPassword);
  const row = await getDb().transaction(async (tx) => {
    const [updated] = await tx
      .update(users)
      .set({ passwordHash, sessionVersion: sql`${users.sessionVersion} + 1`, updatedAt: new Date() })
      .where(eq(users.id, userUuid))
      .returning({ sessionVersion: users.sessionVersion });
    await voidAccountTokens(userUuid, [user.email], tx);
    return updated;
  });
  forgetUserSessions(userUuid);
  return { sessionVersion: row.sessionVersion };
}

/** Sets the display name; 401 for a deleted or disabled account (nothing personal is written back). */
export async function updateAccount(userUuid: string, input: z.infer<typeof updateAccountInput>) {
  const [row] = await getDb()
    .update(users)
    .set({ name: input.name || null, updatedAt: new Date() })
    .where(and(eq(users.id, userUuid), isNull(users.disabledAt)))
    .returning({ name: users.name, email: users.email });
  if (!row) throw new UnauthorizedError();
  return row;
}
