// Vitest setup for integration tests: each test file gets its own fresh, migrated
// database (PGlite in memory, or a new PostgreSQL database), installed as the
// app's database so services are called exactly as the app calls them.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { setDatabase } from "@/db";
import { createTestDatabase, type TestDatabase, type TestDbKind } from "./test-database";

// Task outputs are copied into storage: each test file gets its own local storage folder.
const storageDir = fs.mkdtempSync(path.join(os.tmpdir(), "storage-it-"));
process.env.STORAGE_LOCAL_DIR = storageDir;

const kind = (process.env.TEST_DB_KIND ?? "pglite") as TestDbKind;
let current: TestDatabase | undefined;

beforeAll(async () => {
  current = await createTestDatabase(kind);
  setDatabase(current.database);
});

afterAll(async () => {
  setDatabase(undefined);
  await current?.drop();
  fs.rmSync(storageDir, { recursive: true, force: true });
});

/** The test file's database (kind, handle, and URL on PostgreSQL). */
export function testDb(): TestDatabase {
  if (!current) throw new Error("test database not ready (use it inside tests or hooks)");
  return current;
}
