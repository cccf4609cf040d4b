// (d) PostgreSQL restarted under load: requests that fail answer a 5xx envelope
// (JSON, never HTML), nothing is charged in part, and the app recovers by itself.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { grantCredits } from "@/services/credits/ledger";
import { api, creditsVerify, partialCharges, query, signUpUsers, startFreshApp, waitFor, type ApiResult, type FreshApp, type SignedInUser } from "./harness";
import { startRestartablePostgres, type RestartablePostgres } from "./pg-cluster";

describe("(d) PostgreSQL restart under load", () => {
  let pg: RestartablePostgres;
  let app: FreshApp;
  let users: SignedInUser[];

  beforeAll(async () => {
    pg = await startRestartablePostgres();
    app = await startFreshApp({ prefix: "rel_d", adminUrl: pg.adminUrl });
    users = await signUpUsers(app, 8, "rel-d");
    for (const u of users) {
      await grantCredits({ userUuid: u.userUuid, credits: 100_000, transType: "system_add", validityDays: 30 }, app.database.db);
    }
  });
  afterAll(async () => {
    await app?.close();
    pg?.stop();
  });

  it("answers 5xx envelopes while the database is down, charges nothing in part, and recovers", async () => {
    // Each phase's time is printed, so a slow run says where it spent it.
    const t0 = Date.now();
    const phase = (name: string) => console.log(`(d) ${name} after ${Date.now() - t0} ms`);
    const results: Array<{ path: string; res?: ApiResult; ms?: number; networkError?: string }> = [];
    let stop = false;
    const worker = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const u = users[(w + i) % users.length];
        const isTask = i % 2 === 0;
        const path = isTask ? "/api/tasks/text-to-video" : "/api/credits";
        const started = Date.now();
        try {
          const res = isTask
            ? await api(app.url, "POST", path, { cookie: u.cookie, body: { prompt: `under fire ${w}/${i}`, seconds: 1, aspectRatio: "landscape" } })
            : await api(app.url, "GET", path, { cookie: u.cookie });
          results.push({ path, res, ms: Date.now() - started });
        } catch (error) {
          results.push({ path, networkError: String(error) });
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    };
    const load = Promise.all(Array.from({ length: 12 }, (_, w) => worker(w)));
    await new Promise((r) => setTimeout(r, 2000));
    const restartAt = results.length;
    await pg.restart();
    phase("PostgreSQL restarted");
    await new Promise((r) => setTimeout(r, 3000));
    stop = true;
    await load;
    phase("load stopped");

    const slowest = Math.max(...results.map((r) => r.ms ?? 0));
    console.log(
      `(d) ${results.length} requests, ${results.filter((r) => r.res && r.res.status >= 500).length} answered 5xx, slowest ${slowest} ms`,
    );
    // Failing fast: with postgres.js's default reconnect back-off (up to 20 s) the slowest
    // answer here was 18-19 s; reconnects capped at ~1 s (src/db/index.ts) bring it to ~3 s.
    expect(slowest).toBeLessThan(10_000);
    // The Node server itself never dropped a connection.
    expect(results.filter((r) => r.networkError).map((r) => r.networkError)).toEqual([]);
    const failures = results.filter((r) => r.res!.status >= 300);
    // Every failure is a server-side 5xx, as a JSON envelope naming only the request id.
    for (const f of failures) {
      expect(f.res!.status, f.res!.text.slice(0, 300)).toBeGreaterThanOrEqual(500);
      expect(f.res!.contentType).toContain("application/json");
      expect(f.res!.body).toEqual({ code: f.res!.status, message: expect.any(String), data: { requestId: expect.any(String) } });
      expect(f.res!.text).not.toMatch(/<html|stack|at \w+ \(/i);
    }
    // The restart really hit requests in flight.
    expect(failures.length).toBeGreaterThan(0);
    expect(results.length).toBeGreaterThan(restartAt);

    // Recovery without restarting the app: health, a read and a charge all work again.
    // Health answers within 2 s even with the database down; a probe that hangs counts as "not yet".
    const healthy = () => api(app.url, "GET", "/api/health", { timeoutMs: 5_000 }).then((r) => r.status === 200, () => false);
    await waitFor("the app to answer again", healthy, 30_000);
    phase("health answers 200");
    const read = await api(app.url, "GET", "/api/credits", { cookie: users[0].cookie });
    expect(read.status).toBe(200);
    const task = await api(app.url, "POST", "/api/tasks/text-to-video", {
      cookie: users[0].cookie,
      body: { prompt: "after the storm", seconds: 1, aspectRatio: "landscape" },
    });
    expect(task.status, task.text).toBeLessThan(300);
    phase("read and charge work");

    // No partial charges: every debit has its task and every task its debit.
    expect(await partialCharges(app)).toEqual({ orphanDebits: [], unpaidTasks: [] });
    // Every task a client was told about exists.
    const told = results.filter((r) => r.res!.status < 300 && r.path.includes("tasks")).map((r) => r.res!.body!.data.task.uuid as string);
    const stored = new Set((await query<{ uuid: string }>(app, sql`SELECT uuid FROM tasks`)).map((t) => t.uuid));
    expect(told.filter((uuid) => !stored.has(uuid))).toEqual([]);
    expect(told.length).toBeGreaterThan(0);
    phase("ledger queries done");
    const verify = await creditsVerify(app.databaseUrl);
    phase("credits:verify done");
    expect(verify.code, verify.output).toBe(0);
  });
});
