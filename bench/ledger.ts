/**
 * Ledger benchmark (docs/architecture.md, ledger invariant 4): the balance read must cost the same
 * for a user with 10 ledger rows as for one with 100,000. Prints the median
 * getUserCredits time for each, and their ratio (goal: <= 1.5 on PostgreSQL).
 */
import { sql } from "drizzle-orm";
import { openPglite, openPostgres, type Database } from "@/db";
import { users } from "@/db/schema";
import { decreaseCredits, getUserCredits, grantCredits } from "@/services/credits/ledger";
import { verifyLedger } from "@/services/credits/verify";
import { createPostgresDatabase } from "../tests/support/test-database";
import { median, percentile, printTable } from "./stats";

const BIG_GRANTS = 50_002;
const BIG_SPENDS = 49_998; // 100,000 ledger rows in all, 4 grants still active

async function seed(db: Database["db"]) {
  const [small] = await db.insert(users).values({ email: "bench-small@example.com" }).returning({ id: users.id });
  const [big] = await db.insert(users).values({ email: "bench-big@example.com" }).returning({ id: users.id });
  // Small user: 10 rows written through the service.
  for (let i = 0; i < 5; i++) await grantCredits({ userUuid: small.id, credits: 2, transType: "system_add", validityDays: 365 }, db);
  for (let i = 0; i < 5; i++) await decreaseCredits({ userUuid: small.id, credits: 1, transType: "task_text_to_video" }, db);
  // Big user: 100,000 rows, bulk-inserted in the exact shape the service writes
  // (grants fully used by one spend each, with allocations), then proven consistent
  // by the invariant checker below.
  const u = big.id;
  await db.execute(sql`
    INSERT INTO credits (trans_no, user_uuid, trans_type, credits, expired_at, created_at)
    SELECT 'bg_' || g, ${u}, 'system_add', 2, now() + interval '365 days', now() - (${BIG_GRANTS} - g) * interval '1 minute'
    FROM generate_series(1, ${BIG_GRANTS}) g`);
  await db.execute(sql`
    INSERT INTO credit_grants (trans_no, user_uuid, credits, remaining, expired_at, created_at)
    SELECT 'bg_' || g, ${u}, 2, CASE WHEN g <= ${BIG_SPENDS} THEN 0 ELSE 2 END, now() + interval '365 days',
           now() - (${BIG_GRANTS} - g) * interval '1 minute'
    FROM generate_series(1, ${BIG_GRANTS}) g`);
  await db.execute(sql`
    INSERT INTO credits (trans_no, user_uuid, trans_type, credits, expired_at, created_at)
    SELECT 'bs_' || g, ${u}, 'task_text_to_video', -2, now() + interval '365 days', now() - (${BIG_GRANTS} - g) * interval '1 minute' + interval '1 second'
    FROM generate_series(1, ${BIG_SPENDS}) g`);
  await db.execute(sql`
    INSERT INTO credit_allocations (trans_no, grant_trans_no, credits)
    SELECT 'bs_' || g, 'bg_' || g, 2 FROM generate_series(1, ${BIG_SPENDS}) g`);
  await db.execute(sql`ANALYZE`);
  return { small: small.id, big: big.id };
}

async function timeCalls(fn: () => Promise<unknown>, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

export async function runLedgerBench() {
  const adminUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
  let database: Database;
  let drop = async () => {};
  if (adminUrl) {
    process.env.TEST_DATABASE_URL = adminUrl;
    const fresh = await createPostgresDatabase("bench");
    database = openPostgres(fresh.url, { max: 4 });
    drop = fresh.drop;
  } else {
    console.log("(no BENCH_DATABASE_URL/TEST_DATABASE_URL: measuring on in-memory PGlite; the goal is stated for PostgreSQL)");
    database = openPglite();
  }
  try {
    await database.migrate();
    const seedStart = performance.now();
    const { small, big } = await seed(database.db);
    const seedMs = performance.now() - seedStart;
    const verifyStart = performance.now();
    const { offences } = await verifyLedger(database.db);
    const verifyMs = performance.now() - verifyStart;
    if (offences.length > 0) throw new Error(`seeded ledger is inconsistent: ${JSON.stringify(offences.slice(0, 3))}`);

    const rounds = 2000;
    await timeCalls(() => getUserCredits(small, database.db), 200);
    await timeCalls(() => getUserCredits(big, database.db), 200);
    // Interleave in blocks so drift on the machine hits both the same way.
    const s: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < 10; i++) {
      s.push(...(await timeCalls(() => getUserCredits(small, database.db), rounds / 10)));
      b.push(...(await timeCalls(() => getUserCredits(big, database.db), rounds / 10)));
    }
    const ss = [...s].sort((x, y) => x - y);
    const bs = [...b].sort((x, y) => x - y);
    const [balSmall, balBig] = [await getUserCredits(small, database.db), await getUserCredits(big, database.db)];
    const ms = (v: number) => v.toFixed(3);
    printTable(
      `Ledger balance read on ${database.kind} (getUserCredits, ${rounds} calls each; seeded in ${(seedMs / 1000).toFixed(1)} s, verified in ${(verifyMs / 1000).toFixed(1)} s)`,
      ["user", "ledger rows", "balance", "median ms", "p99 ms"],
      [
        ["baseline: 10 rows", 10, balSmall.balance, ms(median(s)), ms(percentile(ss, 99))],
        ["100,000 rows", BIG_GRANTS + BIG_SPENDS, balBig.balance, ms(median(b)), ms(percentile(bs, 99))],
      ],
    );
    const ratio = median(b) / median(s);
    console.log(`balance ratio (100,000 rows / 10 rows, median): ${ratio.toFixed(2)}  goal <= 1.5: ${ratio <= 1.5 ? "met" : "NOT met"}`);
    return { ratio, smallMedianMs: median(s), bigMedianMs: median(b), kind: database.kind };
  } finally {
    await database.close();
    await drop();
  }
}
