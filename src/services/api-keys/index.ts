/**
 * API keys: `Authorization: Bearer sk_live_...` for the routes API clients use (tasks,
 * uploads, credits read, MCP). The secret is shown once, at creation; only its SHA-256
 * is stored. Every request looks the hash up (no cache), so a revoked or expired key, or
 * any key of a disabled or deleted account, stops at once on every instance.
 *
 * The monthly credit cap is enforced by `api_key_charge` (drizzle/*_api_key_charge.sql)
 * inside the task's creation statement, after locking the key's row: the cap check, the
 * debit (or hold) and the task row commit together, so concurrent tasks cannot overspend.
 */
import crypto from "node:crypto";
import { and, desc, eq, isNull, sql, type Placeholder, type SQL } from "drizzle-orm";
import { getDb, rowsOf, type Executor } from "@/db";
import { apiKeys, creditHolds, type ApiKey } from "@/db/schema";
import { env } from "@/lib/env";
import { parseInput } from "@/lib/http/api";
import { AppError, ConflictError, NotFoundError, UnauthorizedError, databaseError } from "@/lib/http/errors";
import { API_KEY_PATTERN, apiKeyIdParam, createApiKeyInput, type ApiKeyDto, type CreatedApiKey } from "@/lib/schemas/api-keys";
import { holdCredits, type HoldOptions } from "@/services/credits/holds";
import { rateLimitError } from "@/services/rate-limit";
import { logger } from "@/lib/logger";

/** Active keys one account may hold at once. */
export const MAX_ACTIVE_API_KEYS = 25;
/** How many characters of the key are kept in the clear, to tell keys apart (`sk_live_` + 6). */
const SHOWN_PREFIX_LENGTH = 14;
/** last_used_at is written at most this often per key (a write per request would be wasteful). */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * The one 401 of the routes that take keys: a missing, malformed, unknown, revoked or expired
 * key, a key of a disabled or deleted account, and no credentials at all read the same.
 */
export class InvalidCredentialsError extends UnauthorizedError {
  constructor() {
    super("not signed in, or invalid API key: send Authorization: Bearer <key>");
  }
}

/** 402: the key's tasks this month would cost more than its monthly cap. */
export class ApiKeyCapReachedError extends AppError {
  constructor(readonly remaining: number) {
    super(402, "this API key's monthly credit cap is reached", { reason: "api_key_monthly_cap", remaining });
  }
}

/** Who an API request acts for: the key's owner, and the key (null for a browser session). */
export interface ApiCaller {
  uuid: string;
  email: string;
  name: string | null;
  apiKeyId: string | null;
}

export function hashApiKey(secret: string): string {
  return crypto.createHash("sha256").update(secret).digest("hex");
}

function keyPrefix(): string {
  return env().NODE_ENV === "production" ? "sk_live_" : "sk_test_";
}

/** The SQL of a key's spend this calendar month (UTC): api_key_spent (same migration as api_key_charge). */
export function apiKeySpentSql(keyId: SQL | string): SQL<number> {
  return sql<number>`api_key_spent(${keyId})`;
}

/**
 * The cap check as a SQL boolean expression (true, or an error that aborts the statement),
 * for the statement that debits or holds: it locks the key's row, so concurrent charges of
 * one key run one after the other, and refuses a revoked or expired key. True for null
 * (no key: a browser session). Map errors with `apiKeyError`.
 */
export function apiKeyChargeSql(keyId: string | null | Placeholder, credits: number | Placeholder): SQL<boolean> {
  return sql<boolean>`api_key_charge(${keyId}::text, ${credits}::int)`;
}

/** ApiKeyCapReachedError (402) / UnauthorizedError (revoked meanwhile) for what api_key_charge raises; anything else as is. */
export function apiKeyError(error: unknown): unknown {
  const db = databaseError(error);
  if (db?.code === "KEY01") return new InvalidCredentialsError();
  if (db?.code === "KEY02") return new ApiKeyCapReachedError(Number(db.detail) || 0);
  return error;
}

/**
 * holdCredits for a caller that may be an API key and whose hold pays for no task (a chat
 * reply): with a key, the cap check (api_key_charge, which locks the key's row), the hold and
 * its record against the key commit in one transaction, so concurrent holds of one key
 * cannot pass its cap together, and the hold counts in the key's spend (api_key_spent).
 */
export async function holdCreditsAs(
  apiKeyId: string | null,
  userUuid: string,
  credits: number,
  options: HoldOptions,
  db: Executor = getDb(),
): ReturnType<typeof holdCredits> {
  if (!apiKeyId) return holdCredits(userUuid, credits, options, db);
  return db.transaction(async (tx) => {
    try {
      await tx.execute(sql`SELECT ${apiKeyChargeSql(apiKeyId, credits)}`);
    } catch (error) {
      throw apiKeyError(error);
    }
    const result = await holdCredits(userUuid, credits, options, tx);
    await tx.update(creditHolds).set({ apiKeyId }).where(eq(creditHolds.id, result.hold.id));
    return result;
  });
}

type KeyRow = Pick<ApiKey, "id" | "name" | "prefix" | "createdAt" | "expiresAt" | "monthlyCreditCap" | "lastUsedAt" | "revokedAt"> & {
  spentThisMonth: number;
};

const keyColumns = {
  id: apiKeys.id,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  createdAt: apiKeys.createdAt,
  expiresAt: apiKeys.expiresAt,
  monthlyCreditCap: apiKeys.monthlyCreditCap,
  lastUsedAt: apiKeys.lastUsedAt,
  revokedAt: apiKeys.revokedAt,
  spentThisMonth: sql<number>`${apiKeySpentSql(sql`${apiKeys.id}`)}::int`.mapWith(Number),
};

const iso = (d: Date | string | null) => (d == null ? null : new Date(d).toISOString());

export function toApiKeyDto(r: KeyRow, now = Date.now()): ApiKeyDto {
  const status = r.revokedAt ? "revoked" : r.expiresAt && new Date(r.expiresAt).getTime() <= now ? "expired" : "active";
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    status,
    createdAt: iso(r.createdAt)!,
    expiresAt: iso(r.expiresAt),
    monthlyCreditCap: r.monthlyCreditCap,
    spentThisMonth: Number(r.spentThisMonth),
    lastUsedAt: iso(r.lastUsedAt),
    revokedAt: iso(r.revokedAt),
  };
}

/**
 * Creates a key for the user: { key: the secret (this once), apiKey: its record }.
 * 400 naming the field for bad input; 409 past MAX_ACTIVE_API_KEYS active keys.
 */
export async function createApiKey(userUuid: string, input: unknown, db: Executor = getDb()): Promise<CreatedApiKey> {
  const parsed = parseInput(createApiKeyInput, input);
  const key = `${keyPrefix()}${crypto.randomBytes(32).toString("base64url")}`;
  const row = await db.transaction(async (tx) => {
    // Counted under the user's lock, so concurrent creations cannot pass the limit together.
    await tx.execute(sql`SELECT 1 FROM users WHERE uuid = ${userUuid} FOR NO KEY UPDATE`);
    const [{ active }] = rowsOf<{ active: number }>(
      await tx.execute(sql`SELECT count(*)::int AS active FROM api_keys WHERE user_uuid = ${userUuid} AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`),
    );
    if (Number(active) >= MAX_ACTIVE_API_KEYS) throw new ConflictError(`at most ${MAX_ACTIVE_API_KEYS} active API keys; revoke one first`);
    const [inserted] = await tx
      .insert(apiKeys)
      .values({
        id: crypto.randomUUID(),
        userUuid,
        name: parsed.name,
        keyHash: hashApiKey(key),
        prefix: key.slice(0, SHOWN_PREFIX_LENGTH),
        expiresAt: parsed.expiresAt ? new Date(parsed.expiresAt) : null,
        monthlyCreditCap: parsed.monthlyCreditCap ?? null,
      })
      .returning();
    return inserted;
  });
  return { key, apiKey: toApiKeyDto({ ...row, spentThisMonth: 0 }) };
}

/** The user's keys, newest first, revoked ones included (for the record). */
export async function listApiKeys(userUuid: string, db: Executor = getDb()): Promise<ApiKeyDto[]> {
  const rows = await db.select(keyColumns).from(apiKeys).where(eq(apiKeys.userUuid, userUuid)).orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
  const now = Date.now();
  return rows.map((r) => toApiKeyDto(r, now));
}

/**
 * Revokes a key (effective on the next request, on every instance). `userUuid` limits it
 * to the owner's keys (404 otherwise); null: any key (the operator console). Revoking a
 * revoked key changes nothing. Returns the key as it was before and after.
 */
export async function revokeApiKey(
  id: string,
  userUuid: string | null,
  db: Executor = getDb(),
): Promise<{ before: ApiKeyDto; after: ApiKeyDto; userUuid: string }> {
  const keyId = parseInput(apiKeyIdParam, id);
  const owned = userUuid === null ? eq(apiKeys.id, keyId) : and(eq(apiKeys.id, keyId), eq(apiKeys.userUuid, userUuid));
  const [before] = await db.select({ ...keyColumns, userUuid: apiKeys.userUuid }).from(apiKeys).where(owned);
  if (!before) throw new NotFoundError("unknown API key");
  const [revoked] = await db
    .update(apiKeys)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt)))
    .returning({ revokedAt: apiKeys.revokedAt });
  const after = revoked ? { ...before, revokedAt: revoked.revokedAt } : before;
  return { before: toApiKeyDto(before), after: toApiKeyDto(after), userUuid: before.userUuid };
}

// A well-formed key's hash that no key has: a malformed key is looked up under it, so it
// costs the same query as a real one and gets the same 401 after the same work.
const NO_SUCH_KEY = hashApiKey(`sk_test_${"0".repeat(43)}-malformed`);

type AuthRow = { id: string; key_hash: string; user_uuid: string; email: string; name: string | null; last_used_at: Date | string | null; hit: boolean };

/**
 * The caller a secret stands for, or one UnauthorizedError for a missing, malformed,
 * unknown, revoked or expired key, or a key of a disabled or deleted account: one
 * indexed lookup of the hash in every case (no cache), then a constant-time comparison.
 * Counts the request against the key's rate limit (API_KEY_RATE_LIMIT_PER_MINUTE, 429)
 * in the same statement.
 */
export async function authenticateApiKey(secret: string, db: Executor = getDb()): Promise<ApiCaller> {
  const wellFormed = API_KEY_PATTERN.test(secret);
  const hash = wellFormed ? hashApiKey(secret) : (hashApiKey(secret.slice(0, 64)), NO_SUCH_KEY);
  let rows: AuthRow[];
  try {
    rows = rowsOf<AuthRow>(
      await db.execute(sql`
        SELECT k.id, k.key_hash, k.user_uuid, u.email, u.name, k.last_used_at,
               rate_limit_hit('api-key:' || k.id, ${env().API_KEY_RATE_LIMIT_PER_MINUTE}::int, 60) AS hit
        FROM api_keys k JOIN users u ON u.uuid = k.user_uuid
        WHERE k.key_hash = ${hash} AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())
          AND u.disabled_at IS NULL`),
    );
  } catch (error) {
    throw rateLimitError(error);
  }
  const row = rows[0];
  const matches = crypto.timingSafeEqual(Buffer.from(row?.key_hash ?? NO_SUCH_KEY), Buffer.from(hash));
  if (!row || !matches || !wellFormed) throw new InvalidCredentialsError();
  noteUse(row, db);
  return { uuid: row.user_uuid, email: row.email, name: row.name, apiKeyId: row.id };
}

/** Records that the key was used, at most once a minute per key, after the answer (never delays it). */
function noteUse(row: AuthRow, db: Executor) {
  const last = row.last_used_at ? new Date(row.last_used_at).getTime() : 0;
  if (Date.now() - last < LAST_USED_RESOLUTION_MS) return;
  void db
    .execute(
      sql`UPDATE api_keys SET last_used_at = now() WHERE id = ${row.id}
          AND (last_used_at IS NULL OR last_used_at < now() - make_interval(secs => ${LAST_USED_RESOLUTION_MS / 1000}))`,
    )
    .catch((error: Error) => logger.warn({ error: error.message }, "[api-keys] last_used_at not recorded"));
}
