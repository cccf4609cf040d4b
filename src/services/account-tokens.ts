import crypto from "node:crypto";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { getDb, type Executor } from "@/db";
import { accountTokens, type AccountTokenKind } from "@/db/schema";

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
    .where(
      and(
        eq(accountTokens.tokenHash, hashToken(raw)),
        eq(accountTokens.kind, kind),
        isNull(accountTokens.usedAt),
        gt(accountTokens.expiresAt, sql`now()`),
      ),
    )
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
