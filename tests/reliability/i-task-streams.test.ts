// (i) Issue 26, item 4: live-status streams starved the server. Found: one account opening
// 500 `GET /api/tasks/{uuid}/events` streams on PGlite: health did not answer in 30 s,
// credits took 13.1 s; on PostgreSQL health p-max rose to 2.4 s (every stream read the
// database every second, and nothing capped them).
// Reproduced the same way against a production build, on PostgreSQL and on PGlite: 500
// streams attempted by one account (10 served, the rest 429 with Retry-After) and 500 by
// 50 accounts (all served by the instance's one watcher), with health and the credits
// route timed while they are open: each answer under 1 s.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../support/app-server";
import { testDatabaseUrl } from "../support/test-database";
import { RELIABILITY_ENV, api, mapLimit, signUpUsers, startFreshApp, type FreshApp, type SignedInUser } from "./harness";

const STREAMS = 500;
const ACCOUNTS = 50;
// Mock jobs that run for minutes: the streams stay open while we measure.
const ENV = { TEXT2VIDEO_MOCK_DELAY_MS: "600000" };

interface Opened {
  statuses: number[];
  retryAfter: Array<string | null>;
  /** The served streams whose first `task` event arrived. */
  firstEvents: number;
  close(): void;
}

/** Opens one stream per entry of `who` at once (a cookie and a task each). */
async function openStreams(base: string, who: Array<{ cookie: string; task: string }>): Promise<Opened> {
  const controllers: AbortController[] = [];
  let firstEvents = 0;
  const results = await Promise.all(
    who.map(async ({ cookie, task }) => {
      const controller = new AbortController();
      controllers.push(controller);
      try {
        const res = await fetch(`${base}/api/tasks/${task}/events`, { headers: { cookie }, signal: controller.signal });
        if (res.status === 200) {
          const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
          let text = "";
          while (!text.includes("event: task")) {
            const { value, done } = await reader.read();
            if (done) break;
            text += value;
          }
          if (text.includes("event: task")) firstEvents++;
        } else {
          await res.body?.cancel();
        }
        return { status: res.status, retryAfter: res.headers.get("retry-after") };
      } catch {
        return { status: 0, retryAfter: null };
      }
    }),
  );
  return {
    statuses: results.map((r) => r.status),
    retryAfter: results.map((r) => r.retryAfter),
    firstEvents,
    close: () => controllers.forEach((c) => c.abort()),
  };
}

const countOf = (statuses: number[]) => statuses.reduce<Record<number, number>>((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {});

/** `n` sequential requests: the slowest, in ms. */
async function slowest(base: string, pathname: string, cookie: string | undefined, n = 10): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    const res = await api(base, "GET", pathname, { cookie, timeoutMs: 30_000 });
    times.push(Math.round(performance.now() - started));
    expect(res.status, pathname).toBe(200);
    await new Promise((r) => setTimeout(r, 100));
  }
  console.log(`[reliability i] ${pathname}: ${times.join(", ")} ms`);
  return Math.max(...times);
}

async function runningTaskOf(base: string, user: SignedInUser, prompt: string): Promise<string> {
  const res = await api(base, "POST", "/api/tasks/text-to-video", { cookie: user.cookie, body: { prompt, seconds: 2, aspectRatio: "square" } });
  expect(res.status, res.text).toBe(201);
  return res.body!.data.task.uuid as string;
}

function scenario(kind: "postgres" | "pglite", start: () => Promise<{ url: string; close(): Promise<void> }>) {
  describe(`(i) 500 live-status streams on ${kind}`, () => {
    let app: { url: string; close(): Promise<void> } | undefined;
    afterAll(async () => app?.close());

    it("one account: 10 served, 490 refused with 429 + Retry-After; 50 accounts x 10: all served; health and credits answer under 1 s meanwhile", async () => {
      app = await start();
      const base = app.url;
      const users = await signUpUsers(app, ACCOUNTS, `rel-i-${kind}`);
      const tasks = await mapLimit(users, 4, (user, i) => runningTaskOf(base, user, `stream probe ${i}`));
      const quietHealth = await slowest(base, "/api/health", undefined, 5);

      // One account, 500 streams of its task.
      const one = await openStreams(base, Array.from({ length: STREAMS }, () => ({ cookie: users[0].cookie, task: tasks[0] })));
      const oneHealth = await slowest(base, "/api/health", undefined);
      const oneCredits = await slowest(base, "/api/credits", users[1].cookie);
      one.close();
      console.log(`[reliability i] ${kind}: one account's answers ${JSON.stringify(countOf(one.statuses))}`);
      expect(one.statuses.filter((s) => s === 200)).toHaveLength(10);
      expect(one.statuses.filter((s) => s === 429)).toHaveLength(STREAMS - 10);
      expect(one.retryAfter.filter((r) => r !== null && Number(r) > 0)).toHaveLength(STREAMS - 10);
      expect(one.firstEvents).toBe(10);

      await new Promise((r) => setTimeout(r, 1500)); // the closed streams' slots are given back
      // 50 accounts, 10 streams each: 500 streams on 50 tasks, one watcher.
      const many = await openStreams(
        base,
        users.flatMap((user, i) => Array.from({ length: STREAMS / ACCOUNTS }, () => ({ cookie: user.cookie, task: tasks[i] }))),
      );
      const manyHealth = await slowest(base, "/api/health", undefined);
      const manyCredits = await slowest(base, "/api/credits", users[1].cookie);
      many.close();
      console.log(`[reliability i] ${kind}: 50 accounts' answers ${JSON.stringify(countOf(many.statuses))}`);
      expect(many.statuses.filter((s) => s === 200)).toHaveLength(STREAMS);
      expect(many.firstEvents).toBe(STREAMS);

      console.log(
        `[reliability i] ${kind}: health max quiet ${quietHealth} ms; one account x ${STREAMS}: health max ${oneHealth} ms, credits max ${oneCredits} ms; ` +
          `${ACCOUNTS} accounts x ${STREAMS / ACCOUNTS}: health max ${manyHealth} ms, credits max ${manyCredits} ms`,
      );
      for (const ms of [oneHealth, oneCredits, manyHealth, manyCredits]) expect(ms).toBeLessThan(1000);
    });
  });
}

if (testDatabaseUrl()) {
  scenario("postgres", async () => {
    const fresh: FreshApp = await startFreshApp({ prefix: "rel_i", env: ENV });
    return { url: fresh.url, close: () => fresh.close() };
  });
}

scenario("pglite", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rel-i-pglite-"));
  let server: AppServer;
  try {
    server = await startAppServer({ env: { ...RELIABILITY_ENV, ...ENV, DATABASE_URL: "", PGLITE_DATA_DIR: path.join(dir, "db") } });
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: server.url,
    async close() {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});
