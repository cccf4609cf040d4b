import { sql } from "drizzle-orm";
import { getDb, rowsOf, type Executor } from "@/db";
import { TooManyRequestsError } from "@/lib/errors";

/**
 * Fixed-window counter shared by every app instance (one row per key in
 * `rate_limits`, bumped in a single upsert). Throws TooManyRequestsError when the
 * key has been hit more than `limit` times in the current window.
 */
export async function hitRateLimit(
  key: string,
  limit: number,
  windowSeconds: number,
  db: Executor = getDb(),
): Promise<void> {
  const result = await db.execute(sql`
    INSERT INTO rate_limits (key, count, window_start) VALUES (${key}, 1, now())
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN rate_limits.window_start <= now() - make_interval(secs => ${windowSeconds})
                   THEN 1 ELSE rate_limits.count + 1 END,
      window_start = CASE WHEN rate_limits.window_start <= now() - make_interval(secs => ${windowSeconds})
                   THEN now() ELSE rate_limits.window_start END
    RETURNING count, extract(epoch FROM (window_start + make_interval(secs => ${windowSeconds}) - now()))::float AS retry_after`);
  const [row] = rowsOf<{ count: number; retry_after: number }>(result);
  if (Number(row.count) > limit) {
    throw new TooManyRequestsError(Math.max(1, Math.ceil(Number(row.retry_after))));
  }
}

