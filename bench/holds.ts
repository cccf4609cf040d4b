/**
 * Credit holds benchmark (docs/architecture.md, ledger invariant 7): how many holds a second
 * PostgreSQL completes against plain debits (decreaseCredits, one statement) measured in the
 * same run. Goal: holds per second >= 0.7x the debits.
 *
 * Both run through the services as the app calls them, WORKERS at once, each worker on its
 * own users (several grants each, so burn-downs span grants). Cells are interleaved (debits,
 * holds, BENCH_ROUNDS times, default 3) and the median ratio is reported with its spread;
 * BENCH_HOLD_SECONDS sets the length of a cell (default 3). The ledger is verified after.
 *
 *   hold alone        holdCredits, left open: the reservation, the figure the goal is read on;
 *   hold + settle     a hold's whole life in the usual metered case (holdCredits, then
 *                     settleHold of part of it: credits spent and credits given back). Two
 *                     ledger writes where a debit is one (the reservation must be durable
 *                     before the work starts, the settlement after it), so about half the
 *                     debits' rate is its natural ceiling; printed, not judged;
 *   ceiling           two write transactions that do nothing but take the user's row lock and
 *                     commit: what two commits cost on this host.
 */
import { sql } from "drizzle-orm";
import { openPostgres, type Database } from "@/db";
import { users } from "@/db/schema";
import { holdCredits, settleHold } from "@/services/credits/holds";
import { decreaseCredits, grantCredits } from "@/services/credits/ledger";
import { verifyLedger } from "@/services/credits/verify";
import { createPostgresDatabase } from "../tests/support/test-database";
import { median, percentile, printTable, runIfMain } from "./stats";

const WORKERS = 8;
const USERS_PER_WORKER = 8;

interface Cell {
  perSecond: number;
  latencies: number[];
}

/** Runs `op` in WORKERS loops for `ms`; each loop takes its users in turn. */
async function cell(workerUsers: string[][], ms: number, op: (user: string) => Promise<unknown>): Promise<Cell> {
  const until = performance.now() + ms;
  const latencies: number[] = [];
  const start = performance.now();
  await Promise.all(
    workerUsers.map(async (mine) => {
      for (let i = 0; performance.now() < until; i++) {
        const t = performance.now();
        await op(mine[i % mine.length]);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { perSecond: latencies.length / ((performance.now() - start) / 1000), latencies };
}

export async function runHoldsBench() {
  const adminUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    console.log("\nCredit holds: skipped (needs BENCH_DATABASE_URL or TEST_DATABASE_URL: the figure is for PostgreSQL)");
    return null;
  }
  process.env.TEST_DATABASE_URL = adminUrl;
  const fresh = await createPostgresDatabase("bench_holds");
  const database: Database = openPostgres(fresh.url, { max: WORKERS });
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const ms = Number(process.env.BENCH_HOLD_SECONDS ?? 3) * 1000;
  try {
    await database.migrate();
    const db = database.db;
    const workerUsers: string[][] = [];
    for (let w = 0; w < WORKERS; w++) {
      const mine: string[] = [];
      for (let i = 0; i < USERS_PER_WORKER; i++) {
        const [u] = await db.insert(users).values({ email: `bench-hold-${w}-${i}@example.com` }).returning({ id: users.id });
        // Three grants with different expiries: spends and holds burn down across them.
        for (const days of [30, 90, 365]) await grantCredits({ userUuid: u.id, credits: 400_000, transType: "system_add", validityDays: days }, db);
        mine.push(u.id);
      }
      workerUsers.push(mine);
    }
    const debit = (user: string) => decreaseCredits({ userUuid: user, credits: 3, transType: "task_bench" }, db);
    const holdAndSettle = async (user: string) => {
      const { hold } = await holdCredits(user, 5, { transType: "task_bench" }, db);
      await settleHold(hold, 3, db);
    };
    const holdOnly = (user: string) => holdCredits(user, 5, { transType: "task_bench" }, db);
    const lockOnly = (user: string) => db.execute(sql`SELECT 1 FROM users WHERE uuid = ${user} FOR NO KEY UPDATE`);
    const twoEmptyCommits = async (user: string) => {
      await lockOnly(user);
      await lockOnly(user);
    };
    // Warm-up: connections, prepared statements, plpgsql plans.
    await cell(workerUsers, 500, debit);
    await cell(workerUsers, 500, holdAndSettle);

    const debits: Cell[] = [];
    const holds: Cell[] = [];
    const ceilings: Cell[] = [];
    const holdsAlone: Cell[] = [];
    for (let r = 0; r < rounds; r++) {
      debits.push(await cell(workerUsers, ms, debit));
      holds.push(await cell(workerUsers, ms, holdAndSettle));
      holdsAlone.push(await cell(workerUsers, ms, holdOnly));
      ceilings.push(await cell(workerUsers, ms, twoEmptyCommits));
    }
    const { offences } = await verifyLedger(db);
    if (offences.length > 0) throw new Error(`ledger inconsistent after the holds bench: ${JSON.stringify(offences.slice(0, 3))}`);

    const ratios = holds.map((h, i) => h.perSecond / debits[i].perSecond);
    const ceiling = median(ceilings.map((c, i) => c.perSecond / debits[i].perSecond));
    const all = (cells: Cell[]) => cells.flatMap((c) => c.latencies).sort((a, b) => a - b);
    const ms3 = (v: number) => v.toFixed(2);
    printTable(
      `Credit holds on PostgreSQL: ${WORKERS} workers x ${USERS_PER_WORKER} users each, ${rounds} interleaved rounds of ${ms / 1000} s (median round; ledger verified after)`,
      ["operation", "per second", "median ms", "p99 ms"],
      [
        ["baseline: debit (decreaseCredits 3)", median(debits.map((c) => c.perSecond)).toFixed(0), ms3(median(all(debits))), ms3(percentile(all(debits), 99))],
        ["hold 5 + settle 3", median(holds.map((c) => c.perSecond)).toFixed(0), ms3(median(all(holds))), ms3(percentile(all(holds), 99))],
        ["hold 5 alone (left open)", median(holdsAlone.map((c) => c.perSecond)).toFixed(0), ms3(median(all(holdsAlone))), ms3(percentile(all(holdsAlone), 99))],
        ["ceiling: 2 empty write transactions", median(ceilings.map((c) => c.perSecond)).toFixed(0), ms3(median(all(ceilings))), ms3(percentile(all(ceilings), 99))],
      ],
    );
    const ratio = median(ratios);
    const aloneRatios = holdsAlone.map((h, i) => h.perSecond / debits[i].perSecond);
    const aloneRatio = median(aloneRatios);
    const spread = (values: number[]) => `spread ${Math.min(...values).toFixed(2)}-${Math.max(...values).toFixed(2)}`;
    console.log(`holds per second / debits per second: ${aloneRatio.toFixed(2)} (${spread(aloneRatios)})  goal >= 0.7: ${aloneRatio >= 0.7 ? "met" : "NOT met"}`);
    console.log(
      `a hold's whole life (hold + settle: two ledger writes) / debits: ${ratio.toFixed(2)} (${spread(ratios)})` +
        `  (two empty write transactions: ${ceiling.toFixed(2)} x the debits on this host)`,
    );
    return { ratio, ratios, ceiling, aloneRatio, debitsPerSecond: median(debits.map((c) => c.perSecond)), holdsPerSecond: median(holds.map((c) => c.perSecond)) };
  } finally {
    await database.close();
    await fresh.drop();
  }
}

// `npx tsx bench/holds.ts` runs this benchmark alone.
runIfMain(import.meta.url, runHoldsBench);
