import fs from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { afterAll, describe, expect, inject, it } from "vitest";
import { startAppServer, type AppServer } from "../support/app-server";
import { signedInClient } from "../support/http-client";
import { HTTP_TEST_ENV } from "../support/http-setup";
import { createPostgresDatabase, testDatabaseUrl } from "../support/test-database";

const base = inject("baseUrl");
const ROOT = path.resolve(import.meta.dirname, "../..");
const journalEntries = (JSON.parse(fs.readFileSync(path.join(ROOT, "drizzle/meta/_journal.json"), "utf8")) as { entries: unknown[] }).entries.length;

describe("/api/health reports migrations and sweeper lag", () => {
  it("migrations applied vs expected, and the time since this instance's last sweep", async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the health payload is read field by field
    let body: { data: Record<string, any> } | undefined;
    const deadline = Date.now() + 15_000;
    do {
      const res = await fetch(`${base}/api/health`);
      expect(res.status).toBe(200);
      expect(res.headers.get("x-request-id")).toBeTruthy();
      body = await res.json();
    } while (body!.data.sweeper.lastSweepAt === null && Date.now() < deadline && (await new Promise((r) => setTimeout(r, 200)), true));
    const { migrations, sweeper } = body!.data;
    expect(migrations).toEqual({ ok: true, applied: journalEntries, expected: journalEntries, pending: [], missingFunctions: [] });
    expect(sweeper).toMatchObject({ inProcess: true, intervalMs: Number(HTTP_TEST_ENV.TASK_SWEEP_INTERVAL_MS) });
    // Sweeps every 500 ms; a lag of many intervals would mean the sweeper stalled.
    expect(sweeper.lagMs).toBeGreaterThanOrEqual(0);
    expect(sweeper.lagMs).toBeLessThan(10_000);
  });
});

describe.skipIf(!testDatabaseUrl())("request ids in logs and 5xx envelopes (own server, PostgreSQL)", () => {
  let server: AppServer | undefined;
  let drop: (() => Promise<void>) | undefined;
  afterAll(async () => {
    await server?.stop();
    await drop?.();
  });

  it("a failing request: 500 envelope with data.requestId, X-Request-Id header, and JSON log lines carrying it; health turns 503 naming the lost function", async () => {
    const fresh = await createPostgresDatabase("obs");
    drop = fresh.drop;
    server = await startAppServer({ env: { ...HTTP_TEST_ENV, DATABASE_URL: fresh.url, LOG_REQUESTS: "true" } });
    const { client } = await signedInClient(server.url);

    // Break the database under the running server: the ledger's rate-limit function disappears.
    const sql = postgres(fresh.url, { max: 1, onnotice: () => {} });
    await sql`DROP FUNCTION rate_limit_hit(text, integer, integer)`;
    await sql.end();

    const res = await client.postJson("/api/tasks/text-to-video", { prompt: "a fox", seconds: 2, aspectRatio: "square" }, { "x-request-id": "obs-test-1" });
    expect(res.status).toBe(500);
    expect(res.headers.get("x-request-id")).toBe("obs-test-1");
    expect(res.body).toEqual({ code: 500, message: "internal server error", data: { requestId: "obs-test-1" } });

    await new Promise((r) => setTimeout(r, 200));
    const lines = server
      .output()
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const mine = lines.filter((l) => l.requestId === "obs-test-1");
    expect(mine).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ level: "error", msg: "unhandled error", context: "POST /api/tasks/text-to-video" }),
        expect.objectContaining({ level: "info", msg: "request", method: "POST", path: "/api/tasks/text-to-video", status: 500 }),
      ]),
    );
    // Every line is structured: level, ISO time, message.
    for (const l of lines) expect(l).toMatchObject({ level: expect.any(String), time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), msg: expect.any(String) });

    // Health re-reads the migration status at most every 5 s: it turns 503 within that.
    let health = await fetch(`${server.url}/api/health`, { headers: { "x-request-id": "obs-health" } });
    for (const until = Date.now() + 8_000; health.status === 200 && Date.now() < until; ) {
      await new Promise((r) => setTimeout(r, 250));
      health = await fetch(`${server.url}/api/health`, { headers: { "x-request-id": "obs-health" } });
    }
    expect(health.status).toBe(503);
    const h = await health.json();
    expect(h.data).toMatchObject({ status: "degraded", requestId: "obs-health", migrations: { ok: false, missingFunctions: ["rate_limit_hit"] } });
  });
});
