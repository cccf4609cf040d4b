// Following a task (what the live-status stream sends) and the history's filters.
import { eq } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { tasks } from "@/db/schema";
import { resetEnvCache } from "@/lib/env";
import { BadRequestError, TooManyRequestsError } from "@/lib/http/errors";
import { createTextToVideoTask, failTask, getTaskForUser, listTasks, openTaskWatch, watchTask } from "@/services/tasks";
import { stopTaskWatchHub } from "@/services/tasks/watch";
import { textToVideo } from "@/tasks/text-to-video";
import { textToVideoMock } from "@/tasks/text-to-video/providers";
import { testDb } from "../support/setup-db";
import { collector, userWith } from "../support/task-helpers";

const input = { prompt: "A heron in the reeds", seconds: 2, aspectRatio: "landscape" as const };
const clock = { now: 1_700_000_000_000 };
const MOCK_DELAY = 10_000;

beforeEach(() => {
  textToVideo.providers.set("mock", textToVideoMock({ delayMs: MOCK_DELAY, now: () => clock.now }));
});
afterAll(async () => {
  textToVideo.providers.set("mock", undefined);
  await stopTaskWatchHub(); // its LISTEN connection, before the database is dropped
  delete process.env.DATABASE_LISTEN_URL;
  resetEnvCache();
});

async function runningTask(u: string) {
  const bg = collector();
  const { task } = await createTextToVideoTask({ userUuid: u, ...input }, { background: bg.background });
  await bg.settle();
  return getTaskForUser(task.uuid, u, { refresh: false });
}

describe("watchTask", () => {
  it("yields the task now, then each change of status or progress, and ends when it is finished", async () => {
    const u = await userWith(100);
    const task = await runningTask(u);
    const watch = watchTask(task);

    const first = await watch.next();
    expect(first.value).toMatchObject({ uuid: task.uuid, status: "running" });
    const startProgress = first.value!.progress;

    clock.now += MOCK_DELAY / 2;
    const second = await watch.next();
    expect(second.value!.status).toBe("running");
    expect(second.value!.progress).toBeGreaterThan(startProgress);

    clock.now += MOCK_DELAY;
    const third = await watch.next();
    expect(third.value).toMatchObject({ status: "succeeded", progress: 100 });
    expect(third.value!.outputKey).toBeTruthy();
    expect((await watch.next()).done).toBe(true);
  });

  it("a finished task is yielded once; a failure is yielded as failed", async () => {
    const u = await userWith(100);
    const task = await runningTask(u);
    await failTask(task.uuid, "provider said no", undefined, { errorCode: "content_rejected" });
    const seen = [];
    for await (const t of watchTask(task)) seen.push(t);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ status: "failed", errorCode: "content_rejected" });
  });

  it("from a stale copy: the first read is sent, the watcher's later report of that same state is not (only changes, never twice)", async () => {
    const u = await userWith(100);
    const task = await runningTask(u);
    // The caller's copy is older than the database (the route read it before the stream opened).
    const stale = { ...task, status: "queued" as const, progress: 0 };
    const seen = [];
    for await (const t of watchTask(stale, { maxMs: 2_500 })) seen.push(`${t.status}:${t.progress}`);
    expect(seen).toEqual([`running:${task.progress}`]);
  });

  it("stops when its signal aborts, and after maxMs", async () => {
    const u = await userWith(100);
    const task = await runningTask(u);
    const controller = new AbortController();
    const watch = watchTask(task, { signal: controller.signal });
    expect((await watch.next()).value!.status).toBe("running");
    const pending = watch.next();
    controller.abort();
    expect((await pending).done).toBe(true);

    const short = watchTask(task, { maxMs: 30 });
    const started = Date.now();
    const seen = [];
    for await (const t of short) seen.push(t.status);
    expect(seen).toEqual(["running"]); // the clock did not move: no change to send
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

// Issue 26, item 4: one account's 500 streams each read the database every second.
describe("one watcher per instance, streams capped", () => {
  it("TASK_EVENTS_MAX_STREAMS_PER_USER (10) streams per user: the 11th is a 429 with Retry-After; a released slot is free again", () => {
    const user = crypto.randomUUID();
    const releases = Array.from({ length: 10 }, () => openTaskWatch(user));
    const refused = (() => {
      try {
        openTaskWatch(user);
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(TooManyRequestsError);
    expect((refused as TooManyRequestsError).retryAfterSeconds).toBeGreaterThan(0);
    expect(() => openTaskWatch(crypto.randomUUID())).not.toThrow(); // another user is not affected
    releases[0]();
    releases[0](); // twice is once
    const again = openTaskWatch(user);
    expect(() => openTaskWatch(user)).toThrow(TooManyRequestsError);
    for (const release of [...releases.slice(1), again]) release();
  });

  it("200 watches of one task are served by one read per change; all see each change", async () => {
    const u = await userWith(100);
    const task = await runningTask(u);
    const watches = Array.from({ length: 200 }, () => watchTask(task));
    const firsts = await Promise.all(watches.map((w) => w.next()));
    expect(firsts.every((f) => f.value?.status === "running")).toBe(true);
    await failTask(task.uuid, "provider said no", undefined, { errorCode: "content_rejected" });
    const seconds = await Promise.all(watches.map((w) => w.next()));
    expect(seconds.every((f) => f.value?.status === "failed")).toBe(true);
    expect((await Promise.all(watches.map((w) => w.next()))).every((f) => f.done)).toBe(true);
  });

  it.runIf(process.env.TEST_DB_KIND === "postgres")("PostgreSQL: a change made on another connection (another instance) reaches the stream through NOTIFY, promptly", async () => {
    process.env.DATABASE_LISTEN_URL = testDb().url!;
    resetEnvCache();
    await stopTaskWatchHub();
    const u = await userWith(100);
    const task = await runningTask(u);
    // The provider would move it (it is the watcher's own poll): freeze the mock's clock far away instead.
    await getDb().update(tasks).set({ providerJobId: null }).where(eq(tasks.uuid, task.uuid));
    const watch = watchTask(task);
    expect((await watch.next()).value!.progress).toBe(task.progress);
    await new Promise((r) => setTimeout(r, 1500)); // the LISTEN connection is up, and the first tick's full read is done
    const other = postgres(testDb().url!, { max: 1, onnotice: () => {} });
    try {
      for (const progress of [41, 42, 43]) {
        const started = Date.now();
        const next = watch.next();
        await other`UPDATE tasks SET progress = ${progress} WHERE uuid = ${task.uuid}`;
        const seen = await next;
        expect(seen.value!.progress).toBe(progress);
        // Well under the PostgreSQL watcher's safety read (10 s) and its 1 s tick: the notification did it.
        expect(Date.now() - started).toBeLessThan(500);
      }
    } finally {
      await other.end();
      await watch.return(undefined);
    }
  });
});

describe("listTasks filters", () => {
  it("narrows to a type and a status; a bad value is a 400 naming the field", async () => {
    const u = await userWith(100);
    const running = await runningTask(u);
    const failed = await runningTask(u);
    await failTask(failed.uuid, "nope");

    const ids = async (filters: Parameters<typeof listTasks>[1]) => (await listTasks(u, filters)).items.map((t) => t.uuid).sort();
    expect(await ids({})).toEqual([failed.uuid, running.uuid].sort());
    expect(await ids({ status: "failed" })).toEqual([failed.uuid]);
    expect(await ids({ status: "running" })).toEqual([running.uuid]);
    expect(await ids({ status: "succeeded" })).toEqual([]);
    expect(await ids({ type: "text_to_video" })).toEqual([failed.uuid, running.uuid].sort());
    expect(await ids({ type: "text_to_image" })).toEqual([]);
    expect(await ids({ type: "text_to_video", status: "failed" })).toEqual([failed.uuid]);

    for (const [filters, field] of [
      [{ type: "bogus" }, "type"],
      [{ status: "done" as never }, "status"],
    ] as const) {
      const error = await listTasks(u, filters).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BadRequestError);
      expect((error as BadRequestError).details).toEqual({ field });
    }
  });
});
