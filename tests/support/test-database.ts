import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { openPglite, openPostgres, type Database } from "@/db";

export type TestDbKind = "pglite" | "postgres";

export interface TestDatabase {
  kind: TestDbKind;
  database: Database;
  /** PostgreSQL only: the URL of this fresh database, for extra connection pools. */
  url?: string;
  drop(): Promise<void>;
}

/** The admin URL for creating throwaway databases, or undefined when not configured. */
export function testDatabaseUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || undefined;
}

/** A URL for a brand-new, empty PostgreSQL database, and a function that drops it. */
export async function createPostgresDatabase(prefix = "t"): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = testDatabaseUrl();
  if (!adminUrl) throw new Error("TEST_DATABASE_URL is not set");
  const name = `${prefix}_${Date.now().toString(36)}_${crypto.randomBytes(4).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await a.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await a.end();
    },
  };
}

/** A fresh, migrated database of the given kind; nothing from other runs is visible. */
export async function createTestDatabase(kind: TestDbKind): Promise<TestDatabase> {
  if (kind === "pglite") {
    const database = openPglite();
    await database.migrate();
    return { kind, database, drop: () => database.close() };
  }
  const fresh = await createPostgresDatabase();
  const database = openPostgres(fresh.url, { max: 10 });
  await database.migrate();
  return {
    kind,
    database,
    url: fresh.url,
    async drop() {
      await database.close();
      await fresh.drop();
    },
  };
}

/**
 * The database settings for an app server a test starts: a new PostgreSQL database when
 * TEST_DATABASE_URL is set, else PGlite in a new temporary folder; `cleanup` removes it.
 */
export async function freshAppDatabase(prefix: string): Promise<{ env: { DATABASE_URL: string; PGLITE_DATA_DIR?: string }; cleanup(): Promise<void> }> {
  if (testDatabaseUrl()) {
    const fresh = await createPostgresDatabase(prefix);
    return { env: { DATABASE_URL: fresh.url }, cleanup: fresh.drop };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-pglite-`));
  return {
    env: { DATABASE_URL: "", PGLITE_DATA_DIR: path.join(dir, "db") },
    cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
