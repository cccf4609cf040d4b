// (g) Scale-out on one PostgreSQL: three `next start` instances behind a round-robin
// proxy. 300 concurrent task creations from 30 users with tight balances (no overdraft,
// successes exactly what the balances allow), the three in-process sweepers finishing
// the tasks (each exactly once, no double refund, the work spread over instances), one
// instance SIGKILLed mid-run (its tasks still finish), `credits:verify` clean. Then the
// creation throughput through the proxy with 1 and with 3 instances (docs/benchmarks.md).
import http from "node:http";
import type net from "node:net";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgres, rowsOf, type Database } from "@/db";
import { textToVideoCost } from "@/tasks/text-to-video/input";
import { TRANS_TYPES, grantCredits } from "@/services/credits/ledger";
import { ensureBuild, freePort, startAppServer, type AppServer } from "../support/app-server";
import { createPostgresDatabase } from "../support/test-database";
import { RELIABILITY_ENV, api, balanceOf, creditsVerify, mapLimit, signUpUsers, waitFor, type SignedInUser } from "./harness";

const USERS = 30;
const PER_USER = 10;
const TASK_TIMEOUT_MS = 25_000;

/**
 * A small HTTP round-robin load balancer. A backend that refuses the connection (it is
 * dead) is skipped and the request goes to the next one, which is safe because nothing
 * reached it; a backend that dies mid-request yields 502, as a real balancer would.
 */
function startProxy(backends: number[], listenPort: number) {
  let next = 0;
  // A connection per request: a reused keep-alive socket the server just closed would
  // fail a POST that cannot be retried safely.
  const agent = new http.Agent({ keepAlive: false, maxSockets: 256 });
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const attempt = (triesLeft: number) => {
      const port = backends[next++ % backends.length];
      const upstream = http.request(
        { host: "127.0.0.1", port, method: req.method, path: req.url, headers: req.headers, agent },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
          up.on("error", () => res.destroy());
        },
      );
      upstream.on("error", (error: NodeJS.ErrnoException) => {
        if (error.code === "ECONNREFUSED" && triesLeft > 1) return attempt(triesLeft - 1);
        if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
        res.end(`bad gateway: ${error.code ?? error.message}`);
      });
      upstream.end(body);
    };
    attempt(backends.length);
  });
  return new Promise<{ url: string; backends: number[]; close(): Promise<void> }>((resolve) => {
    server.listen(listenPort, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        backends,
        close: () =>
          new Promise<void>((r) => {
            agent.destroy();
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}

describe("(g) three instances on one PostgreSQL behind a round-robin proxy", () => {
  let databaseUrl: string;
  let drop: () => Promise<void>;
  let db: Database;
  const servers: AppServer[] = [];
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let users: SignedInUser[];
  // The instances' public URL is the proxy's, as behind any load balancer (same-origin writes check it).
  let publicUrl = "";
  const env = (name: string): Record<string, string> => ({
    ...RELIABILITY_ENV,
    APP_URL: publicUrl,
    AUTH_URL: publicUrl,
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_MAX: "6",
    TEXT2VIDEO_MOCK_DELAY_MS: "3000",
    TASK_SWEEP_INTERVAL_MS: "500",
    TASK_TIMEOUT_MS: String(TASK_TIMEOUT_MS),
    // Names each instance's connections, so the database records who did what.
    PGAPPNAME: name,
  });

  beforeAll(async () => {
    ensureBuild();
    ({ url: databaseUrl, drop } = await createPostgresDatabase("rel_g"));
    const proxyPort = await freePort();
    publicUrl = `http://127.0.0.1:${proxyPort}`;
    // All three start (and migrate, under the advisory lock) at once.
    servers.push(...(await Promise.all(["inst-1", "inst-2", "inst-3"].map((n) => startAppServer({ env: env(n) })))));
    db = openPostgres(databaseUrl, { max: 4 });
    // Test-only bookkeeping: which instance created and which finished each task.
    await db.db.execute(sql.raw(`
      CREATE TABLE test_task_events (task_uuid text NOT NULL, event text NOT NULL, app text NOT NULL, status text NOT NULL);
      CREATE FUNCTION test_task_event() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO test_task_events VALUES (NEW.uuid, 'created', current_setting('application_name'), NEW.status);
        ELSIF OLD.status IN ('queued', 'running') AND NEW.status IN ('succeeded', 'failed') THEN
          INSERT INTO test_task_events VALUES (NEW.uuid, 'finished', current_setting('application_name'), NEW.status);
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER test_task_event AFTER INSERT OR UPDATE OF status ON tasks FOR EACH ROW EXECUTE FUNCTION test_task_event();
    `));
    proxy = await startProxy(servers.map((s) => s.port), proxyPort);
    users = await signUpUsers(proxy, USERS, "rel-g").catch((error) => {
      for (const s of servers) console.log(s.output().split("\n").filter((l) => /error|warn|503/i.test(l)).slice(-10).join("\n"));
      throw error;
    });
  });

  afterAll(async () => {
    await proxy?.close();
    await Promise.all(servers.map((s) => s.stop()));
    await db?.close();
    await drop?.();
  });

  const rows = async <T>(q: ReturnType<typeof sql>) => rowsOf<T>(await db.db.execute(q));

  it("no overdraft, successes exactly what balances allow, every task finished once (also the killed instance's), ledger clean", async () => {
    const plans = await Promise.all(
      users.map(async (u, i) => {
        const seconds = 3 + (i % 5); // 6 to 14 credits: 3 to 8 of the 10 attempts fit in the welcome credits
        const cost = textToVideoCost(seconds, "landscape");
        const before = await balanceOf(proxy.url, u.cookie);
        return { user: u, index: i, seconds, cost, before, allowed: Math.min(PER_USER, Math.floor(before / cost)) };
      }),
    );
    const requests = plans.flatMap((p) => Array.from({ length: PER_USER }, (_, k) => ({ plan: p, key: `g-${p.index}-${k}` })));
    requests.sort(() => Math.random() - 0.5);

    let answered = 0;
    let killed = false;
    let lostWithTheVictim = 0;
    let refundsDuringTheBurst = 0;
    const victim = servers[2];
    const send = async (r: (typeof requests)[number]) => {
      for (let attempt = 1; ; attempt++) {
        // The Idempotency-Key makes the retry of a request lost with the killed instance safe:
        // a 502, or the connection cut mid-response.
        const res = await api(proxy.url, "POST", "/api/tasks/text-to-video", {
          cookie: r.plan.user.cookie,
          headers: { "idempotency-key": r.key },
          body: { prompt: `scale-out ${r.key}`, seconds: r.plan.seconds, aspectRatio: "landscape" },
        }).catch((error: Error) => {
          if (attempt >= 5) throw error;
          return null;
        });
        if (res && (res.status !== 502 || attempt >= 5)) return res;
        lostWithTheVictim++;
      }
    };
    const results = await Promise.all(
      requests.map(async (r) => {
        const res = await send(r);
        if (++answered === 100 && !killed) {
          killed = true;
          void victim.stop("SIGKILL");
        }
        return { r, res };
      }),
    );
    expect(killed).toBe(true);
    const unexpected = results.filter(({ res }) => ![200, 201, 402].includes(res.status));
    expect(unexpected.map(({ res }) => `${res.status} ${res.text.slice(0, 200)}`)).toEqual([]);

    for (const p of plans) {
      const mine = results.filter(({ r }) => r.plan === p);
      const won = new Set(mine.filter(({ res }) => res.status < 300).map(({ res }) => res.body!.data.task.uuid));
      // A task the killed instance left queued (never submitted) times out and is refunded
      // after TASK_TIMEOUT_MS; on a loaded machine that can happen while this user's last
      // requests are still arriving, and each such refund pays for one more task.
      const [{ n, early }] = await rows<{ n: number; early: number }>(sql`
        SELECT (SELECT count(*)::int FROM tasks WHERE user_uuid = ${p.user.userUuid}) AS n,
               (SELECT count(*)::int FROM credits WHERE user_uuid = ${p.user.userUuid} AND trans_type = 'refund'
                  AND created_at < (SELECT max(created_at) FROM tasks WHERE user_uuid = ${p.user.userUuid})) AS early`);
      const what = `successes for ${p.user.email}: balance ${p.before} at ${p.cost} each, ${early} refund(s) before its last task`;
      expect(won.size, what).toBeGreaterThanOrEqual(p.allowed);
      expect(won.size, what).toBeLessThanOrEqual(Math.min(PER_USER, p.allowed + early));
      expect(mine.filter(({ res }) => res.status === 402)).toHaveLength(PER_USER - won.size);
      expect(n).toBe(won.size);
      refundsDuringTheBurst += early;
    }
    expect(results.filter(({ res }) => res.status === 402).length).toBeGreaterThan(50);

    await waitFor(
      "every task to finish on the surviving instances",
      async () => {
        const [{ n }] = await rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM tasks WHERE status IN ('queued', 'running')`);
        return n === 0;
      },
      TASK_TIMEOUT_MS + 90_000,
      500,
    );

    const tasks = await rows<{ uuid: string; user_uuid: string; status: string; credits_used: number; credits_trans_no: string; refund_trans_no: string | null }>(
      sql`SELECT uuid, user_uuid, status, credits_used, credits_trans_no, refund_trans_no FROM tasks`,
    );
    const events = await rows<{ task_uuid: string; event: string; app: string }>(sql`SELECT task_uuid, event, app FROM test_task_events`);
    const finishes = events.filter((e) => e.event === "finished");
    // Finished exactly once each.
    const perTask = new Map<string, number>();
    for (const f of finishes) perTask.set(f.task_uuid, (perTask.get(f.task_uuid) ?? 0) + 1);
    expect(tasks.filter((t) => perTask.get(t.uuid) !== 1).map((t) => t.uuid)).toEqual([]);
    // The killed instance had created tasks, and they finished too.
    const victims = new Set(events.filter((e) => e.event === "created" && e.app === "inst-3").map((e) => e.task_uuid));
    expect(victims.size).toBeGreaterThan(0);
    expect(tasks.filter((t) => victims.has(t.uuid)).every((t) => t.status === "succeeded" || t.status === "failed")).toBe(true);
    // Both survivors' sweepers are alive (a round finished in the last few seconds, from
    // each one's own /api/health) and between them they finished everything; which of the
    // two finished a given task is timing (whose tick finds it idle first), so the split
    // is printed, not asserted.
    const byApp = new Map<string, number>();
    for (const f of finishes) byApp.set(f.app, (byApp.get(f.app) ?? 0) + 1);
    for (const s of servers.slice(0, 2)) {
      const health = (await fetch(`http://127.0.0.1:${s.port}/api/health`).then((r) => r.json())) as { data: { sweeper: { lagMs: number | null } } };
      const said = s.output().split("\n").filter((l) => /sweep|error|warn/i.test(l)).slice(-15).join("\n");
      expect(health.data.sweeper.lagMs, `sweeper lag on port ${s.port}; it said:\n${said}`).not.toBeNull();
      expect(health.data.sweeper.lagMs!, `sweeper lag on port ${s.port}; it said:\n${said}`).toBeLessThan(10_000);
    }
    console.log(`(g) finished by: ${JSON.stringify(Object.fromEntries(byApp))}`);

    // Refunds: one per failed task, none for a succeeded one.
    const refunds = await rows<{ ref_trans_no: string; credits: number }>(sql`SELECT ref_trans_no, credits FROM credits WHERE trans_type = 'refund'`);
    for (const t of tasks) {
      const mine = refunds.filter((r) => r.ref_trans_no === t.credits_trans_no);
      expect(mine, `refunds of ${t.status} task ${t.uuid}`).toHaveLength(t.status === "failed" ? 1 : 0);
    }
    // No overdraft: balances are what the successes cost.
    for (const p of plans) {
      const spent = tasks.filter((t) => t.user_uuid === p.user.userUuid && t.status === "succeeded").reduce((s, t) => s + t.credits_used, 0);
      const after = await balanceOf(proxy.url, p.user.cookie);
      expect(after).toBe(p.before - spent);
      expect(after).toBeGreaterThanOrEqual(0);
    }
    const verify = await creditsVerify(databaseUrl);
    expect(verify.code, verify.output).toBe(0);

    console.log(
      `[g] ${tasks.length} tasks (${tasks.filter((t) => t.status === "failed").length} failed and refunded), ` +
        `${victims.size} created by the killed instance, ${lostWithTheVictim} request(s) lost with it and retried, ${refundsDuringTheBurst} refund(s) during the burst; finishes by instance: ` +
        JSON.stringify(Object.fromEntries(byApp)),
    );
  });

  it("creation throughput through the proxy: 1 instance vs 3 (printed; docs/benchmarks.md)", async () => {
    // Replace the killed instance, and give everyone room to spend.
    servers[2] = await startAppServer({ env: env("inst-3b") });
    for (const u of users) {
      await grantCredits({ userUuid: u.userUuid, credits: 100_000, transType: TRANS_TYPES.systemAdd, reason: "throughput" }, db.db);
    }
    const measure = async (ports: number[], label: string, n = 300) => {
      proxy.backends.splice(0, proxy.backends.length, ...ports);
      const started = performance.now();
      const statuses = await mapLimit(Array.from({ length: n }, (_, i) => i), 30, async (i) => {
        const u = users[i % users.length];
        const res = await api(proxy.url, "POST", "/api/tasks/text-to-video", {
          cookie: u.cookie,
          body: { prompt: `throughput ${label} ${i}`, seconds: 1, aspectRatio: "square" },
        });
        return res.status;
      });
      const seconds = (performance.now() - started) / 1000;
      expect(statuses.filter((s) => s !== 201)).toEqual([]);
      return n / seconds;
    };
    await measure(servers.map((s) => s.port), "warm-up", 60); // JIT and pools warm on every instance alike
    // 1, 3, 3, 1: each side sees the same share of tasks left running by the phase before.
    const all = servers.map((s) => s.port);
    const a1 = await measure([servers[0].port], "one-a", 150);
    const a3 = await measure(all, "three-a", 150);
    const b3 = await measure(all, "three-b", 150);
    const b1 = await measure([servers[0].port], "one-b", 150);
    const one = (a1 + b1) / 2;
    const three = (a3 + b3) / 2;
    console.log(
      `[g] task creation through the proxy, 30 in flight: 1 instance ${a1.toFixed(1)}/${b1.toFixed(1)}/s, ` +
        `3 instances ${a3.toFixed(1)}/${b3.toFixed(1)}/s, ratio ${(three / one).toFixed(2)}`,
    );
    expect(one).toBeGreaterThan(0);
    expect(three).toBeGreaterThan(0);
  });
});
