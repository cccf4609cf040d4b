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

export function openPostgres(url: string, options: { max?: number } = {}): Database {
  const client = postgres(url, {
    max: options.max ?? env().DATABASE_POOL_MAX,
    onnotice: () => {},
    connect_timeout: 10,
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

export async function pingDatabase(): Promise<{ kind: DatabaseKind; ok: boolean; latencyMs: number }> {
  const database = getDatabase();
  const started = performance.now();
  try {
    await database.db.execute(sql`select 1`);
    return { kind: database.kind, ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch {
    return { kind: database.kind, ok: false, latencyMs: Math.round(performance.now() - started) };
  }
}

export { schema };

/** Applied vs expected migrations and missing SQL functions, for /api/health. */
export function databaseMigrationStatus(): Promise<MigrationStatus> {
  return migrationStatus(getDb(), MIGRATIONS_FOLDER);
}
