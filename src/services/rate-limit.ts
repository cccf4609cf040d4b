import { sql, type Placeholder, type SQL } from "drizzle-orm";
import { getDb, rowsOf, type Executor } from "@/db";
import { TooManyRequestsError, databaseError } from "@/lib/http/errors";
import { refusedForSeconds, rememberRefusal } from "@/lib/http/rate-limit-memo";

/**
 * Fixed-window counters shared by every app instance: one row per key in
 * `rate_limits`, bumped by the SQL function `rate_limit_hit`
 * (drizzle/0003_rate_limit_hit.sql), which raises once the key has been hit more
 * than `limit` times in the current window.
 */

/**
 * The hit as a SQL boolean expression (true, or an error that aborts the
 * statement), to guard another write in the same statement: then only requests
 * whose write commits are counted. Arguments may be placeholders of a prepared
 * statement. Map errors with `rateLimitError`.
 */
export function rateLimitSql(key: string | Placeholder, limit: number | Placeholder, windowSeconds: number | Placeholder): SQL<boolean> {
  return sql<boolean>`rate_limit_hit(${key}, ${limit}::int, ${windowSeconds}::int)`;
}

/** TooManyRequestsError (with Retry-After) for what `rate_limit_hit` raises; anything else as is. */
export function rateLimitError(error: unknown): unknown {
  const db = databaseError(error);
  return db?.code === "RL429" ? new TooManyRequestsError(Number(db.detail) || 1) : error;
}

// With `remember`, a key this instance has seen refused is refused again without a database
// round trip until its window ends: a fixed window that is full stays full until it ends,
// so a flood past the limit costs no connection from the pool and no row lock
// (src/lib/http/rate-limit-memo.ts). Opt-in: a counter reset in the database by hand is not
// seen here until the window ends.

/**
 * Counts one hit for `key`; throws TooManyRequestsError when it is over `limit` in the
 * window. With `remember`, a refused key is refused on this instance without the database
 * until its window ends, and `onRefused` runs once per key and window here (the first
 * refusal), for a log line that a flood cannot multiply.
 */
export async function hitRateLimit(
  key: string,
  limit: number,
  windowSeconds: number,
  db: Executor = getDb(),
  { remember = false, onRefused }: { remember?: boolean; onRefused?: (error: TooManyRequestsError) => void } = {},
): Promise<void> {
  const known = remember ? refusedForSeconds(key) : 0;
  if (known) throw new TooManyRequestsError(known);
  try {
    await db.execute(sql`SELECT ${rateLimitSql(key, limit, windowSeconds)}`);
  } catch (error) {
    const mapped = rateLimitError(error);
    if (remember && mapped instanceof TooManyRequestsError) {
      rememberRefusal(key, mapped.retryAfterSeconds);
      onRefused?.(mapped);
    }
    throw mapped;
  }
}

/**
 * No limiter may use a window longer than this: rows whose window started longer ago
 * have expired whatever their limiter, and are pruned.
 */
export const RATE_LIMIT_MAX_WINDOW_SECONDS = 24 * 60 * 60;

/**
 * Deletes counters whose window has expired (the table otherwise grows by one row per
 * key ever seen: every email and IP that tried to sign in). At most `batch` rows per
 * call, so the statement stays short; the sweeper calls it every minute. Returns how
 * many were deleted.
 */
export async function pruneExpiredRateLimits(
  options: { olderThanSeconds?: number; batch?: number } = {},
  db: Executor = getDb(),
): Promise<number> {
  const olderThan = options.olderThanSeconds ?? RATE_LIMIT_MAX_WINDOW_SECONDS;
  const batch = options.batch ?? 5000;
  const result = await db.execute(sql`
    DELETE FROM rate_limits WHERE key IN (
      SELECT key FROM rate_limits WHERE window_start < now() - make_interval(secs => ${olderThan}) LIMIT ${batch}
    ) RETURNING key`);
  return rowsOf(result).length;
}
