import { normalizeEmail } from "../email";
import { env } from "../env";

/** True when the email (normalized) is listed in ADMIN_EMAILS. */
export function isAdminEmail(email: string): boolean {
  return env().ADMIN_EMAILS.includes(normalizeEmail(email));
}
