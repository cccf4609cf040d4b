// The sweeper gets its own file (its own database): a sweep touches every unfinished task.
import { sql } from "drizzle-orm";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { getDb, openPostgres } from "@/db";
import { textToVideoMock } from "@/tasks/text-to-video/providers";
import { textToVideo } from "@/tasks/text-to-video";
import { createTextToVideoTask, getTaskForUser, sweepTasks } from "@/services/tasks";
import { startTaskSweeper, stopTaskSweeper } from "@/services/tasks/sweeper";
import { testDb } from "../support/setup-db";
import { balanceOf, collector, refundsOf, userWith } from "../support/task-helpers";

const isPostgres = process.env.TEST_DB_KIND === "postgres";
const input = { prompt: "Astronaut surfing", seconds: 8, aspectRatio: "landscape" as const };
const clock = { now: 1_700_000_000_000 };
const MOCK_DELAY = 10_000;

beforeEach(() => {
  textToVideo.providers.set("mock", textToVideoMock({ delayMs: MOCK_DELAY, now: () => clock.now }));
});
afterAll(() => {
  textToVideo.providers.set("mock", undefined);
  stopTaskSweeper();
});

describe("the sweeper", () => {
  it("finishes tasks nobody is watching and times out stuck ones with a refund", async () => {
    const u = await userWith(100);
    const bg = collector();
    const done = await createTextToVideoTask({ userUuid: u, ...input, seconds: 2 }, { background: bg.background });
    await bg.settle();
    // A slow job, and a task whose submission never happened (e.g. the server died after commit).
    textToVideo.providers.set("mock", textToVideoMock({ delayMs: 10 * 60_000, now: () => clock.now }));
    const stuck = await createTextToVideoTask({ userUuid: u, ...input, seconds: 3 }, { background: bg.background });
    const lost = await createTextToVideoTask({ userUuid: u, ...input, seconds: 4 }, { background: () => {} });
    await bg.settle();
    expect(await balanceOf(u)).toBe(100 - 4 - 6 - 8);

    clock.now += MOCK_DELAY;
    const first = await sweepTasks({ idleMs: 0, timeoutMs: 60_000 });
    // The never-submitted task is inside its queued grace: nothing to poll, not claimed.
    expect(first).toMatchObject({ claimed: 2, succeeded: 1, running: 1 });
    expect((await getTaskForUser(done.task.uuid, u, { refresh: false })).status).toBe("succeeded");

    await getDb().execute(sql`UPDATE tasks SET created_at = now() - interval '2 minutes' WHERE uuid IN (${stuck.task.uuid}, ${lost.task.uuid})`);
    const second = await sweepTasks({ idleMs: 0, timeoutMs: 60_000 });
    expect(second).toMatchObject({ claimed: 2, failed: 2 });
    for (const t of [stuck.task, lost.task]) {
      const row = await getTaskForUser(t.uuid, u, { refresh: false });
      expect(row.status).toBe("failed");
      expect(row.errorMessage).toMatch(/timed out/);
      expect(await refundsOf(t.uuid)).toBe(1);
    }
    expect(await balanceOf(u)).toBe(100 - 4);
    expect(await sweepTasks({ idleMs: 0, timeoutMs: 60_000 })).toMatchObject({ claimed: 0 });
  });

  it("fails and refunds a task still queued with no provider job after the grace, long before the timeout", async () => {
    const u = await userWith(100);
    const lost = await createTextToVideoTask({ userUuid: u, ...input, seconds: 4 }, { background: () => {} });
    const fresh = await createTextToVideoTask({ userUuid: u, ...input, seconds: 2 }, { background: () => {} });
    expect(await balanceOf(u)).toBe(100 - 8 - 4);
    // Within the grace nothing happens.
    expect(await sweepTasks({ idleMs: 0, queuedGraceMs: 60_000, timeoutMs: 10 * 60_000 })).toMatchObject({ claimed: 0 });
    await getDb().execute(sql`UPDATE tasks SET created_at = now() - interval '61 seconds' WHERE uuid = ${lost.task.uuid}`);
    const swept = await sweepTasks({ idleMs: 0, queuedGraceMs: 60_000, timeoutMs: 10 * 60_000 });
    expect(swept).toMatchObject({ claimed: 1, failed: 1, expired: 1 });
    const row = await getTaskForUser(lost.task.uuid, u, { refresh: false });
    expect(row.status).toBe("failed");
    expect(row.errorMessage).toMatch(/never started/);
    expect(await refundsOf(lost.task.uuid)).toBe(1);
    expect((await getTaskForUser(fresh.task.uuid, u, { refresh: false })).status).toBe("queued");
    expect(await balanceOf(u)).toBe(100 - 4);
    // Exactly once: a second sweep (or a late submit) changes nothing.
    expect(await sweepTasks({ idleMs: 0, queuedGraceMs: 60_000, timeoutMs: 10 * 60_000 })).toMatchObject({ claimed: 0 });
    expect(await refundsOf(lost.task.uuid)).toBe(1);
  });

  it("claims batches in proportion to the backlog, bounded per tick, and expires timed-out tasks in bulk", async () => {
    const u = await userWith(1000);
    const bg = collector();
    textToVideo.providers.set("mock", textToVideoMock({ delayMs: MOCK_DELAY, now: () => clock.now }));
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push((await createTextToVideoTask({ userUuid: u, ...input, seconds: 2 }, { background: bg.background })).task.uuid);
    const late: string[] = [];
    for (let i = 0; i < 7; i++) late.push((await createTextToVideoTask({ userUuid: u, ...input, seconds: 2 }, { background: bg.background })).task.uuid);
    await bg.settle();
    await getDb().execute(sql`UPDATE tasks SET created_at = now() - interval '1 hour' WHERE uuid IN ${late}`);
    clock.now += MOCK_DELAY;
    const options = { idleMs: 0, timeoutMs: 60_000, limit: 3, concurrency: 4 };
    // Bounded: at most maxTasks per sweep; expiries take at most half, so polling is never starved.
    const first = await sweepTasks({ ...options, maxTasks: 10 });
    expect(first).toMatchObject({ claimed: 10, expired: 5, failed: 5, succeeded: 5 });
    // The rest of the backlog in one sweep, several batches.
    const second = await sweepTasks({ ...options, maxTasks: 100 });
    expect(second).toMatchObject({ claimed: 9, expired: 2, succeeded: 7 });
    expect(second.batches).toBeGreaterThanOrEqual(3);
    for (const id of late) expect(await refundsOf(id)).toBe(1);
    for (const id of ids) expect((await getTaskForUser(id, u, { refresh: false })).status).toBe("succeeded");
    expect(await balanceOf(u)).toBe(1000 - 12 * 4);
  });

  it("polls providers with bounded concurrency", async () => {
    const u = await userWith(1000);
    const bg = collector();
    const inner = textToVideoMock({ delayMs: MOCK_DELAY, now: () => clock.now });
    let inFlight = 0;
    let most = 0;
    textToVideo.providers.set("mock", {
      ...inner,
      async fetchStatus(jobId) {
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, 20));
        inFlight--;
        return inner.fetchStatus(jobId);
      },
    });
    for (let i = 0; i < 10; i++) await createTextToVideoTask({ userUuid: u, ...input, seconds: 2 }, { background: bg.background });
    await bg.settle();
    clock.now += MOCK_DELAY;
    const swept = await sweepTasks({ idleMs: 0, timeoutMs: 60_000, limit: 100, concurrency: 3 });
    expect(swept).toMatchObject({ claimed: 10, succeeded: 10 });
    expect(most).toBe(3);
  });

  it("two sweeps at once claim disjoint tasks (FOR UPDATE SKIP LOCKED, claim bumps updated_at)", async () => {
    const u = await userWith(200);
    const bg = collector();
    textToVideo.providers.set("mock", textToVideoMock({ delayMs: 10 * 60_000, now: () => clock.now }));
    for (let i = 0; i < 6; i++) await createTextToVideoTask({ userUuid: u, ...input, seconds: 2 }, { background: bg.background });
    await bg.settle();
    await getDb().execute(sql`UPDATE tasks SET updated_at = now() - interval '1 hour' WHERE user_uuid = ${u}`);
    const pool = isPostgres ? openPostgres(testDb().url!, { max: 4 }) : null;
    try {
      const db2 = pool?.db ?? getDb();
      const [a, b] = await Promise.all([sweepTasks({ idleMs: 60_000, limit: 4 }), sweepTasks({ idleMs: 60_000, limit: 4, db: db2 })]);
      expect(a.claimed + b.claimed).toBe(6);
    } finally {
      await pool?.close();
    }
  });
});

describe("the in-process loop", () => {
  it("starts once per process and finishes tasks by itself", async () => {
    process.env.TASK_SWEEP_INTERVAL_MS = "100";
    const { resetEnvCache } = await import("@/lib/env");
    resetEnvCache();
    try {
      const u = await userWith(100);
      textToVideo.providers.set("mock", textToVideoMock({ delayMs: 0 }));
      const bg = collector();
      const { task } = await createTextToVideoTask({ userUuid: u, ...input }, { background: bg.background });
      await bg.settle();
      await getDb().execute(sql`UPDATE tasks SET updated_at = now() - interval '10 seconds' WHERE uuid = ${task.uuid}`);
      expect(startTaskSweeper()).toBe(true);
      expect(startTaskSweeper()).toBe(false);
      const deadline = Date.now() + 10_000;
      let status = "";
      while (Date.now() < deadline) {
        status = (await getTaskForUser(task.uuid, u, { refresh: false })).status;
        if (status === "succeeded") break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(status).toBe("succeeded");
    } finally {
      stopTaskSweeper();
      delete process.env.TASK_SWEEP_INTERVAL_MS;
      resetEnvCache();
    }
  });
});
