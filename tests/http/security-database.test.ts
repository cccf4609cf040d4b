// Issue 11, item 5 — fail fast when the database is sick. The attack: with the
// PostgreSQL processes stopped (SIGSTOP) every request, /api/health included, hung
// for 45 s; with PostgreSQL down answers took 10-32 s. Replayed through a TCP proxy
// in front of PostgreSQL that the test freezes (bytes accepted, never answered) or
// takes down: health now answers within 2 s (database down), other routes 503 with
// Retry-After within 5 s, and the app recovers by itself. PostgreSQL only: PGlite
// runs inside the server process and cannot be frozen apart from it.
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../support/app-server";
import { HTTP_TEST_ENV } from "../support/http-setup";
import { signedInClient, type TestClient } from "../support/http-client";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy";
import { createPostgresDatabase, testDatabaseUrl } from "../support/test-database";

const task = { prompt: "Astronaut surfing", seconds: 2, aspectRatio: "landscape" };

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

describe.skipIf(!testDatabaseUrl())("a sick PostgreSQL makes requests fail fast, not hang", () => {
  let app: AppServer;
  let proxy: TcpProxy;
  let db: { url: string; drop(): Promise<void> };
  let client: TestClient;
  let userUuid: string;

  beforeAll(async () => {
    db = await createPostgresDatabase("sick");
    const direct = new URL(db.url);
    proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    const viaProxy = new URL(db.url);
    viaProxy.hostname = "127.0.0.1";
    viaProxy.port = String(proxy.port);
    app = await startAppServer({ env: { ...HTTP_TEST_ENV, DATABASE_URL: viaProxy.toString(), TASK_SWEEP_INTERVAL_MS: "0" } });
    ({ client, userUuid } = await signedInClient(app.url));
  }, 120_000);

  afterAll(async () => {
    await app?.stop();
    await proxy?.close();
    await db?.drop();
  });

  async function healthy() {
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const res = await fetch(`${app.url}/api/health`).catch(() => null);
      if (res?.status === 200) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error("the app did not recover");
  }

  it("frozen server: health reports the database down within 2 s; API routes 503 + Retry-After within 5 s", async () => {
    expect((await client.json("/api/credits")).status).toBe(200);
    proxy.freeze();
    try {
      const [health, credits, create, tasks] = await Promise.all([
        timed(async () => {
          const res = await fetch(`${app.url}/api/health`);
          return { status: res.status, body: await res.json() };
        }),
        timed(() => client.json("/api/credits")),
        timed(() => client.postJson("/api/tasks/text-to-video", task)),
        timed(() => client.json("/api/tasks?page=1")),
      ]);
      expect(health.ms).toBeLessThan(2000);
      expect(health.value.status).toBe(503);
      expect(health.value.body.data.database).toMatchObject({ kind: "postgres", ok: false });
      for (const r of [credits, create, tasks]) {
        expect(r.ms).toBeLessThan(5000);
        expect(r.value.status).toBe(503);
        expect(r.value.body.code).toBe(503);
        expect(Number(r.value.headers.get("retry-after"))).toBeGreaterThan(0);
      }
      // Health stays prompt while the database is still frozen.
      const again = await timed(() => fetch(`${app.url}/api/health`));
      expect(again.ms).toBeLessThan(2000);
    } finally {
      proxy.thaw();
    }
    await healthy();
    expect((await client.json("/api/credits")).status).toBe(200);
  }, 60_000);

  it("server down: health within 2 s, API 503 within 5 s, recovery when it is back", async () => {
    await proxy.down();
    try {
      const health = await timed(() => fetch(`${app.url}/api/health`));
      expect(health.ms).toBeLessThan(2000);
      expect(health.value.status).toBe(503);
      const credits = await timed(() => client.json("/api/credits"));
      expect(credits.ms).toBeLessThan(5000);
      expect(credits.value.status).toBe(503);
      expect(credits.value.headers.get("retry-after")).toBeTruthy();
    } finally {
      await proxy.up();
    }
    await healthy();
    expect((await client.postJson("/api/tasks/text-to-video", task)).status).toBe(201);
  }, 60_000);

  it("a statement stuck behind a lock is cut by the lock/statement timeout: 503, nothing charged", async () => {
    const before = (await client.json("/api/credits")).body.data.balance;
    const holder = postgres(db.url, { max: 1, onnotice: () => {} });
    try {
      let locked!: () => void;
      const isLocked = new Promise<void>((r) => (locked = r));
      const release = holder.begin(async (tx) => {
        await tx`SELECT 1 FROM users WHERE uuid = ${userUuid} FOR UPDATE`;
        locked();
        await new Promise((r) => setTimeout(r, 6000));
      });
      release.catch(() => {});
      await isLocked;
      const create = await timed(() => client.postJson("/api/tasks/text-to-video", task));
      expect(create.ms).toBeLessThan(5000);
      expect(create.value.status).toBe(503);
      await release;
    } finally {
      await holder.end();
    }
    expect((await client.json("/api/credits")).body.data.balance).toBe(before);
  }, 60_000);
});
