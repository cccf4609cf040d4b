/**
 * HTTP benchmark: `next start` (the production build) on a fresh PostgreSQL
 * database, loaded with autocannon at 1, 16 and 64 connections.
 *
 *   GET  /api/health               baseline (one trivial query)
 *   GET  /api/credits              signed in, rotating between many users
 *   POST /api/tasks/text-to-video  mock provider; many users, each granted plenty of
 *   POST /api/tasks/text-to-image  credits through grantCredits, a different user's
 *                                  session cookie on every request
 *
 * The machine's speed drifts during a run (other processes, thermal limits), so a
 * single pass is not a trustworthy figure: cells are interleaved (every route, then
 * the next connection count, BENCH_ROUNDS times, default 3), each route's ratio is
 * taken against the baseline of its own round and connection count, and the median
 * ratio is reported with its spread (min-max over rounds). The goal (each task
 * creation route >= 50% of the baseline and p99 <= 100 ms at 16 connections, on the
 * median) is checked. BENCH_SECONDS sets the length of each cell.
 */
import autocannon from "autocannon";
import { sql } from "drizzle-orm";
import { rowsOf } from "@/db";
import { grantCredits } from "@/services/credits/ledger";
import { signUpUsers, startFreshApp, type FreshApp } from "../tests/reliability/harness";
import { printTable } from "./stats";

const CONNECTIONS = [1, 16, 64];
const USERS = 100;

interface Route {
  name: string;
  method: "GET" | "POST";
  path: string;
  body?: string;
  signedIn: boolean;
}

const ROUTES: Route[] = [
  { name: "GET /api/health (baseline)", method: "GET", path: "/api/health", signedIn: false },
  { name: "GET /api/credits", method: "GET", path: "/api/credits", signedIn: true },
  {
    name: "POST /api/tasks/text-to-video",
    method: "POST",
    path: "/api/tasks/text-to-video",
    body: JSON.stringify({ prompt: "A lighthouse at dawn, slow pan", seconds: 2, aspectRatio: "landscape" }),
    signedIn: true,
  },
  {
    name: "POST /api/tasks/text-to-image",
    method: "POST",
    path: "/api/tasks/text-to-image",
    body: JSON.stringify({ prompt: "A lighthouse at dawn, watercolor", size: "512x512" }),
    signedIn: true,
  },
];
const CREATION_ROUTES = ROUTES.filter((r) => r.path.startsWith("/api/tasks/"));

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

interface Cell {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  total: number;
}

async function measure(url: string, route: Route, connections: number, seconds: number, cookies: string[]): Promise<Cell> {
  let next = 0;
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    requests: [
      {
        method: route.method,
        path: route.path,
        body: route.body,
        // Writes carry the app's Origin, as a browser on its pages does (cross-origin writes are refused).
        headers: route.body ? { "content-type": "application/json", origin: new URL(url).origin } : {},
        setupRequest: (req) => {
          if (!route.signedIn) return req;
          const cookie = cookies[next++ % cookies.length];
          return { ...req, headers: { ...req.headers, cookie } };
        },
      },
    ],
  });
  const ok = result["2xx"];
  return {
    rps: ok / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    total: ok + result.non2xx,
  };
}

/** Database work per task creation: transactions and rows touched, from pg_stat_database. */
async function profileTaskCreation(app: FreshApp, cookie: string, n = 100) {
  const stats = async () => {
    const [row] = rowsOf<Record<string, string>>(
      await app.database.db.execute(sql`
        SELECT xact_commit, xact_rollback, tup_inserted, tup_updated, tup_fetched, tup_returned
        FROM pg_stat_database WHERE datname = current_database()`),
    );
    return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]));
  };
  const taskRoute = ROUTES[2];
  // Backends publish their statistics lazily: an idle connection flushes what it
  // counted within PGSTAT_IDLE_INTERVAL (10 s). Wait that long before each reading,
  // or the load of the cells above leaks into this one.
  const settle = () => new Promise((r) => setTimeout(r, 11_000));
  await settle();
  await app.database.db.execute(sql`SELECT pg_stat_clear_snapshot()`);
  const before = await stats();
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${app.url}${taskRoute.path}`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: new URL(app.url).origin, cookie },
      body: taskRoute.body,
    });
    await res.arrayBuffer();
  }
  const ms = (performance.now() - started) / n;
  await settle();
  await app.database.db.execute(sql`SELECT pg_stat_clear_snapshot()`);
  const after = await stats();
  const per = (k: string) => ((after[k] - before[k]) / n).toFixed(1);
  console.log(
    `task creation, sequential, ${n} requests: ${ms.toFixed(1)} ms each; per request: ` +
      `${per("xact_commit")} commits, ${per("xact_rollback")} rollbacks, ${per("tup_inserted")} rows inserted, ` +
      `${per("tup_updated")} updated, ${per("tup_fetched")} fetched (includes background work: starts, the sweeper, autovacuum)`,
  );
}

export async function runHttpBench() {
  const adminUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    console.log("\n(HTTP benchmark skipped: set BENCH_DATABASE_URL or TEST_DATABASE_URL to a PostgreSQL server)");
    return undefined;
  }
  const seconds = Number(process.env.BENCH_SECONDS ?? 6);
  console.log("\nHTTP benchmark: building and starting next start on a fresh PostgreSQL database …");
  const app = await startFreshApp({
    adminUrl,
    prefix: "bench_http",
    env: {
      // Default pool (DATABASE_POOL_MAX=10) and sweeper; only the throttles are lifted.
      DATABASE_POOL_MAX: process.env.BENCH_POOL_MAX ?? "10",
      TASK_RATE_LIMIT_PER_MINUTE: "100000000",
      TEXT2VIDEO_MOCK_DELAY_MS: "8000",
      TEXT2IMAGE_MOCK_DELAY_MS: "4000",
      TASK_SWEEP_INTERVAL_MS: "5000",
    },
  });
  try {
    const users = await signUpUsers(app, USERS, "bench");
    for (const u of users) {
      await grantCredits({ userUuid: u.userUuid, credits: 1_000_000, transType: "system_add", validityDays: 365 }, app.database.db);
    }
    const cookies = users.map((u) => u.cookie);
    const check = await fetch(`${app.url}/api/credits`, { headers: { cookie: cookies[0] } });
    const checkBody = (await check.json()) as { data?: { balance?: number } };
    if (!check.ok || !(Number(checkBody.data?.balance) >= 1_000_000)) {
      throw new Error(`signed-in check failed: ${check.status} ${JSON.stringify(checkBody)}`);
    }

    // Warm up every route (JIT, route compilation caches, connection pool).
    for (const route of ROUTES) await measure(app.url, route, 16, 2, cookies);

    const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
    // cells[route@connections] = one Cell per round; ratios against the same round's baseline.
    const cells = new Map<string, Cell[]>();
    const ratios = new Map<string, number[]>();
    for (let round = 0; round < rounds; round++) {
      for (const connections of CONNECTIONS) {
        let base: Cell | undefined;
        for (const route of ROUTES) {
          const cell = await measure(app.url, route, connections, seconds, cookies);
          base ??= cell;
          const key = `${route.name}@${connections}`;
          cells.set(key, [...(cells.get(key) ?? []), cell]);
          // A round whose baseline served nothing (an overloaded host) gives no ratio.
          if (base.rps > 0) ratios.set(key, [...(ratios.get(key) ?? []), cell.rps / base.rps]);
        }
      }
    }
    const rows: Array<Array<string | number>> = [];
    for (const connections of CONNECTIONS) {
      for (const route of ROUTES) {
        const key = `${route.name}@${connections}`;
        const cs = cells.get(key)!;
        const rs = ratios.get(key) ?? [];
        const failures = cs.reduce((n, c) => n + c.non2xx + c.errors, 0);
        rows.push([
          route.name,
          connections,
          median(cs.map((c) => c.rps)).toFixed(0),
          median(cs.map((c) => c.p50)).toFixed(1),
          median(cs.map((c) => c.p99)).toFixed(1),
          rs.length ? median(rs).toFixed(2) : "n/a",
          rs.length ? `${Math.min(...rs).toFixed(2)}-${Math.max(...rs).toFixed(2)}` : "n/a",
          failures === 0 ? "0" : `${failures} non-2xx/errors`,
        ]);
      }
    }
    printTable(
      `HTTP on next start + PostgreSQL (autocannon, ${seconds} s per cell, ${rounds} interleaved rounds, medians; ${USERS} users, pool ${process.env.BENCH_POOL_MAX ?? "10"})`,
      ["route", "conns", "req/s", "p50 ms", "p99 ms", "x baseline", "spread", "failures"],
      rows,
    );
    let met = true;
    let ratio = Infinity;
    for (const route of CREATION_ROUTES) {
      const key = `${route.name}@16`;
      const r = ratios.has(key) ? median(ratios.get(key)!) : 0;
      const p99 = median(cells.get(key)!.map((c) => c.p99));
      const failures = cells.get(key)!.reduce((n, c) => n + c.non2xx + c.errors, 0);
      const ok = r >= 0.5 && p99 <= 100 && failures === 0;
      met &&= ok;
      ratio = Math.min(ratio, r);
      console.log(
        `goal at 16 connections, ${route.name}: median ${(r * 100).toFixed(0)}% of baseline (>= 50%), median p99 ${p99.toFixed(1)} ms (<= 100 ms): ${ok ? "met" : "NOT met"}`,
      );
    }
    await profileTaskCreation(app, cookies[0]);
    const [{ tasks }] = rowsOf<{ tasks: string }>(await app.database.db.execute(sql`SELECT count(*)::text AS tasks FROM tasks`));
    console.log(`tasks created during the run: ${tasks}`);
    return { cells, ratio, met };
  } finally {
    await app.close();
  }
}
