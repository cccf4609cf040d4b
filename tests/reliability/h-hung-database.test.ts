// (h) PostgreSQL hangs under load (issue 25): the app reaches PostgreSQL through a TCP
// proxy that stops forwarding, as a SIGSTOPped or partitioned server does (bytes are
// accepted and never answered). It freezes while the pool is warm and busy: requests
// in flight on every connection, task creations among them, callers queued for a
// connection, statements not yet prepared on some connections (postgres.js then sends
// Parse/Describe/Flush and waits), connections being opened. Every request needing the
// database must answer a 503 envelope with Retry-After within the statement timeout +
// a small margin (5 s with the default 2500 ms), /api/health within 2 s, and once the
// proxy forwards again the app must recover by itself within 20 s with nothing
// charged twice: every task creation is retried with its Idempotency-Key afterwards.
// The shared PostgreSQL itself is never stopped.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { grantCredits } from "@/services/credits/ledger";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy";
import { testDatabaseUrl } from "../support/test-database";
import { api, creditsVerify, partialCharges, query, signUpUsers, startFreshApp, waitFor, type ApiResult, type FreshApp, type SignedInUser } from "./harness";

/** The statement timeout + a margin (issue 25: "answer within 5 s" at the default 2500 ms). */
const ANSWER_BOUND_MS = 5_000;
const HEALTH_BOUND_MS = 2_000;
const RECOVERY_BOUND_MS = 20_000;
/** How long the client waits before counting a request as unanswered (keeps a regression from hanging the suite). */
const CLIENT_TIMEOUT_MS = 25_000;
const FROZEN_MS = Number(process.env.H_FROZEN_MS) || 9_000;

interface Sent {
  label: string;
  start: number;
  end: number;
  res?: ApiResult;
  error?: string;
  /** Task creations: the Idempotency-Key and body, to retry after the storm. */
  retry?: { user: SignedInUser; key: string; body: unknown };
}

const taskBody = (tag: string) => ({ prompt: `hung database ${tag}`, seconds: 1, aspectRatio: "landscape" });

describe.skipIf(!testDatabaseUrl())("(h) a hung PostgreSQL under load", () => {
  let proxy: TcpProxy;
  let app: FreshApp;
  let users: SignedInUser[];
  /** Each user's tasks so far, for GET /api/tasks/<uuid>. */
  const taskIds = new Map<SignedInUser, string[]>();
  let keys = 0;

  beforeAll(async () => {
    const admin = new URL(testDatabaseUrl()!);
    proxy = await startTcpProxy({ host: admin.hostname, port: Number(admin.port || 5432) });
    app = await startFreshApp({
      prefix: "rel_h",
      appDatabaseUrl: (url) => {
        const viaProxy = new URL(url);
        viaProxy.hostname = "127.0.0.1";
        viaProxy.port = String(proxy.port);
        return viaProxy.toString();
      },
    });
    users = await signUpUsers(app, 8, "rel-h");
    for (const u of users) {
      await grantCredits({ userUuid: u.userUuid, credits: 100_000, transType: "system_add", validityDays: 30 }, app.database.db);
    }
  });
  afterAll(async () => {
    proxy?.thaw();
    await app?.close();
    await proxy?.close();
  });

  /** One request, timed; never throws. */
  async function send(label: string, method: string, path: string, options: { user?: SignedInUser; body?: unknown; key?: string } = {}): Promise<Sent> {
    const start = performance.now();
    const sent: Sent = { label, start, end: start };
    if (options.key) sent.retry = { user: options.user!, key: options.key, body: options.body };
    try {
      sent.res = await api(app.url, method, path, {
        cookie: options.user?.cookie,
        body: options.body,
        headers: options.key ? { "Idempotency-Key": options.key } : undefined,
        timeoutMs: CLIENT_TIMEOUT_MS,
      });
      const uuid = sent.res.body?.data?.task?.uuid;
      if (label === "create" && typeof uuid === "string") taskIds.set(options.user!, [...(taskIds.get(options.user!) ?? []), uuid]);
    } catch (error) {
      sent.error = String(error);
    }
    sent.end = performance.now();
    return sent;
  }

  /** Routes that need the database, signed in except sign-up; the first three are the warm-up's. */
  function request(n: number, user: SignedInUser, tag: string): Promise<Sent> {
    switch (n % 9) {
      case 0:
      case 3: {
        const body = taskBody(tag);
        return send("create", "POST", "/api/tasks/text-to-video", { user, body, key: `h-${tag}-${keys++}` });
      }
      case 1:
        return send("credits", "GET", "/api/credits", { user });
      case 2: {
        const own = taskIds.get(user);
        return own ? send("task", "GET", `/api/tasks/${own[n % own.length]}`, { user }) : send("credits", "GET", "/api/credits", { user });
      }
      case 4:
        return send("tasks", "GET", "/api/tasks?page=1", { user });
      case 5:
        return send("history", "GET", "/api/credits/history", { user });
      case 6:
        return send("orders", "GET", "/api/orders", { user });
      case 7:
        return send("latest", "GET", "/api/tasks/latest", { user });
      default:
        return send("sign-up", "POST", "/api/auth/signup", {
          body: { email: `rel-h-new-${tag}-${Math.random().toString(36).slice(2)}@example.com`, password: "correct horse battery" },
        });
    }
  }

  it("answers 503 within the bound on every route while frozen, health within 2 s, and recovers without double charges", async () => {
    const t0 = performance.now();
    const log = (what: string) => console.log(`(h) ${what} at ${Math.round(performance.now() - t0)} ms`);
    const all: Sent[] = [];
    const health: Array<{ start: number; ms: number; status: number | "no answer" }> = [];
    let stop = false;
    let warm = true;

    // 16 workers; during the warm-up only task creations, balances and task reads (so the
    // other routes' statements are not prepared anywhere yet), afterwards every route.
    const worker = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const n = warm ? [0, 1, 2][i % 3] : w + i;
        const sent = await request(n, users[(w + i) % users.length], `w${w}-${i}`);
        all.push(sent);
        // Like a client honouring Retry-After, if far more eagerly: no hot loop of instant 503s.
        if (sent.error || sent.res!.status >= 500) await new Promise((r) => setTimeout(r, 100));
      }
    };
    const prober = async () => {
      while (!stop) {
        const start = performance.now();
        const res = await fetch(`${app.url}/api/health`, { signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS) }).catch(() => null);
        health.push({ start, ms: performance.now() - start, status: res ? res.status : "no answer" });
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    const load = Promise.all([...Array.from({ length: 16 }, (_, w) => worker(w)), prober()]);

    await new Promise((r) => setTimeout(r, 3_000));
    warm = false;
    await new Promise((r) => setTimeout(r, 500));
    log(`${all.length} requests before the freeze`);
    expect(all.filter((s) => s.res && s.res.status < 300).length).toBeGreaterThan(50);

    // Freeze with the pool busy, and pile 40 more callers on top of the 16 workers, so
    // some wait for a free connection; again once the app has noticed.
    proxy.freeze();
    const frozenAt = performance.now();
    log("proxy frozen");
    const burst = () => Promise.all(Array.from({ length: 40 }, (_, i) => request(i, users[i % users.length], `b${Math.round(performance.now())}-${i}`)));
    const bursts = [burst()];
    await new Promise((r) => setTimeout(r, 5_000));
    bursts.push(burst());
    await new Promise((r) => setTimeout(r, FROZEN_MS - 5_000));
    proxy.thaw();
    const thawedAt = performance.now();
    log("proxy thawed");
    for (const b of bursts) all.push(...(await b));

    let healthyAt: number | undefined;
    await waitFor("/api/health to answer 200", async () => {
      const ok = health.some((h) => h.start >= thawedAt && h.status === 200);
      if (ok) healthyAt ??= Math.min(...health.filter((h) => h.start >= thawedAt && h.status === 200).map((h) => h.start + h.ms));
      return ok;
    }, RECOVERY_BOUND_MS + 10_000, 100);
    await new Promise((r) => setTimeout(r, 5_000));
    stop = true;
    await load;
    log(`load stopped, ${all.length} requests`);

    // While frozen: everything that needed the database answered a 503 envelope with
    // Retry-After, within the bound of the later of its start and the freeze.
    const during = all.filter((s) => s.end > frozenAt + 50 && s.start < thawedAt);
    const late = (s: Sent) => s.end - Math.max(s.start, frozenAt);
    const byLabel = new Map<string, Sent[]>();
    for (const s of during) byLabel.set(s.label, [...(byLabel.get(s.label) ?? []), s]);
    for (const [label, list] of [...byLabel].sort()) {
      const times = list.map(late).sort((a, b) => a - b);
      const statuses = [...new Set(list.map((s) => s.res?.status ?? "no answer"))].join("/");
      console.log(
        `(h) frozen: ${label.padEnd(8)} ${String(list.length).padStart(3)} requests, answer after ${Math.round(times[Math.floor(times.length / 2)])} ms median, ${Math.round(times.at(-1)!)} ms max, status ${statuses}`,
      );
    }
    const slowest = [...during].sort((a, b) => late(b) - late(a)).slice(0, 5);
    console.log(
      `(h) frozen: slowest ${slowest.map((s) => `${s.label} started ${Math.round(s.start - frozenAt)} ms after the freeze, answered after ${Math.round(late(s))} ms`).join("; ")}`,
    );
    const frozenHealth = health.filter((h) => h.start >= frozenAt && h.start < thawedAt);
    console.log(
      `(h) frozen: health   ${frozenHealth.length} probes, slowest ${Math.round(Math.max(...frozenHealth.map((h) => h.ms)))} ms, status ${[...new Set(frozenHealth.map((h) => h.status))].join("/")}`,
    );
    const recovery = (healthyAt ?? Infinity) - thawedAt;
    const afterThaw = all.filter((s) => s.start >= thawedAt);
    const lastFailure = Math.max(thawedAt, ...afterThaw.filter((s) => s.error || s.res!.status >= 500).map((s) => s.end));
    console.log(
      `(h) thawed: health 200 after ${Math.round(recovery)} ms; last 5xx answered ${Math.round(lastFailure - thawedAt)} ms after the thaw; ${afterThaw.length} requests after it`,
    );

    expect(during.length).toBeGreaterThan(60);
    expect(during.filter((s) => s.error).map((s) => `${s.label} ${s.error}`)).toEqual([]);
    expect(during.filter((s) => late(s) >= ANSWER_BOUND_MS).map((s) => `${s.label} ${Math.round(late(s))} ms`)).toEqual([]);
    // Started after the freeze and answered before the thaw: the database was needed and silent.
    const frozenOnly = during.filter((s) => s.start > frozenAt + 50 && s.end < thawedAt);
    expect(frozenOnly.length).toBeGreaterThan(60);
    for (const s of frozenOnly) {
      expect(s.res!.status, `${s.label}: ${s.res!.text.slice(0, 200)}`).toBe(503);
      expect(s.res!.contentType).toContain("application/json");
      expect(s.res!.body).toEqual({ code: 503, message: expect.any(String), data: { requestId: expect.any(String) } });
      expect(Number(s.res!.retryAfter)).toBeGreaterThan(0);
    }
    expect(new Set(frozenOnly.map((s) => s.label)).size).toBe(8);
    expect(frozenHealth.length).toBeGreaterThan(10);
    expect(frozenHealth.filter((h) => h.ms >= HEALTH_BOUND_MS || h.status === 200).map((h) => `${h.status} ${Math.round(h.ms)} ms`)).toEqual([]);

    // Recovery by itself: health, reads and charges work again, and stayed so.
    expect(recovery).toBeLessThan(RECOVERY_BOUND_MS);
    expect(lastFailure - thawedAt).toBeLessThan(RECOVERY_BOUND_MS);
    const finalRead = await api(app.url, "GET", "/api/credits", { cookie: users[0].cookie });
    expect(finalRead.status).toBe(200);

    // Nothing charged twice: a client retries every creation that failed or went
    // unanswered with its Idempotency-Key; each key ends with one task and one debit.
    const creations = all.filter((s) => s.retry);
    const unsure = creations.filter((s) => s.error || s.res!.status >= 300);
    const retried = await Promise.all(unsure.map((s) => send("create", "POST", "/api/tasks/text-to-video", { user: s.retry!.user, body: s.retry!.body, key: s.retry!.key })));
    expect(retried.filter((s) => s.error || s.res!.status >= 300).map((s) => s.error ?? `${s.res!.status} ${s.res!.text.slice(0, 200)}`)).toEqual([]);
    const replayed = retried.filter((s) => s.res!.status === 200).length;
    console.log(`(h) ${creations.length} creations, ${unsure.length} retried after the storm (${replayed} had been created before: replayed)`);
    const perKey = await query<{ idempotency_key: string; n: number }>(
      app,
      sql`SELECT idempotency_key, count(*)::int AS n FROM tasks WHERE idempotency_key LIKE 'h-%' GROUP BY idempotency_key`,
    );
    expect(perKey.filter((k) => k.n !== 1)).toEqual([]);
    expect(new Set(perKey.map((k) => k.idempotency_key))).toEqual(new Set(creations.map((s) => s.retry!.key)));
    expect(await partialCharges(app)).toEqual({ orphanDebits: [], unpaidTasks: [] });
    const verify = await creditsVerify(app.databaseUrl);
    expect(verify.code, verify.output).toBe(0);
  });
});
