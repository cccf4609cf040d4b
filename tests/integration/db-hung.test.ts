// The app's PostgreSQL client (openPostgres: postgres.js + src/db/watchdog.ts) against a
// server that stops answering: a TCP proxy in front of the real PostgreSQL that
// freezes (bytes accepted, nothing answered, as with SIGSTOP or a partition). Whatever
// the pool holds — warm connections asked a statement they have not prepared yet
// (Parse/Describe/Flush, issue 25), callers queued behind stuck connections,
// connections still being opened — every query fails with a 503-mapped error within
// the response timeout, not one timeout after another; and the pool recovers by
// itself once the proxy forwards again. PostgreSQL only (PGlite cannot be frozen).
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openPostgres, rowsOf, type Database } from "@/db";
import { testDb } from "../support/setup-db";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy";

const STATEMENT_TIMEOUT_MS = 500;
/** The watchdog's limit: statement timeout + 1 s. */
const RESPONSE_TIMEOUT_MS = STATEMENT_TIMEOUT_MS + 1000;
const CONNECT_TIMEOUT_S = 1;
const MARGIN_MS = 500;

/** The code by which the error (or its cause, Drizzle wraps the driver's) says the database did not answer. */
function codeOf(error: unknown): unknown {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === "DATABASE_TIMEOUT" || e.code === "CONNECT_TIMEOUT") return e.code;
  }
  return (error as Error)?.message;
}

/** Runs a query and reports how it ended and after how long. */
async function timed(run: () => Promise<unknown>): Promise<{ ms: number; ok: boolean; code?: unknown }> {
  const started = performance.now();
  try {
    await run();
    return { ms: performance.now() - started, ok: true };
  } catch (error) {
    return { ms: performance.now() - started, ok: false, code: codeOf(error) };
  }
}

describe.skipIf(process.env.TEST_DB_KIND !== "postgres")("a hung PostgreSQL: the client fails fast and recovers", () => {
  let proxy: TcpProxy;
  let url: string;
  const pools: Database[] = [];

  beforeAll(async () => {
    const direct = new URL(testDb().url!);
    proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    const viaProxy = new URL(direct);
    viaProxy.hostname = "127.0.0.1";
    viaProxy.port = String(proxy.port);
    url = viaProxy.toString();
  });
  afterEach(async () => {
    proxy.thaw();
    await Promise.all(pools.splice(0).map((p) => p.close().catch(() => {})));
  });
  afterAll(async () => {
    await proxy?.close();
  });

  function pool(max: number): Database {
    const p = openPostgres(url, {
      max,
      timeouts: { connectTimeoutSeconds: CONNECT_TIMEOUT_S, statementTimeoutMs: STATEMENT_TIMEOUT_MS, idleInTransactionTimeoutMs: 10_000 },
    });
    pools.push(p);
    return p;
  }

  async function warm(p: Database, n: number) {
    await Promise.all(Array.from({ length: n }, () => p.db.execute(sql`select pg_sleep(0.05)`)));
  }

  it("fails a statement not yet prepared on a warm connection (Parse + Describe + Flush) within the timeout", async () => {
    const p = pool(1);
    await warm(p, 1);
    proxy.freeze();
    // Parameterized and new to the connection: postgres.js sends Parse/Describe/Flush and waits.
    const fresh = await timed(() => p.db.execute(sql`select ${41}::int + 1 as answer`));
    expect(fresh).toMatchObject({ ok: false, code: "DATABASE_TIMEOUT" });
    expect(fresh.ms).toBeGreaterThanOrEqual(RESPONSE_TIMEOUT_MS - 50);
    expect(fresh.ms).toBeLessThan(RESPONSE_TIMEOUT_MS + MARGIN_MS);
    proxy.thaw();
    await new Promise((r) => setTimeout(r, 1200));
    expect(rowsOf(await p.db.execute(sql`select ${41}::int + 1 as answer`))).toEqual([{ answer: 42 }]);
  });

  it("fails every caller queued behind stuck connections within the timeout, then recovers by itself", async () => {
    const p = pool(3);
    await warm(p, 3);
    const prepared = (i: number) => p.db.execute(sql`select ${i}::int as i`);
    await prepared(0);
    proxy.freeze();
    // 30 callers on 3 connections: some pipelined, most queued for a connection; new and prepared statements.
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        timed(() => (i % 2 ? prepared(i) : p.db.execute(sql`select ${i}::int * 2 as double`))),
      ),
    );
    expect(results.filter((r) => r.ok)).toEqual([]);
    expect(new Set(results.map((r) => r.code))).toEqual(new Set(["DATABASE_TIMEOUT"]));
    expect(Math.max(...results.map((r) => r.ms))).toBeLessThan(RESPONSE_TIMEOUT_MS + MARGIN_MS);

    // Still frozen: later queries fail at once (no new wait, no new connection to the server).
    const later = await Promise.all(Array.from({ length: 10 }, (_, i) => timed(() => prepared(i))));
    expect(later.filter((r) => r.ok)).toEqual([]);
    expect(Math.max(...later.map((r) => r.ms))).toBeLessThan(RESPONSE_TIMEOUT_MS + MARGIN_MS);

    proxy.thaw();
    const thawed = performance.now();
    let answered: unknown;
    while (performance.now() - thawed < 10_000) {
      const r = await timed(async () => (answered = await p.db.execute(sql`select ${7}::int as seven`)));
      if (r.ok) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const recovery = performance.now() - thawed;
    expect(answered).toBeDefined();
    // The next probe goes through within a second or so; here well within the bound.
    expect(recovery).toBeLessThan(RESPONSE_TIMEOUT_MS + 2000);
    // The pool is whole again: concurrent queries and a transaction.
    await warm(p, 3);
    const inTx = await p.db.transaction(async (tx) => tx.execute(sql`select ${1}::int as one`));
    expect(inTx).toBeDefined();
  });

  it("fails callers of a pool still opening its connections within the connect timeout, not one after another", async () => {
    const p = pool(2);
    proxy.freeze();
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => timed(() => p.db.execute(sql`select ${i}::int as i`))));
    expect(results.filter((r) => r.ok)).toEqual([]);
    expect(new Set(results.map((r) => r.code)).size).toBeGreaterThan(0);
    for (const r of results) expect(["CONNECT_TIMEOUT", "DATABASE_TIMEOUT"]).toContain(r.code);
    expect(Math.max(...results.map((r) => r.ms))).toBeLessThan(CONNECT_TIMEOUT_S * 1000 + MARGIN_MS);
    proxy.thaw();
    await new Promise((r) => setTimeout(r, 1200));
    expect((await timed(() => p.db.execute(sql`select 1`))).ok).toBe(true);
  });

  it("leaves a slow but answering server alone", async () => {
    const p = pool(2);
    await warm(p, 2);
    // Silent for 0.4 s while it works; the other connection stays idle.
    const slow = await timed(() => p.db.execute(sql`select pg_sleep(${0.4}::float8)`));
    expect(slow.ok).toBe(true);
    const cancelled = await timed(() => p.db.execute(sql`select pg_sleep(5)`));
    // The server's own statement_timeout (57014), not the watchdog.
    expect(cancelled.ok).toBe(false);
    expect(cancelled.ms).toBeLessThan(RESPONSE_TIMEOUT_MS);
  });
});
