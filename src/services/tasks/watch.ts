/**
 * Following tasks as they change: what the live-status streams (GET /api/tasks/<uuid>/events)
 * send. One watcher per instance serves every stream (TaskWatchHub):
 *  - PostgreSQL: one LISTEN connection (DATABASE_LISTEN_URL, else DATABASE_URL) on the
 *    `task_status` channel, which a trigger on `tasks` notifies with the task's uuid on every
 *    status or progress change, whichever instance or process made it (drizzle/0020); the
 *    notified tasks are read back in one query. A slow re-read of every watched task covers
 *    notifications lost while the connection was down.
 *  - PGlite (one process): one poll loop reads every watched task in one query per second.
 * On both, the same loop brings a bounded number of watched, unfinished tasks up to date at
 * their provider per tick (refreshTask, once per task however many streams watch it), so
 * progress moves where no webhook arrives. Streams are capped per user and per instance
 * (openTaskWatch): beyond that a 429, and the task page polls instead.
 */
import { inArray } from "drizzle-orm";
import postgres from "postgres";
import { getDatabase, getDb } from "@/db";
import { tasks, type Task } from "@/db/schema";
import { env } from "@/lib/env";
import { TooManyRequestsError } from "@/lib/http/errors";
import { logger } from "@/lib/logger";
import { describeError } from "@/lib/log-safe";
import { refreshTask } from "./lifecycle";
import { getTask, isFinished } from "./queries";

export const TASK_STATUS_CHANNEL = "task_status";
const TICK_MS = 1000;
/** PostgreSQL: every watched task is re-read this often anyway (a notification lost while reconnecting). */
const SAFETY_READ_MS = 10_000;
/** Provider polls per tick, at most, for all streams together; each task at most every REFRESH_EVERY_MS. */
const REFRESH_PER_TICK = 10;
const REFRESH_EVERY_MS = 2000;
const REFRESH_CONCURRENCY = 2;
/** How long a 429 asks the client to wait before opening another stream. */
const STREAM_RETRY_AFTER_SECONDS = 5;

type Listener = (task: Task) => void;

interface Watched {
  task: Task;
  seen: string;
  listeners: Set<Listener>;
  refreshedAt: number;
}

const stateOf = (task: Task) => `${task.status}:${task.progress}`;

/** Whether `next` is further on than `current`: a task only moves forward (queued, running, finished; progress never falls). */
const isAhead = (next: Task, current: Task) => {
  const stage = (t: Task) => (t.status === "queued" ? 0 : t.status === "running" ? 1 : 2);
  return stage(next) > stage(current) || (stage(next) === stage(current) && next.progress > current.progress);
};

class TaskWatchHub {
  private watched = new Map<string, Watched>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private listener: postgres.Sql | undefined;
  private listening: Promise<void> | undefined;
  private pending = new Set<string>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private lastFullRead = 0;
  private ticking = false;
  /** Open streams, per user and in all. */
  private streams = new Map<string, number>();
  private streamCount = 0;

  /** Takes a stream slot for the user, or throws 429 (per-user or per-instance cap). */
  acquireStream(userUuid: string): () => void {
    const e = env();
    const mine = this.streams.get(userUuid) ?? 0;
    if (mine >= e.TASK_EVENTS_MAX_STREAMS_PER_USER || this.streamCount >= e.TASK_EVENTS_MAX_STREAMS_PER_INSTANCE) {
      throw new TooManyRequestsError(STREAM_RETRY_AFTER_SECONDS);
    }
    this.streams.set(userUuid, mine + 1);
    this.streamCount++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.streams.get(userUuid) ?? 1) - 1;
      if (left > 0) this.streams.set(userUuid, left);
      else this.streams.delete(userUuid);
      this.streamCount--;
    };
  }

  /** Calls `listener` with the task whenever its status or progress changes; returns the unsubscribe. */
  watch(task: Task, listener: Listener): () => void {
    let entry = this.watched.get(task.uuid);
    if (!entry) {
      entry = { task, seen: stateOf(task), listeners: new Set(), refreshedAt: 0 };
      this.watched.set(task.uuid, entry);
    }
    entry.listeners.add(listener);
    this.start();
    return () => {
      entry.listeners.delete(listener);
      if (entry.listeners.size === 0 && this.watched.get(task.uuid) === entry) this.watched.delete(task.uuid);
      if (this.watched.size === 0) this.stopTicking();
    };
  }

  private start() {
    if (!this.timer) {
      this.timer = setInterval(() => void this.tick(), TICK_MS);
      this.timer.unref?.();
    }
    if (getDatabase().kind === "postgres") this.listening ??= this.listen();
  }

  private stopTicking() {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One LISTEN connection for the instance; postgres.js re-listens after a reconnect (onlisten re-reads everything). */
  private async listen() {
    const e = env();
    const url = e.DATABASE_LISTEN_URL ?? e.DATABASE_URL;
    if (!url) return; // a database installed without a URL (tests): the poll loop serves
    this.listener = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: e.DATABASE_CONNECT_TIMEOUT_SECONDS });
    try {
      await this.listener.listen(
        TASK_STATUS_CHANNEL,
        (uuid) => this.notified(uuid),
        () => void this.readBack([...this.watched.keys()]),
      );
    } catch (error) {
      // Not listening: the safety read still brings changes, every SAFETY_READ_MS.
      logger.error({ error: describeError(error) }, "[tasks] LISTEN for task status changes failed; retrying");
      await this.listener.end({ timeout: 1 }).catch(() => {});
      this.listener = undefined;
      setTimeout(() => (this.listening = undefined), 5_000).unref?.();
    }
  }

  /** Stops the loop and closes the LISTEN connection (tests; a process that exits needs nothing). */
  async stop() {
    this.stopTicking();
    this.watched.clear();
    const listener = this.listener;
    this.listener = undefined;
    this.listening = undefined;
    await listener?.end({ timeout: 1 });
  }

  private notified(uuid: string) {
    if (!this.watched.has(uuid)) return;
    this.pending.add(uuid);
    // Notifications that arrive together are read back together.
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      const uuids = [...this.pending];
      this.pending.clear();
      void this.readBack(uuids);
    }, 10);
  }

  /** Reads the given watched tasks in one query and tells their streams what changed. */
  private async readBack(uuids: string[]) {
    const wanted = uuids.filter((uuid) => this.watched.has(uuid));
    if (wanted.length === 0) return;
    try {
      for (let i = 0; i < wanted.length; i += 500) {
        const rows = await getDb().select().from(tasks).where(inArray(tasks.uuid, wanted.slice(i, i + 500)));
        for (const row of rows) this.changed(row);
      }
    } catch (error) {
      logger.warn({ error: describeError(error) }, "[tasks] reading watched tasks failed");
    }
  }

  private changed(task: Task) {
    const entry = this.watched.get(task.uuid);
    if (!entry) return;
    entry.task = task;
    const seen = stateOf(task);
    if (seen === entry.seen) return;
    entry.seen = seen;
    for (const listener of entry.listeners) listener(task);
  }

  /** Once a second: provider polls for a bounded few tasks, and (PGlite, or the safety read) a read of every watched task. */
  private async tick() {
    if (this.ticking) return; // the previous tick is still busy: skip, never pile up
    this.ticking = true;
    try {
      await this.refreshSome();
      const postgresListening = getDatabase().kind === "postgres" && !!this.listener;
      if (!postgresListening || Date.now() - this.lastFullRead >= SAFETY_READ_MS) {
        this.lastFullRead = Date.now();
        await this.readBack([...this.watched.keys()]);
      }
    } finally {
      this.ticking = false;
    }
  }

  private async refreshSome() {
    const now = Date.now();
    const due = [...this.watched.values()]
      .filter((w) => !isFinished(w.task) && w.task.providerJobId && now - w.refreshedAt >= REFRESH_EVERY_MS)
      .sort((a, b) => a.refreshedAt - b.refreshedAt)
      .slice(0, REFRESH_PER_TICK);
    for (let i = 0; i < due.length; i += REFRESH_CONCURRENCY) {
      await Promise.all(
        due.slice(i, i + REFRESH_CONCURRENCY).map(async (w) => {
          w.refreshedAt = Date.now();
          try {
            this.changed(await refreshTask(w.task));
          } catch (error) {
            logger.warn({ task: w.task.uuid, error: describeError(error) }, "[tasks] refreshing a watched task failed");
          }
        }),
      );
    }
  }
}

const state = globalThis as unknown as { __taskWatchHub?: TaskWatchHub };
/** The instance's one watcher (one per process: Next.js bundles routes separately). */
export const taskWatchHub = () => (state.__taskWatchHub ??= new TaskWatchHub());

/** Closes the instance's watcher (its LISTEN connection): for tests that drop their database. */
export async function stopTaskWatchHub() {
  await state.__taskWatchHub?.stop();
  state.__taskWatchHub = undefined;
}

export interface WatchOptions {
  /** Stops the watch (the client went away). */
  signal?: AbortSignal;
  /** The watch ends after this long even if the task has not finished; the client reconnects. */
  maxMs?: number;
}

/**
 * A stream slot for the user (TASK_EVENTS_MAX_STREAMS_PER_USER on this instance, and
 * TASK_EVENTS_MAX_STREAMS_PER_INSTANCE in all): throws TooManyRequestsError (429 with
 * Retry-After) beyond either. Returns the release, for when the stream ends.
 */
export function openTaskWatch(userUuid: string): () => void {
  return taskWatchHub().acquireStream(userUuid);
}

/**
 * Yields the task as it is now, then again each time its status or progress changes (as
 * the instance's watcher sees it), and returns once it is finished, when `signal` aborts, or
 * after `maxMs`. The caller checks ownership first.
 */
export async function* watchTask(task: Task, options: WatchOptions = {}): AsyncGenerator<Task> {
  const { signal, maxMs = 5 * 60_000 } = options;
  let latest: Task | null = null;
  let wake: (() => void) | null = null;
  const unwatch = taskWatchHub().watch(task, (t) => {
    latest = t;
    wake?.();
  });
  // The deadline is the timer's own flag, not a clock compared later: Node starts a timer from
  // the event loop's cached time, so it can fire a millisecond or two before Date.now() reaches
  // "now + maxMs", and a wait begun after that comparison would then never be woken.
  let expired = false;
  const deadline = setTimeout(() => {
    expired = true;
    wake?.();
  }, maxMs);
  const onAbort = () => wake?.();
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    // As it is now (one indexed read, no provider call: the watcher's loop polls providers).
    let current = (await getTask(task.uuid)) ?? task;
    yield current;
    while (!isFinished(current) && !signal?.aborted && !expired) {
      if (!latest) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
      const next: Task | null = latest;
      latest = null;
      // The first read may already show what the watcher then reports (it started from the
      // caller's older copy), or more: only a state further on is sent, never one twice.
      if (next && isAhead(next, current)) {
        current = next;
        yield current;
      }
    }
  } finally {
    clearTimeout(deadline);
    signal?.removeEventListener("abort", onAbort);
    unwatch();
  }
}
