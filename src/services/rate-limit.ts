import { sql, type Placeholder, type SQL } from "drizzle-orm";
import { getDb, type Executor } from "@/db";
import { TooManyRequestsError, databaseError } from "@/lib/errors";

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

/** Counts one hit for `key`; throws TooManyRequestsError when it is over `limit` in the window. */
export async function hitRateLimit(
  key: string,
  limit: number,
  windowSeconds: number,
  db: Executor = getDb(),
): Promise<void> {
  try {
    await db.execute(sql`SELECT ${rateLimitSql(key, limit, windowSeconds)}`);
  } catch (error) {
    throw rateLimitError(error);
  }
}
