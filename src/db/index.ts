import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { env } from "@/lib/env";
import { migrateDatabase, migrationStatus, verifyDatabase, type MigrationStatus } from "./migrations";
import * as schema from "./schema";
import { createWatchdog } from "./watchdog";

/**
 * Both drivers produce the same Drizzle query builder; we type the handle as the
 * postgres.js flavour so services are written once. Raw `execute()` results differ
 * between drivers, so read them through `rowsOf()`.
 */
export type Db = PostgresJsDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** A database handle or an open transaction: what every service function accepts. */
export type Executor = Db | Tx;

export type DatabaseKind = "pglite" | "postgres";

export interface Database {
  kind: DatabaseKind;
  db: Db;
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export const MIGRATIONS_FOLDER = path.join(process.cwd(), "drizzle");

export interface PostgresTimeouts {
  /** Seconds to establish a connection (TCP, TLS, sign-in): postgres.js `connect_timeout`. */
  connectTimeoutSeconds: number;
  /** Server-side `statement_timeout` (and `lock_timeout`) in ms; 0 = none. */
  statementTimeoutMs: number;
  /** Server-side `idle_in_transaction_session_timeout` in ms; 0 = none. */
  idleInTransactionTimeoutMs: number;
}

export function postgresTimeouts(e = env()): PostgresTimeouts {
  return {
    connectTimeoutSeconds: e.DATABASE_CONNECT_TIMEOUT_SECONDS,
    statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
    idleInTransactionTimeoutMs: e.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
  };
}

/** Seconds before a closed connection reconnects: 50 ms doubling per failure, at most 1 s, with jitter. */
export function reconnectDelaySeconds(failures: number): number {
  return Math.min(0.05 * 2 ** failures, 1) * (0.5 + Math.random() / 2);
}

/**
 * A sick database fails requests fast instead of hanging them (503 + Retry-After in
 * route handlers): a short connect timeout; server-side statement, lock and
 * idle-in-transaction timeouts; and a client-side watchdog (src/db/watchdog.ts) that
 * drops a connection whose server stays silent for statement_timeout + 1 s while it
 * owes an answer (a frozen server never fires its own statement_timeout) and, when the
 * whole server is silent, fails every waiting and queued query at once until it
 * answers again.
 * Reconnects wait at most about a second: postgres.js's default back-off grows with every
 * failed connection in the pool (3^n / 100 s, up to 20 s), so after a PostgreSQL restart
 * requests queued behind a closed connection waited 10-18 s for their answer. While the
 * watchdog holds the server unresponsive they do not wait at all: such a "connection"
 * fails without opening a socket, which is what lets queued callers get their answer.
 */
export function openPostgres(url: string, options: { max?: number; timeouts?: PostgresTimeouts } = {}): Database {
  const timeouts = options.timeouts ?? postgresTimeouts();
  const connection: Record<string, string> = {};
  if (timeouts.statementTimeoutMs > 0) {
    connection.statement_timeout = String(timeouts.statementTimeoutMs);
    connection.lock_timeout = String(timeouts.statementTimeoutMs);
  }
  if (timeouts.idleInTransactionTimeoutMs > 0) {
    connection.idle_in_transaction_session_timeout = String(timeouts.idleInTransactionTimeoutMs);
  }
  const watchdog =
    timeouts.statementTimeoutMs > 0
      ? createWatchdog({ responseTimeoutMs: timeouts.statementTimeoutMs + 1000 })
      : undefined;
  const client = postgres(url, {
    max: options.max ?? env().DATABASE_POOL_MAX,
    onnotice: () => {},
    connect_timeout: timeouts.connectTimeoutSeconds,
    backoff: (failures) => (watchdog?.unresponsive ? 0 : reconnectDelaySeconds(failures)),
    connection,
    // postgres.js supports a `socket` factory but does not declare it in its types.
    ...((watchdog ? { socket: watchdog.socket } : {}) as object),
  });
  const db = drizzlePostgres({ client, schema });
  return {
    kind: "postgres",
    db,
    async migrate() {
      // One instance migrates at a time; the others wait on the advisory lock and
      // then find nothing left to apply.
      const lockClient = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await lockClient`SELECT pg_advisory_lock(72710001)`;
        await migratePostgres(drizzlePostgres({ client: lockClient }), { migrationsFolder: MIGRATIONS_FOLDER });
        await lockClient`SELECT pg_advisory_unlock(72710001)`;
      } finally {
        await lockClient.end();
      }
    },
    close: () => client.end({ timeout: 5 }),
  };
}

/**
 * PGlite is single-process: two processes opening one data folder corrupt it.
 * A pid file beside the folder turns that mistake into a clear error.
 */
function lockDataDir(dir: string) {
  const lockFile = `${dir}.pid`;
  try {
    const pid = Number(fs.readFileSync(lockFile, "utf8"));
    if (pid && pid !== process.pid) {
      let alive = true;
      try {
        process.kill(pid, 0);
      } catch {
        alive = false;
      }
      if (alive) {
        throw new Error(
          `The embedded database ${dir} is in use by process ${pid} (is \`npm run dev\` or \`npm start\` running?). ` +
            "Stop it first, or set DATABASE_URL to use PostgreSQL.",
        );
      }
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  fs.writeFileSync(lockFile, String(process.pid));
  process.once("exit", () => {
    try {
      if (fs.readFileSync(lockFile, "utf8") === String(process.pid)) fs.unlinkSync(lockFile);
    } catch {
      // already gone
    }
  });
}

/** dataDir undefined = in memory (tests). */
export function openPglite(dataDir?: string): Database {
  if (dataDir) {
    fs.mkdirSync(path.dirname(path.resolve(dataDir)), { recursive: true });
    lockDataDir(path.resolve(dataDir));
  }
  const client = new PGlite(dataDir ? path.resolve(dataDir) : undefined);
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  return {
    kind: "pglite",
    db,
    migrate: () => migratePglite(db as never, { migrationsFolder: MIGRATIONS_FOLDER }),
    close: () => client.close(),
  };
}

// One database per process. Kept on globalThis because Next.js bundles
// instrumentation and route handlers separately, and an embedded PGlite data
// folder must never be opened twice.
const state = globalThis as unknown as {
  __appDatabase?: Database;
  __appDatabaseReady?: Promise<void>;
};

export function getDatabase(): Database {
  if (!state.__appDatabase) {
    const e = env();
    state.__appDatabase = e.DATABASE_URL ? openPostgres(e.DATABASE_URL) : openPglite(e.PGLITE_DATA_DIR);
  }
  return state.__appDatabase;
}

export function getDb(): Db {
  return getDatabase().db;
}

/** Tests and scripts install their own database. */
export function setDatabase(database: Database | undefined) {
  state.__appDatabase = database;
  state.__appDatabaseReady = undefined;
}

/**
 * Once per process: applies pending migrations when DB_MIGRATE_ON_START allows, and
 * in every case refuses (DatabaseNotReadyError naming the fix) a database that lacks
 * a migration or a SQL function the app needs. `adoptPushed`: see migrateDatabase.
 */
export function ensureMigrated(options: { adoptPushed?: boolean } = {}): Promise<void> {
  if (!state.__appDatabaseReady) {
    const database = getDatabase();
    state.__appDatabaseReady = env().DB_MIGRATE_ON_START || options.adoptPushed
      ? migrateDatabase(database, MIGRATIONS_FOLDER, { adoptPushed: !!options.adoptPushed })
      : verifyDatabase(database, MIGRATIONS_FOLDER);
    state.__appDatabaseReady.catch(() => {
      state.__appDatabaseReady = undefined;
    });
  }
  return state.__appDatabaseReady;
}

/** Rows of a raw `execute()` result, whichever driver produced it. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/** How long the health check waits for the database before reporting it down. */
export const PING_TIMEOUT_MS = 1500;

/** `select 1`, given up after `timeoutMs`: the health check answers promptly even when the database hangs. */
export async function pingDatabase(
  timeoutMs = PING_TIMEOUT_MS,
): Promise<{ kind: DatabaseKind; ok: boolean; latencyMs: number; error?: string }> {
  const started = performance.now();
  let kind: DatabaseKind = env().DATABASE_URL ? "postgres" : "pglite";
  let timer: NodeJS.Timeout | undefined;
  try {
    const database = getDatabase();
    kind = database.kind;
    const ping = database.db.execute(sql`select 1`);
    ping.catch(() => {}); // a late failure after the timeout is already reported
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    await Promise.race([ping, timeout]);
    return { kind, ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    const message = (error as Error).message ?? "";
    return {
      kind,
      ok: false,
      latencyMs: Math.round(performance.now() - started),
      error: message.startsWith("no answer") ? "timeout" : "unreachable",
    };
  } finally {
    clearTimeout(timer);
  }
}

export { schema };

/** Applied vs expected migrations and missing SQL functions, for /api/health. */
// /api/health reads this on every probe (load balancers poll it): one reading serves for
// STATUS_TTL_MS, so a probe costs a ping, and a lost migration or function shows within seconds.
const STATUS_TTL_MS = 5_000;
let lastStatus: { at: number; status: Promise<MigrationStatus> } | undefined;

export function databaseMigrationStatus(): Promise<MigrationStatus> {
  if (!lastStatus || Date.now() - lastStatus.at > STATUS_TTL_MS) {
    const status = migrationStatus(getDb(), MIGRATIONS_FOLDER);
    lastStatus = { at: Date.now(), status };
    status.catch(() => (lastStatus = undefined));
  }
  return lastStatus.status;
}
