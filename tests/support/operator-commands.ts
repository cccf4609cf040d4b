// For a test file that runs the operator commands as an operator does (`npm run ...` in a
// child process): against the file's PostgreSQL database, or on PGlite a data folder of its
// own (PGlite is one process per folder, so the test opens it only between commands).
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll } from "vitest";
import { openPglite, type Database } from "@/db";
import { testDb } from "./setup-db";

const run = promisify(execFile);

/**
 * Registers the hooks that make the commands' database and returns how to run a command
 * (`npm("credits:grant", "--", ...)`) and how to reach the same database from the test
 * (`withDb`). `env` adds to the commands' environment (read when the hooks run);
 * `migrate: false` leaves a new PGlite folder unmigrated, for a command that migrates it.
 */
export function useOperatorCommands(options: { env?: () => Record<string, string>; migrate?: boolean } = {}) {
  let env: NodeJS.ProcessEnv;
  let tmp: string | undefined;

  beforeAll(async () => {
    const base = { ...process.env, ...options.env?.() };
    if (testDb().kind === "postgres") {
      env = { ...base, DATABASE_URL: testDb().url };
      return;
    }
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "operator-pglite-"));
    env = { ...base, DATABASE_URL: "", PGLITE_DATA_DIR: path.join(tmp, "db") };
    if (options.migrate !== false) await run("npm", ["run", "-s", "db:migrate"], { env });
  });
  afterAll(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  return {
    npm: (...args: string[]) => run("npm", ["run", "-s", ...args], { env }),
    async withDb<T>(fn: (db: Database["db"]) => Promise<T>): Promise<T> {
      if (testDb().kind === "postgres") return fn(testDb().database.db);
      const scratch = openPglite(path.join(tmp!, "db"));
      try {
        return await fn(scratch.db);
      } finally {
        await scratch.close();
        fs.rmSync(path.join(tmp!, "db.pid"), { force: true });
      }
    },
  };
}
