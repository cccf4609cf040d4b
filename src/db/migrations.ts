import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { readMigrationFiles } from "drizzle-orm/migrator";
import type { Database, Executor } from "./index";

/**
 * What the database must hold before the app serves a request: every migration in
 * drizzle/ applied, and every SQL function those migrations define (the ledger's
 * credits_debit, rate_limit_hit, ...). `drizzle-kit push` creates the tables from
 * schema.ts but neither the functions nor the migration history, which leaves a
 * database that fails at the first task; the checks here turn that into a refusal
 * to start that names the cause and the fix.
 */

export const MIGRATE_COMMAND = "npm run db:migrate";

interface JournalEntry {
  tag: string;
  when: number;
}

export interface MigrationStatus {
  /** Migrations in drizzle/ (the journal). */
  expected: number;
  /** Migrations the database records as applied. */
  applied: number;
  /** Tags of the migrations not applied yet. */
  pending: string[];
  /** SQL functions defined by the migrations that the database lacks. */
  missingFunctions: string[];
  /** The app's tables exist but no migration was ever recorded (`drizzle-kit push`). */
  pushedWithoutHistory: boolean;
}

export class DatabaseNotReadyError extends Error {}

function journal(folder: string): JournalEntry[] {
  const file = path.join(folder, "meta", "_journal.json");
  return (JSON.parse(fs.readFileSync(file, "utf8")) as { entries: JournalEntry[] }).entries;
}

// What drizzle/ defines, read once per folder and journal version (the files change only by a deploy).
const functionsByJournal = new Map<string, Map<string, string>>();

/** Every `CREATE [OR REPLACE] FUNCTION name` in the migrations, with the file defining it last. */
export function definedFunctions(folder: string): Map<string, string> {
  const key = `${folder}:${fs.statSync(path.join(folder, "meta", "_journal.json")).mtimeMs}`;
  let found = functionsByJournal.get(key);
  if (!found) functionsByJournal.set(key, (found = readDefinedFunctions(folder)));
  return found;
}

function readDefinedFunctions(folder: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const entry of journal(folder)) {
    const text = fs.readFileSync(path.join(folder, `${entry.tag}.sql`), "utf8");
    for (const m of text.matchAll(/create\s+(?:or\s+replace\s+)?function\s+(?:public\.)?"?([a-z_][a-z0-9_]*)"?\s*\(/gi)) {
      found.set(m[1].toLowerCase(), entry.tag);
    }
  }
  return found;
}

function rows<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/** Compares the database with drizzle/ without changing anything. */
export async function migrationStatus(db: Executor, folder: string): Promise<MigrationStatus> {
  const entries = journal(folder);
  const [history] = rows<{ present: boolean }>(
    await db.execute(sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`),
  );
  let applied = 0;
  let lastApplied = 0;
  if (history?.present) {
    const [row] = rows<{ n: number | string; last: number | string | null }>(
      await db.execute(sql`select count(*) as n, max(created_at) as last from drizzle.__drizzle_migrations`),
    );
    applied = Number(row?.n ?? 0);
    lastApplied = Number(row?.last ?? 0);
  }
  // drizzle's migrator applies every journal entry newer than the last recorded one.
  const pending = entries.filter((e) => e.when > lastApplied).map((e) => e.tag);

  const wanted = [...definedFunctions(folder).keys()];
  const present = new Set(
    rows<{ name: string }>(
      await db.execute(sql`
        select distinct p.proname as name from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = any(current_schemas(false))`),
    ).map((r) => r.name),
  );
  const missingFunctions = wanted.filter((f) => !present.has(f));

  const [tables] = rows<{ present: boolean }>(await db.execute(sql`select to_regclass('users') is not null as present`));
  return {
    expected: entries.length,
    applied,
    pending,
    missingFunctions,
    pushedWithoutHistory: applied === 0 && !!tables?.present,
  };
}

/** Throws a DatabaseNotReadyError naming the cause and the fix unless the database is complete. */
export function assertDatabaseReady(status: MigrationStatus) {
  if (status.pushedWithoutHistory) {
    throw new DatabaseNotReadyError(
      "The database has the app's tables but no migration history (was it created with `drizzle-kit push`?)" +
        (status.missingFunctions.length ? `; it lacks the SQL function(s) ${status.missingFunctions.join(", ")}` : "") +
        `. Run \`${MIGRATE_COMMAND}\`: it records the existing tables as migrated and creates the functions.`,
    );
  }
  if (status.pending.length > 0) {
    throw new DatabaseNotReadyError(
      `The database lacks ${status.pending.length} migration(s): ${status.pending.join(", ")} ` +
        `(${status.applied} of ${status.expected} applied). Run \`${MIGRATE_COMMAND}\` ` +
        "(or start with DB_MIGRATE_ON_START=true).",
    );
  }
  if (status.missingFunctions.length > 0) {
    throw new DatabaseNotReadyError(
      `The database lacks the SQL function(s) ${status.missingFunctions.join(", ")} that the ledger needs. ` +
        `Run \`${MIGRATE_COMMAND}\` to create them.`,
    );
  }
}

/**
 * A database made by `drizzle-kit push` has the current schema's tables: record
 * every migration as applied (so the migrator does not try to create them again);
 * the functions are then created by `restoreFunctions`.
 */
async function adoptPushedDatabase(db: Executor, folder: string) {
  await db.execute(sql`create schema if not exists drizzle`);
  await db.execute(
    sql`create table if not exists drizzle.__drizzle_migrations (id serial primary key, hash text not null, created_at bigint)`,
  );
  for (const m of readMigrationFiles({ migrationsFolder: folder })) {
    await db.execute(sql`insert into drizzle.__drizzle_migrations (hash, created_at) values (${m.hash}, ${m.folderMillis})`);
  }
}

/** Re-runs the migration that defines each missing function (they are all CREATE OR REPLACE). */
async function restoreFunctions(db: Executor, folder: string, missing: string[]) {
  const defined = definedFunctions(folder);
  const tags = [...new Set(missing.map((f) => defined.get(f)!))];
  for (const tag of tags) {
    const text = fs.readFileSync(path.join(folder, `${tag}.sql`), "utf8");
    for (const statement of text.split("--> statement-breakpoint")) {
      if (statement.trim()) await db.execute(sql.raw(statement));
    }
  }
}

/**
 * The migration step at start (DB_MIGRATE_ON_START) and of `npm run db:migrate`:
 * apply pending migrations, then check the result. `adoptPushed` (the command
 * only, an operator's decision) also completes a `drizzle-kit push` database.
 */
export async function migrateDatabase(database: Database, folder: string, options: { adoptPushed: boolean }) {
  const before = await migrationStatus(database.db, folder);
  if (before.pushedWithoutHistory) {
    if (!options.adoptPushed) assertDatabaseReady(before);
    await adoptPushedDatabase(database.db, folder);
  }
  await database.migrate();
  let after = await migrationStatus(database.db, folder);
  if (after.missingFunctions.length > 0) {
    await restoreFunctions(database.db, folder, after.missingFunctions);
    after = await migrationStatus(database.db, folder);
  }
  assertDatabaseReady(after);
}

/** The check at start when DB_MIGRATE_ON_START=false: nothing is changed. */
export async function verifyDatabase(database: Database, folder: string) {
  assertDatabaseReady(await migrationStatus(database.db, folder));
}
