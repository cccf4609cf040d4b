// Issue 11, item 8: the rate_limits table no longer grows forever (one row per email
// and IP ever seen): the sweeper's round prunes windows that have expired.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, rowsOf } from "@/db";
import { hitRateLimit, pruneExpiredRateLimits } from "@/services/rate-limit";
import { runBackgroundRound } from "@/services/tasks/sweeper";

const keys = async () =>
  rowsOf<{ key: string }>(await getDb().execute(sql`SELECT key FROM rate_limits WHERE key LIKE 'prune:%' ORDER BY key`)).map((r) => r.key);

describe("pruning expired rate-limit windows", () => {
  it("the background round deletes windows older than a day and keeps current ones", async () => {
    await hitRateLimit("prune:old-1", 5, 60);
    await hitRateLimit("prune:old-2", 5, 900);
    await hitRateLimit("prune:current", 5, 60);
    await getDb().execute(sql`UPDATE rate_limits SET window_start = now() - interval '25 hours' WHERE key LIKE 'prune:old-%'`);
    const round = await runBackgroundRound({ idleMs: 0, expire: true });
    expect(round.prunedRateLimits).toBeGreaterThanOrEqual(2);
    expect(await keys()).toEqual(["prune:current"]);
  });

  it("works in batches", async () => {
    for (let i = 0; i < 5; i++) await hitRateLimit(`prune:batch-${i}`, 5, 60);
    await getDb().execute(sql`UPDATE rate_limits SET window_start = now() - interval '2 days' WHERE key LIKE 'prune:batch-%'`);
    expect(await pruneExpiredRateLimits({ batch: 3 })).toBe(3);
    expect(await pruneExpiredRateLimits({ batch: 3 })).toBe(2);
    expect(await pruneExpiredRateLimits({ batch: 3 })).toBe(0);
  });
});
