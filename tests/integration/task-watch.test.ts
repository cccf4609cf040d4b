// Following a task (what the live-status stream sends) and the history's filters.
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { BadRequestError } from "@/lib/errors";
import { createTextToVideoTask, failTask, getTaskForUser, listTasks, watchTask } from "@/services/tasks";
import { textToVideo } from "@/services/tasks/types/text-to-video";
import { textToVideoMock } from "@/services/tasks/types/text-to-video/providers";
import { collector, userWith } from "../support/task-helpers";

const input = { prompt: "A heron in the reeds", seconds: 2, aspectRatio: "landscape" as const };
const clock = { now: 1_700_000_000_000 };
const MOCK_DELAY = 10_000;

beforeEach(() => {
  textToVideo.providers.set("mock", textToVideoMock({ delayMs: MOCK_DELAY, now: () => clock.now }));
});
afterAll(() => {
  textToVideo.providers.set("mock", undefined);
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
    const watch = watchTask(task, { intervalMs: 5 });

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
    for await (const t of watchTask(task, { intervalMs: 5 })) seen.push(t);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ status: "failed", errorCode: "content_rejected" });
  });

  it("stops when its signal aborts, and after maxMs", async () => {
    const u = await userWith(100);
    const task = await runningTask(u);
    const controller = new AbortController();
    const watch = watchTask(task, { intervalMs: 60_000, signal: controller.signal });
    expect((await watch.next()).value!.status).toBe("running");
    const pending = watch.next();
    controller.abort();
    expect((await pending).done).toBe(true);

    const short = watchTask(task, { intervalMs: 5, maxMs: 30 });
    const started = Date.now();
    const seen = [];
    for await (const t of short) seen.push(t.status);
    expect(seen).toEqual(["running"]); // the clock did not move: no change to send
    expect(Date.now() - started).toBeLessThan(5_000);
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
