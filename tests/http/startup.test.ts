import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { startAppServer, startExpectingExit } from "../support/app-server";
import { createPostgresDatabase, testDatabaseUrl } from "../support/test-database";

const root = path.resolve(import.meta.dirname, "../..");
const run = promisify(execFile);

const SECRET = {
  AUTH_SECRET: "startup-test-secret-startup-test-secret-0123",
  STORAGE_SIGNING_SECRET: "startup-test-storage-secret-0123456789",
  // A mail transport must be named (email verification is on); these servers never send.
  SMTP_URL: "smtp://127.0.0.1:9",
};

// The build exists: the http project's globalSetup made it.
// Generous timeouts: several servers start one after another, on a loaded machine.
describe("server start", { timeout: 240_000 }, () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it("a production deployment without AUTH_SECRET stops at start, naming the variable", async () => {
    const { code, output } = await startExpectingExit({ DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" }, ["AUTH_SECRET"]);
    expect(output).toContain("Missing required environment variable(s) for production: AUTH_SECRET");
    expect(code).toBe(1);
  });

  // Issue 26, item 9: `AUTH_SECRET=x` started a production server, and a production PGlite
  // server started without STORAGE_SIGNING_SECRET, signing output URLs with a key from the source.
  it("a production start refuses AUTH_SECRET or STORAGE_SIGNING_SECRET shorter than 32 characters, naming (never printing) them", async () => {
    for (const [name, database] of [
      ["AUTH_SECRET", { DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" }],
      ["AUTH_SECRET", { DATABASE_URL: "" }],
      ["STORAGE_SIGNING_SECRET", { DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" }],
      ["STORAGE_SIGNING_SECRET", { DATABASE_URL: "" }],
    ] as const) {
      const weak = "x".repeat(31);
      const { code, output } = await startExpectingExit({ ...SECRET, ...database, PGLITE_DATA_DIR: path.join(os.tmpdir(), "never-opened"), [name]: weak });
      expect(output, `${name} ${database.DATABASE_URL || "pglite"}`).toContain(`Secret(s) too short for production: ${name} (at least 32 characters`);
      expect(output).not.toContain(weak);
      expect(code).toBe(1);
    }
  });

  it("a production server on PGlite without STORAGE_SIGNING_SECRET stops at start, as on PostgreSQL", async () => {
    for (const DATABASE_URL of ["", "postgres://nobody@127.0.0.1:1/none"]) {
      const { code, output } = await startExpectingExit({ ...SECRET, DATABASE_URL, PGLITE_DATA_DIR: path.join(os.tmpdir(), "never-opened") }, ["STORAGE_SIGNING_SECRET"]);
      expect(output, DATABASE_URL || "pglite").toContain("Missing required environment variable(s) for production: STORAGE_SIGNING_SECRET.");
      expect(code).toBe(1);
    }
  });

  it("a production deployment with email verification on (the default) and no SMTP_URL stops at start, naming SMTP_URL", async () => {
    const { code, output } = await startExpectingExit({ ...SECRET, DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" }, ["SMTP_URL", "EMAIL_VERIFICATION"]);
    expect(output).toContain("Missing required environment variable(s) for production: SMTP_URL.");
    expect(code).toBe(1);
  });

  it("DB_MIGRATE_ON_START=false on an unmigrated database: refuses to start, naming the missing migrations and the fix", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "startup-pglite-"));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const { code, output } = await startExpectingExit({
      ...SECRET,
      DATABASE_URL: "",
      PGLITE_DATA_DIR: path.join(dir, "db"),
      DB_MIGRATE_ON_START: "false",
    });
    expect(output).toMatch(/lacks (\d+) migration\(s\): 0000_init, .*\(0 of \1 applied\)/);
    expect(output).toContain("npm run db:migrate");
    expect(code).toBe(1);
  });

  it("a production server whose APP_URL names another local port warns at start, and still serves", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "startup-appurl-"));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const server = await startAppServer({ env: { ...SECRET, DATABASE_URL: "", PGLITE_DATA_DIR: path.join(dir, "db"), APP_URL: "http://localhost:1" } });
    cleanups.push(() => server.stop());
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    expect(server.output()).toMatch(/APP_URL \(http:\/\/localhost:1\) is port 1 of this machine, but the server listens on port \d+/);
  });

  describe.skipIf(!testDatabaseUrl())("PostgreSQL", () => {
    async function freshDatabase() {
      const fresh = await createPostgresDatabase("startup");
      cleanups.push(fresh.drop);
      return fresh.url;
    }

    it("a database made by `drizzle-kit push` (tables, no SQL functions): refuses to start whatever DB_MIGRATE_ON_START says; `npm run db:migrate` repairs it", async () => {
      const url = await freshDatabase();
      await run("npx", ["drizzle-kit", "push", "--force"], { cwd: root, env: { ...process.env, DATABASE_URL: url } });

      for (const migrate of ["false", "true"]) {
        const { code, output } = await startExpectingExit({ ...SECRET, DATABASE_URL: url, DB_MIGRATE_ON_START: migrate });
        expect(output).toContain("no migration history (was it created with `drizzle-kit push`?)");
        expect(output).toContain("lacks the SQL function(s) credits_debit, rate_limit_hit");
        expect(output).toContain("Run `npm run db:migrate`");
        expect(code).toBe(1);
      }

      await run("npm", ["run", "-s", "db:migrate"], { cwd: root, env: { ...process.env, DATABASE_URL: url } });
      // The check every command and server start makes now passes, and the ledger works.
      const env = { ...process.env, DATABASE_URL: url, DB_MIGRATE_ON_START: "false" };
      await run("npm", ["run", "-s", "db:seed"], { cwd: root, env });
      const verify = await run("npm", ["run", "-s", "credits:verify"], { cwd: root, env });
      expect(verify.stdout).toContain("ledger consistent");
    });

    it("a migrated database that lost a ledger function: refuses to start naming it", async () => {
      const url = await freshDatabase();
      await run("npm", ["run", "-s", "db:migrate"], { cwd: root, env: { ...process.env, DATABASE_URL: url } });
      const sql = postgres(url, { max: 1, onnotice: () => {} });
      await sql`DROP FUNCTION credits_debit(text, text, text, integer, text, text, text)`;
      await sql.end();
      const { code, output } = await startExpectingExit({ ...SECRET, DATABASE_URL: url, DB_MIGRATE_ON_START: "false" });
      expect(output).toContain("lacks the SQL function(s) credits_debit that the ledger needs. Run `npm run db:migrate`");
      expect(code).toBe(1);
    });
  });
});
