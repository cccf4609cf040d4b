// Shared by the reliability suite and the HTTP benchmark: a real `next start`
// (the production build in .next-test) on a brand-new PostgreSQL database, plus a
// connection pool of our own for reading the ledger and tasks behind the app's back.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { openPostgres, rowsOf, type Database } from "@/db";
import { ensureBuild, freePort, startAppServer, type AppServer } from "../support/app-server";
import { signedInClient } from "../support/http-client";
import { createPostgresDatabase, testDatabaseUrl } from "../support/test-database";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Environment every server in this suite runs with: limits raised so load is not throttled. */
export const RELIABILITY_ENV: Record<string, string> = {
  AUTH_SECRET: "reliability-secret-reliability-secret-0123456789",
  STORAGE_SIGNING_SECRET: "reliability-storage-secret-0123456789",
  SIGNIN_RATE_LIMIT_PER_EMAIL: "100000",
  SIGNIN_RATE_LIMIT_PER_IP: "100000",
  SIGNIN_RATE_LIMIT_PER_ACCOUNT: "100000",
  SIGNUP_RATE_LIMIT_PER_IP: "100000",
  SIGNUP_RATE_LIMIT_GLOBAL: "100000",
  TASK_RATE_LIMIT_PER_MINUTE: "100000",
  TEXT2VIDEO_MOCK_DELAY_MS: "1500",
  TASK_SWEEP_INTERVAL_MS: "500",
  DATABASE_POOL_MAX: "10",
};

export interface FreshApp {
  url: string;
  databaseUrl: string;
  /** Our own pool on the app's database, for assertions. */
  database: Database;
  server(): AppServer;
  /** Starts the server again on the same port and database (after stop or kill). */
  restart(extraEnv?: Record<string, string>): Promise<AppServer>;
  close(): Promise<void>;
}

/**
 * A fresh PostgreSQL database and `next start` on it. `adminUrl` chooses the
 * PostgreSQL server (default TEST_DATABASE_URL).
 */
export async function startFreshApp(
  options: {
    env?: Record<string, string>;
    adminUrl?: string;
    prefix?: string;
    /** The URL the app connects with, given the fresh database's (e.g. through a TCP proxy); default the same. */
    appDatabaseUrl?: (url: string) => string;
  } = {},
): Promise<FreshApp> {
  ensureBuild();
  const previousAdmin = process.env.TEST_DATABASE_URL;
  if (options.adminUrl) process.env.TEST_DATABASE_URL = options.adminUrl;
  if (!testDatabaseUrl()) throw new Error("TEST_DATABASE_URL must point at a PostgreSQL server");
  let fresh: Awaited<ReturnType<typeof createPostgresDatabase>>;
  try {
    fresh = await createPostgresDatabase(options.prefix ?? "rel");
  } finally {
    if (options.adminUrl) process.env.TEST_DATABASE_URL = previousAdmin;
  }
  const baseEnv = { ...RELIABILITY_ENV, ...options.env, DATABASE_URL: options.appDatabaseUrl?.(fresh.url) ?? fresh.url };
  const port = await freePort();
  let current: AppServer;
  try {
    current = await startAppServer({ env: baseEnv, port });
  } catch (error) {
    await fresh.drop();
    throw error;
  }
  const database = openPostgres(fresh.url, { max: 5 });
  return {
    url: current.url,
    databaseUrl: fresh.url,
    database,
    server: () => current,
    async restart(extraEnv = {}) {
      await current.stop();
      current = await startAppServer({ env: { ...baseEnv, ...extraEnv }, port });
      return current;
    },
    async close() {
      await current.stop();
      await database.close();
      const previous = process.env.TEST_DATABASE_URL;
      if (options.adminUrl) process.env.TEST_DATABASE_URL = options.adminUrl;
      try {
        await fresh.drop();
      } finally {
        if (options.adminUrl) process.env.TEST_DATABASE_URL = previous;
      }
    },
  };
}

/** `npm run credits:verify` against the given database: exit code and output. */
export function creditsVerify(databaseUrl: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "--silent", "credits:verify"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: "production", AUTH_SECRET: RELIABILITY_ENV.AUTH_SECRET },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`credits:verify did not finish in 120 s; output so far:\n${output}`));
    }, 120_000);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, output });
    });
  });
}

/**
 * Partial charges after a fault: text-to-video debits without their task, and tasks without
 * their debit. Both lists are empty when every charge and its task were written together.
 */
export async function partialCharges(app: FreshApp) {
  const [orphanDebits, unpaidTasks] = await Promise.all([
    query(
      app,
      sql`SELECT c.trans_no FROM credits c LEFT JOIN tasks t ON t.credits_trans_no = c.trans_no
          WHERE c.trans_type = 'task_text_to_video' AND t.uuid IS NULL`,
    ),
    query(
      app,
      sql`SELECT t.uuid FROM tasks t LEFT JOIN credits c ON c.trans_no = t.credits_trans_no AND c.trans_type = 'task_text_to_video'
          WHERE c.trans_no IS NULL`,
    ),
  ]);
  return { orphanDebits, unpaidTasks };
}

/** Runs a query on our pool and returns plain rows. */
export async function query<T = Record<string, unknown>>(app: FreshApp, text: ReturnType<typeof sql>): Promise<T[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("the test's own query did not finish in 60 s")), 60_000);
  });
  try {
    return rowsOf<T>(await Promise.race([app.database.db.execute(text), timeout]));
  } finally {
    clearTimeout(timer);
  }
}

/** Polls until `check` returns true, or throws with `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 60_000, everyMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** The Cookie header a signed-in test client sends. */
export function cookieHeader(cookies: unknown): string {
  if (typeof cookies === "string") return cookies;
  if (cookies instanceof Map) return [...cookies.entries()].map(([k, v]) => `${k}=${v}`).join("; ");
  if (cookies && typeof cookies === "object") {
    const header = (cookies as { header?: () => string }).header;
    if (typeof header === "function") return header.call(cookies);
    return Object.entries(cookies as Record<string, string>)
      .map(([k, v]) => `${k}=${v}`)
      .join("; ");
  }
  throw new Error("cannot read the test client's cookies");
}

export interface SignedInUser {
  userUuid: string;
  email: string;
  cookie: string;
}

/** Signs `n` users up and in through the app's own routes (each gets the welcome credits). */
export async function signUpUsers(app: { url: string }, n: number, tag = "rel"): Promise<SignedInUser[]> {
  return mapLimit(Array.from({ length: n }, (_, i) => i), 4, async (i) => {
    const s = await signedInClient(app.url, { email: `${tag}-${i}-${Date.now().toString(36)}@example.com` });
    return { userUuid: s.userUuid, email: s.email, cookie: cookieHeader(s.client.cookies) };
  });
}

export interface ApiResult {
  status: number;
  contentType: string;
  /** The Retry-After header, if any. */
  retryAfter: string | null;
  text: string;
  /** The parsed body, or undefined when it was not JSON. */
  body: { code: number; message: string; data: any } | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** One request with a session cookie (or none); never throws on HTTP errors. */
export async function api(
  base: string,
  method: string,
  path: string,
  options: { cookie?: string; body?: unknown; rawBody?: string; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<ApiResult> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.cookie) headers.cookie = options.cookie;
  // Like a browser on the app's own pages: writes carry its Origin (cross-origin writes are refused).
  if (method !== "GET" && method !== "HEAD" && !Object.keys(headers).some((k) => k.toLowerCase() === "origin")) {
    headers.origin = new URL(base).origin;
  }
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined && !Object.keys(headers).some((k) => k.toLowerCase() === "content-type")) {
    headers["content-type"] = "application/json";
  }
  // A request the server never answers fails the test by name instead of hanging it until the test timeout.
  const signal = AbortSignal.timeout(options.timeoutMs ?? 60_000);
  const res = await fetch(`${base}${path}`, { method, headers, body, redirect: "manual", signal });
  const text = await res.text();
  let parsed: ApiResult["body"];
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, contentType: res.headers.get("content-type") ?? "", retryAfter: res.headers.get("retry-after"), text, body: parsed };
}

/** GET /api/credits -> data.balance for a signed-in user. */
export async function balanceOf(base: string, cookie: string): Promise<number> {
  const r = await api(base, "GET", "/api/credits", { cookie });
  if (r.status !== 200) throw new Error(`GET /api/credits answered ${r.status}: ${r.text.slice(0, 200)}`);
  return Number(r.body!.data.balance);
}
