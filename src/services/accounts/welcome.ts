import crypto from "node:crypto";
import { eq } from "drizzle-orm";
import { getDb, type Executor } from "@/db";
import { credits, users, welcomeGrants } from "@/db/schema";
import { WELCOME_CREDITS, WELCOME_CREDITS_VALIDITY_DAYS } from "@/data/credits";
import { normalizeEmail } from "@/lib/email";
import { env, type Env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { TRANS_TYPES, grantCredits, inTransaction, lockUser } from "@/services/credits/ledger";

/**
 * The mailbox an address reaches, for the welcome credits' once-per-address rule: the
 * normalized address (normalizeEmail), googlemail.com read as gmail.com, without the
 * "+tag" at WELCOME_CREDITS_PLUS_TAG_DOMAINS and without the local part's dots at
 * WELCOME_CREDITS_DOTLESS_DOMAINS ("*" in either: every domain). So `A.B+promo@GoogleMail.com`
 * and `ab@gmail.com` are one mailbox; `a+1@example.com` and `a+2@example.com` are two unless
 * example.com is listed.
 */
export function welcomeAddress(email: string, e: Pick<Env, "WELCOME_CREDITS_PLUS_TAG_DOMAINS" | "WELCOME_CREDITS_DOTLESS_DOMAINS"> = env()): string {
  const address = normalizeEmail(email);
  const at = address.lastIndexOf("@");
  if (at < 1) return address;
  let local = address.slice(0, at);
  const domain = address.slice(at + 1) === "googlemail.com" ? "gmail.com" : address.slice(at + 1);
  const listed = (domains: string[]) => domains.includes("*") || domains.includes(domain) || (domain === "gmail.com" && domains.includes("googlemail.com"));
  if (listed(e.WELCOME_CREDITS_PLUS_TAG_DOMAINS)) local = local.split("+")[0] || local;
  if (listed(e.WELCOME_CREDITS_DOTLESS_DOMAINS)) local = local.replaceAll(".", "") || local;
  return `${local}@${domain}`;
}

/**
 * What welcome_grants keeps of an address: SHA-256 (hex) of its welcome form. A deleted
 * account's address is not kept in clear; the hash still recognises the same address
 * coming back (and, like any unsalted hash, confirms a guessed one: it hides the list,
 * not a known address).
 */
export function welcomeAddressHash(email: string, e?: Parameters<typeof welcomeAddress>[1]): string {
  return crypto.createHash("sha256").update(welcomeAddress(email, e), "utf8").digest("hex");
}

/**
 * The welcome grant: once per user (a keyed grant) and once per mailbox (welcome_grants,
 * kept across account deletion), whichever way the account was confirmed (email link,
 * OAuth, an email change) or, with EMAIL_VERIFICATION off, created. The address's row and
 * the grant are written in one transaction, under the user's lock: two accounts of one
 * mailbox confirming at once (a+1@ and a+2@gmail.com; a re-sign-up racing the old account's
 * confirmation) meet on the row's primary key, and only the first one's grant commits.
 * Returns whether credits were granted now.
 */
export async function grantWelcomeCredits(userUuid: string, db: Executor = getDb()): Promise<{ granted: boolean }> {
  const key = `${TRANS_TYPES.newUser}:${userUuid}`;
  return inTransaction(db, async (tx) => {
    await lockUser(tx, userUuid);
    const [already] = await tx.select({ transNo: credits.transNo }).from(credits).where(eq(credits.transNo, key));
    if (already) return { granted: false }; // a retry, a second confirmation, an email change
    const [user] = await tx.select({ email: users.email }).from(users).where(eq(users.id, userUuid));
    const recorded = await tx
      .insert(welcomeGrants)
      .values({ addressHash: welcomeAddressHash(user.email), userUuid })
      .onConflictDoNothing({ target: welcomeGrants.addressHash })
      .returning({ addressHash: welcomeGrants.addressHash });
    if (recorded.length === 0) {
      logger.info("[accounts] no welcome credits: this address (or another form of its mailbox) already had them");
      return { granted: false };
    }
    const { granted } = await grantCredits(
      { userUuid, credits: WELCOME_CREDITS, transType: TRANS_TYPES.newUser, validityDays: WELCOME_CREDITS_VALIDITY_DAYS, key, reason: "welcome credits" },
      tx,
    );
    return { granted };
  });
}
