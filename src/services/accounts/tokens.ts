import crypto from "node:crypto";
import { and, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import { getDb, type Executor } from "@/db";
import { accountTokens, verificationTokens, type AccountTokenKind } from "@/db/schema";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { tokenRateLimitKeys, type TokenRoute } from "@/lib/http/rate-limit-memo";
import { hitRateLimit } from "@/services/rate-limit";

/**
 * One-time tokens sent by mail. The raw token (32 random bytes, base64url) is only ever in
 * the mail's link; the table keeps its SHA-256. A token is used at most once: consuming it
 * is one UPDATE ... WHERE used_at IS NULL AND not expired, so two concurrent uses cannot
 * both succeed.
 */
const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;

export function hashToken(raw: string): string {
  return crypto.createHash("sha256").update(raw).digest("hex");
}

/** A new token for the user; earlier unused tokens of the same kind stop working. */
export async function issueAccountToken(
  { kind, userUuid, email, ttlSeconds }: { kind: AccountTokenKind; userUuid: string; email: string; ttlSeconds: number },
  db: Executor = getDb(),
): Promise<string> {
  const raw = crypto.randomBytes(32).toString("base64url");
  await db
    .update(accountTokens)
    .set({ usedAt: new Date() })
    .where(and(eq(accountTokens.userUuid, userUuid), eq(accountTokens.kind, kind), isNull(accountTokens.usedAt)));
  await db.insert(accountTokens).values({
    tokenHash: hashToken(raw),
    kind,
    userUuid,
    email,
    expiresAt: new Date(Date.now() + ttlSeconds * 1000),
  });
  return raw;
}

export type { TokenRoute };

/**
 * The limit on a route that takes a mailed token, before anything else it does: per client
 * address (when known, see clientIp) and from everyone together, in windows of
 * TOKEN_RATE_LIMIT_WINDOW_SECONDS. Guessing a 256-bit token is hopeless; the limit is
 * there so a flood of them cannot load the database or the server for everyone else. Past
 * the limit the refusal comes from memory (no database work; the server's request guard,
 * src/request-guard.ts, answers it before Next.js runs at all) and one line per key and
 * window is logged. Throws TooManyRequestsError.
 */
export async function checkTokenRateLimit(route: TokenRoute, ip: string | null): Promise<void> {
  const e = env();
  const window = e.TOKEN_RATE_LIMIT_WINDOW_SECONDS;
  const options = (scope: string) => ({
    remember: true,
    onRefused: () => logger.warn({ route, scope, ip: ip ?? "unknown" }, "[auth] token route rate-limited (further refusals this window are not logged)"),
  });
  const keys = tokenRateLimitKeys(route, ip);
  if (keys.ip) await hitRateLimit(keys.ip, e.TOKEN_RATE_LIMIT_PER_IP, window, getDb(), options("address"));
  await hitRateLimit(keys.global, e.TOKEN_RATE_LIMIT_GLOBAL, window, getDb(), options("global"));
}

/**
 * The wait before refusing an unknown, used or expired token (TOKEN_REFUSAL_DELAY_MS,
 * default 1 s): a timer, not work, so a client that guesses tokens in a loop gets one
 * answer per connection per second instead of keeping the server busy until the limit
 * stops it. Never inside a transaction (it would hold a connection).
 */
export async function refusedTokenDelay(): Promise<void> {
  const ms = env().TOKEN_REFUSAL_DELAY_MS;
  if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
}

/** The row of a token of this kind that is still usable: not used, not expired. */
const usable = (kind: AccountTokenKind, raw: string) =>
  and(eq(accountTokens.tokenHash, hashToken(raw)), eq(accountTokens.kind, kind), isNull(accountTokens.usedAt), gt(accountTokens.expiresAt, sql`now()`));

/** A usable token's user and email, without using it up (null when unknown, used or expired): a cheap indexed read. */
export async function findAccountToken(
  kind: AccountTokenKind,
  raw: string,
  db: Executor = getDb(),
): Promise<{ userUuid: string; email: string } | null> {
  if (!TOKEN_RE.test(raw)) return null;
  const [row] = await db
    .select({ userUuid: accountTokens.userUuid, email: accountTokens.email })
    .from(accountTokens)
    .where(usable(kind, raw));
  return row ?? null;
}

/**
 * Voids every open password-reset and email-change token of the user, and the sign-in
 * links mailed to `emails` (the account's addresses, before and after a change): a link
 * is good for the address and the password it was issued for. Called, in the same
 * transaction, by an email change, a password change and a password reset.
 */
export async function voidAccountTokens(userUuid: string, emails: string[], db: Executor = getDb()): Promise<void> {
  await db
    .update(accountTokens)
    .set({ usedAt: new Date() })
    .where(
      and(eq(accountTokens.userUuid, userUuid), inArray(accountTokens.kind, ["password_reset", "change_email"]), isNull(accountTokens.usedAt)),
    );
  if (emails.length > 0) await db.delete(verificationTokens).where(inArray(verificationTokens.identifier, emails));
}

/** Uses a token: its user and email, or null when unknown, tampered, used or expired. */
export async function consumeAccountToken(
  kind: AccountTokenKind,
  raw: string,
  db: Executor = getDb(),
): Promise<{ userUuid: string; email: string } | null> {
  if (!TOKEN_RE.test(raw)) return null;
  const [row] = await db
    .update(accountTokens)
    .set({ usedAt: sql`now()` })
    .where(usable(kind, raw))
    .returning({ userUuid: accountTokens.userUuid, email: accountTokens.email });
  return row ?? null;
}

/** Why a token cannot be used (after consumeAccountToken said no): for a clear answer. */
export async function accountTokenProblem(
  kind: AccountTokenKind,
  raw: string,
  db: Executor = getDb(),
): Promise<"unknown" | "used" | "expired"> {
  if (!TOKEN_RE.test(raw)) return "unknown";
  const [row] = await db
    .select({ usedAt: accountTokens.usedAt, expired: sql<boolean>`${accountTokens.expiresAt} <= now()` })
    .from(accountTokens)
    .where(and(eq(accountTokens.tokenHash, hashToken(raw)), eq(accountTokens.kind, kind)));
  if (!row) return "unknown";
  return row.usedAt ? "used" : "expired";
}
