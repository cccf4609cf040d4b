/** Following one task as it changes: what the live-status stream (GET /api/tasks/<uuid>/events) sends. */
import type { Task } from "@/db/schema";
import { refreshTask } from "./lifecycle";
import { getTask, isFinished } from "./queries";

export interface WatchOptions {
  /** Stops the watch (the client went away). */
  signal?: AbortSignal;
  /** How often the task is re-read (and its provider job polled while unfinished). */
  intervalMs?: number;
  /** The watch ends after this long even if the task has not finished; the client reconnects. */
  maxMs?: number;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });

/**
 * Yields the task as it is now, then again each time its status or progress changes,
 * and returns once it is finished (succeeded or failed), when `signal` aborts, or after
 * `maxMs`. Each round brings the task up to date the way GET /api/tasks/<uuid> does
 * (refreshTask: the provider's job status, the timeout), so progress moves even where no
 * webhook arrives; finishing races with webhooks and the sweeper are settled by the
 * lifecycle's conditional updates. The caller checks ownership first.
 */
export async function* watchTask(task: Task, options: WatchOptions = {}): AsyncGenerator<Task> {
  const { signal, intervalMs = 1000, maxMs = 5 * 60_000 } = options;
  const until = Date.now() + maxMs;
  let current = await refreshTask(task);
  let last = "";
  for (;;) {
    const seen = `${current.status}:${current.progress}`;
    if (seen !== last) {
      last = seen;
      yield current;
    }
    if (isFinished(current) || signal?.aborted || Date.now() >= until) return;
    await sleep(intervalMs, signal);
    if (signal?.aborted) return;
    current = await refreshTask((await getTask(current.uuid)) ?? current);
  }
}
