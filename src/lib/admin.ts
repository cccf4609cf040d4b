import { notFound } from "next/navigation";
import { getCurrentUser, type CurrentUser } from "./current-user";
import { isAdminEmail } from "./admin-email";
import { ForbiddenError, UnauthorizedError } from "./errors";
import { logger } from "./logger";

export { isAdminEmail };

/**
 * The one authorization check of the operator console: every /api/admin/* route and
 * every admin page calls it before anything else.
 *   - "api" (default): 401 when signed out, 403 for a signed-in non-admin;
 *   - "page": the 404 page for both (the console's existence is not revealed).
 * A refused signed-in user is logged in one line (uuid only, no email).
 */
export async function requireAdmin(mode: "api" | "page" = "api"): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (user && isAdminEmail(user.email)) return user;
  if (user) logger.warn({ user: user.uuid }, "[admin] refused non-admin user");
  if (mode === "page") notFound();
  throw user ? new ForbiddenError("admins only") : new UnauthorizedError();
}
