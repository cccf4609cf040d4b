import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPglite, type Database } from "@/db";
import { insertUser } from "../support/fixtures";
import { testDb } from "../support/setup-db";

const run = promisify(execFile);

/**
 * The operator commands run as a user would run them: `npm run ...` in a child
 * process, against PGlite's data folder or DATABASE_URL.
 */
describe("operator commands", () => {
  let env: NodeJS.ProcessEnv;
  let scratch: Database | undefined;
  let tmp: string | undefined;

  // On PGlite the scripts need a data folder of their own (one process per folder).
  async function withDb<T>(fn: (db: Database["db"]) => Promise<T>): Promise<T> {
    if (testDb().kind === "postgres") return fn(testDb().database.db);
    scratch = openPglite(path.join(tmp!, "db"));
    try {
      return await fn(scratch.db);
    } finally {
      await scratch.close();
      fs.rmSync(path.join(tmp!, "db.pid"), { force: true });
    }
  }

  beforeAll(async () => {
    if (testDb().kind === "postgres") {
      env = { ...process.env, DATABASE_URL: testDb().url };
    } else {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), "scripts-pglite-"));
      env = { ...process.env, DATABASE_URL: "", PGLITE_DATA_DIR: path.join(tmp, "db") };
      await run("npm", ["run", "-s", "db:migrate"], { env });
    }
    await withDb((db) => insertUser("operator@example.com", db));
  });

  afterAll(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const npm = (...args: string[]) => run("npm", ["run", "-s", ...args], { env });
  const lastLine = (s: string) => s.trim().split("\n").at(-1);

  it("credits:grant adds system credits and credits:balance prints the balance last", async () => {
    const g = await npm("credits:grant", "--", "--email", " OPERATOR@example.com", "--credits", "100", "--days", "30", "--reason", "support");
    expect(lastLine(g.stdout)).toBe("100");
    const b = await npm("credits:balance", "--", "--email", "operator@example.com");
    expect(lastLine(b.stdout)).toBe("100");
  });

  it("rejects bad amounts and unknown users, writing nothing", async () => {
    for (const credits of ["0", "-5", "1.5", "abc", "999999999999"]) {
      await expect(npm("credits:grant", "--", "--email", "operator@example.com", "--credits", credits)).rejects.toMatchObject({ code: 1 });
    }
    await expect(npm("credits:balance", "--", "--email", "nobody@example.com")).rejects.toMatchObject({ code: 1 });
    const b = await npm("credits:balance", "--", "--email", "operator@example.com");
    expect(lastLine(b.stdout)).toBe("100");
  });

  it("credits:verify passes on a consistent ledger and names the offender otherwise", async () => {
    const ok = await npm("credits:verify");
    expect(ok.stdout).toContain("ledger consistent");
    await withDb((db) => db.execute(sql`UPDATE credit_grants SET remaining = remaining - 1`));
    const bad = await npm("credits:verify").catch((e) => e);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain("OFFENCE");
    await withDb((db) => db.execute(sql`UPDATE credit_grants SET remaining = remaining + 1`));
  });
});
