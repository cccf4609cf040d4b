/**
 * Sweeper benchmark (issue: background throughput), on PostgreSQL (BENCH_DATABASE_URL or
 * TEST_DATABASE_URL), with the in-process sweeper exactly as `next start` runs it:
 * 1. 2,000 in-flight mock tasks, webhooks off (the mock has none): the time from the mock
 *    job's completion to the task's `succeeded` row, p50/p99, as a ratio of the sweep
 *    interval (goal: p99 <= 2 x the interval).
 * 2. 10,000 timed-out tasks: the time until all are failed and refunded, against the old
 *    sweeper's ceiling (25 tasks per tick, one tick per interval) in the same interval.
 * Alone: `npx tsx bench/sweeper.ts` (TASK_SWEEP_INTERVAL_MS picks the interval, default 5000).
 */
import { count, inArray, sql } from "drizzle-orm";
import { openPostgres, rowsOf, setDatabase, type Database } from "@/db";
import { tasks, users } from "@/db/schema";
import { resetEnvCache } from "@/lib/env";
import { grantCredits } from "@/services/credits/ledger";
import { verifyLedger } from "@/services/credits/verify";
import type { TaskProvider } from "@/services/ai/types";
import { createTextToVideoTask } from "@/services/tasks";
import { startTaskSweeper, stopTaskSweeper } from "@/services/tasks/sweeper";
import { textToVideo } from "@/tasks/text-to-video";
import { textToVideoMock } from "@/tasks/text-to-video/providers";
import { createPostgresDatabase } from "../tests/support/test-database";
import { percentile, printTable, runIfMain } from "./stats";

const IN_FLIGHT = 2_000;
const TIMED_OUT = 10_000;
const MOCK_DELAY_MS = 5_000;
const OLD_PER_TICK = 25;
const input = { prompt: "bench", seconds: 2, aspectRatio: "landscape" as const };

async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

async function makeUsers(db: Database["db"], n: number, creditsEach: number): Promise<string[]> {
  const rows = await db
    .insert(users)
    .values(Array.from({ length: n }, (_, i) => ({ email: `bench-sweep-${Date.now()}-${i}@example.com` })))
    .returning({ id: users.id });
  for (const r of rows) await grantCredits({ userUuid: r.id, credits: creditsEach, transType: "system_add", validityDays: 30 }, db);
  return rows.map((r) => r.id);
}

/** Creates `n` tasks (4 credits each) spread over `owners`, 16 at a time; `background` receives each submission. */
async function createTasks(owners: string[], n: number, background: (job: () => Promise<unknown>) => void): Promise<string[]> {
  const ids: string[] = [];
  await eachLimited(Array.from({ length: n }, (_, i) => i), 16, async (i) => {
    const { task } = await createTextToVideoTask({ userUuid: owners[i % owners.length], ...input }, { background });
    ids.push(task.uuid);
  });
  return ids;
}

async function unfinished(db: Database["db"], ids: string[]): Promise<number> {
  let left = 0;
  for (let i = 0; i < ids.length; i += 1000) {
    const [row] = await db
      .select({ n: count() })
      .from(tasks)
      .where(sql`${inArray(tasks.uuid, ids.slice(i, i + 1000))} AND ${tasks.status} IN ('queued', 'running')`);
    left += row.n;
  }
  return left;
}

async function waitFinished(db: Database["db"], ids: string[], limitMs: number): Promise<number> {
  const start = performance.now();
  while (performance.now() - start < limitMs) {
    if ((await unfinished(db, ids)) === 0) return performance.now() - start;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`tasks still unfinished after ${limitMs} ms`);
}

export async function runSweeperBench() {
  const adminUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    console.log("\nsweeper: skipped (needs BENCH_DATABASE_URL or TEST_DATABASE_URL: PostgreSQL)");
    return;
  }
  process.env.TEST_DATABASE_URL = adminUrl;
  const saved = { rate: process.env.TASK_RATE_LIMIT_PER_MINUTE, interval: process.env.TASK_SWEEP_INTERVAL_MS };
  process.env.TASK_RATE_LIMIT_PER_MINUTE = "1000000";
  process.env.TASK_SWEEP_INTERVAL_MS ??= "5000";
  resetEnvCache();
  const intervalMs = Number(process.env.TASK_SWEEP_INTERVAL_MS);
  const fresh = await createPostgresDatabase("benchsweep");
  const database = openPostgres(fresh.url);
  try {
    await database.migrate();
    setDatabase(database);
    const db = database.db;

    // 1. 2,000 in-flight tasks finished by polling alone.
    const doneAt = new Map<string, number>();
    const inner = textToVideoMock({ delayMs: MOCK_DELAY_MS });
    const timed: TaskProvider<typeof input> = {
      ...inner,
      async submit(params, context) {
        const submitted = await inner.submit(params, context);
        doneAt.set(context.taskUuid, Date.now() + MOCK_DELAY_MS);
        return submitted;
      },
    };
    textToVideo.providers.set("mock", timed);
    // Balances large enough that no low-balance notice is sent.
    const owners = await makeUsers(db, 50, (IN_FLIGHT / 50) * 4 * 10);
    const submissions: Array<() => Promise<unknown>> = [];
    // The sweeper runs throughout (started before the burst, so its ticks fall at no chosen phase).
    startTaskSweeper();
    const ids = await createTasks(owners, IN_FLIGHT, (job) => submissions.push(job));
    // All submitted together, so all 2,000 are in flight at once.
    await Promise.all(submissions.map((job) => job()));
    const drainMs = await waitFinished(db, ids, 10 * 60_000);
    stopTaskSweeper();
    const finished = await db
      .select({ uuid: tasks.uuid, status: tasks.status, completedAt: tasks.completedAt })
      .from(tasks)
      .where(inArray(tasks.uuid, ids));
    const lags = finished.map((t) => t.completedAt!.getTime() - doneAt.get(t.uuid)!).sort((a, b) => a - b);
    const succeeded = finished.filter((t) => t.status === "succeeded").length;
    const p50 = percentile(lags, 50);
    const p99 = percentile(lags, 99);
    printTable(
      `sweeper: ${IN_FLIGHT} in-flight mock tasks (${MOCK_DELAY_MS / 1000} s jobs), webhooks off, sweep interval ${intervalMs} ms`,
      ["mock done -> succeeded", "ms", "x interval"],
      [
        ["p50", p50.toFixed(0), (p50 / intervalMs).toFixed(2)],
        ["p99", p99.toFixed(0), (p99 / intervalMs).toFixed(2)],
        ["max", lags[lags.length - 1].toFixed(0), (lags[lags.length - 1] / intervalMs).toFixed(2)],
      ],
    );
    console.log(`succeeded ${succeeded}/${IN_FLIGHT}; all finished ${(drainMs / 1000).toFixed(1)} s after the sweeper started; goal p99 <= 2.00 x interval: ${p99 <= 2 * intervalMs ? "met" : "NOT met"}`);

    // 2. 10,000 timed-out tasks (never submitted, created an hour ago): failed and refunded.
    const payers = await makeUsers(db, 100, (TIMED_OUT / 100) * 4 * 10);
    const stuck = await createTasks(payers, TIMED_OUT, () => {});
    for (let i = 0; i < stuck.length; i += 1000) {
      await db.execute(sql`UPDATE tasks SET created_at = now() - interval '1 hour', updated_at = now() - interval '1 hour'
                           WHERE ${inArray(tasks.uuid, stuck.slice(i, i + 1000))}`);
    }
    startTaskSweeper();
    const refundMs = await waitFinished(db, stuck, 30 * 60_000);
    stopTaskSweeper();
    const [refunds] = rowsOf<{ n: number }>(
      await db.execute(sql`SELECT count(*)::int AS n FROM credits WHERE trans_type = 'refund' AND task_uuid IN (
                             SELECT uuid FROM tasks WHERE status = 'failed')`),
    );
    const { offences } = await verifyLedger(db);
    const oldMs = Math.ceil(TIMED_OUT / OLD_PER_TICK) * intervalMs;
    printTable(
      `sweeper: ${TIMED_OUT} timed-out tasks failed + refunded, sweep interval ${intervalMs} ms`,
      ["", "seconds", "tasks/s"],
      [
        ["this sweeper", (refundMs / 1000).toFixed(1), (TIMED_OUT / (refundMs / 1000)).toFixed(0)],
        [`old ceiling (${OLD_PER_TICK} per tick)`, (oldMs / 1000).toFixed(0), ((OLD_PER_TICK * 1000) / intervalMs).toFixed(0)],
      ],
    );
    console.log(`refunds written ${refunds.n}/${TIMED_OUT}; ledger verify offences ${offences.length}; speed-up vs the old ceiling: ${(oldMs / refundMs).toFixed(0)} x`);
  } finally {
    stopTaskSweeper();
    textToVideo.providers.set("mock", undefined);
    setDatabase(undefined);
    await database.close();
    await fresh.drop();
    restore("TASK_RATE_LIMIT_PER_MINUTE", saved.rate);
    restore("TASK_SWEEP_INTERVAL_MS", saved.interval);
    resetEnvCache();
  }
}

function restore(name: string, value: string | undefined) {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

runIfMain(import.meta.url, runSweeperBench);
