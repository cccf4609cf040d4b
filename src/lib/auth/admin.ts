import { notFound } from "next/navigation";
import { getCurrentUser, type CurrentUser } from "./current-user";
import { isAdminEmail } from "./admin-email";
import { ForbiddenError, UnauthorizedError } from "../http/errors";
import { logger } from "../logger";
import { requireActiveUser } from "@/services/accounts/users";

export { isAdminEmail };

/**
 * The one authorization check of the operator console: every /api/admin/* route and
 * every admin page calls it before anything else.
 *   - "api" (default): 401 when signed out, 403 for a signed-in non-admin;
 *   - "page": the 404 page for both (the console's existence is not revealed).
 * The email checked is the account's stored one, and it must be confirmed: ADMIN_EMAILS
 * may list an address nobody has registered yet (a first deploy, a second admin, a typo),
 * and whoever signs up with it must prove the mailbox (the confirmation link, a sign-in
 * link, or GitHub/Google vouching for it) before the console opens; until then it is an
 * ordinary account (403 / 404). A disabled or deleted account counts as signed out even
 * while its session is still cached as active.
 * A refused signed-in user is logged in one line (uuid only, no email).
 */
export async function requireAdmin(mode: "api" | "page" = "api"): Promise<CurrentUser> {
  const signedIn = await getCurrentUser();
  // The account as stored now, not as the session remembers it: another instance may have
  // disabled or deleted it (or changed its email) within SESSION_CHECK_INTERVAL_SECONDS.
  const account = signedIn && (await requireActiveUser(signedIn.uuid).catch(signedOut));
  const user = signedIn && account ? { ...signedIn, email: account.email } : null;
  const listed = !!user && isAdminEmail(user.email);
  if (user && listed && account?.emailVerified) return user;
  if (user && listed) logger.warn({ user: user.uuid }, "[admin] refused: the admin address is not confirmed");
  else if (user) logger.warn({ user: user.uuid }, "[admin] refused non-admin user");
  if (mode === "page") notFound();
  throw user ? new ForbiddenError("admins only") : new UnauthorizedError();
}

/** A 401 (the account is gone or disabled) reads as signed out; any other error propagates. */
function signedOut(error: unknown): null {
  if (error instanceof UnauthorizedError) return null;
  throw error;
}
