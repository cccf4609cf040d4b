// A PostgreSQL server the reliability suite may restart at will.
//
// When we are root and the PostgreSQL binaries are installed (CI and this
// machine), scenario (d) gets a private cluster: initdb into a temporary folder,
// run by the postgres user on a free port, restarted with pg_ctl. Restarting it
// is a real PostgreSQL restart, but nobody else's connections are cut (the shared
// `main` cluster serves every other test run on the machine). Otherwise, and
// when RELIABILITY_PG_CLUSTER=main, the shared cluster is restarted with
// `pg_ctlcluster --skip-systemctl-redirect <version> main restart`.
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../support/app-server";

export interface RestartablePostgres {
  /** Admin URL (database `postgres`) of this server. */
  adminUrl: string;
  kind: "private" | "main";
  /** Restarts the server; asynchronous, so load generated in this process keeps flowing. */
  restart(): Promise<void>;
  stop(): void;
}

function binDir(): string | undefined {
  const base = "/usr/lib/postgresql";
  if (!fs.existsSync(base)) return undefined;
  const versions = fs.readdirSync(base).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const dir = path.join(base, v, "bin");
    if (fs.existsSync(path.join(dir, "initdb"))) return dir;
  }
  return undefined;
}

const run = promisify(execFile);

function asPostgres(bin: string, args: string[]) {
  execFileSync("runuser", ["-u", "postgres", "--", bin, ...args], { stdio: "pipe" });
}

export async function startRestartablePostgres(): Promise<RestartablePostgres> {
  const bin = binDir();
  const wantMain = process.env.RELIABILITY_PG_CLUSTER === "main";
  if (!wantMain && bin && process.getuid?.() === 0) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rel-pg-"));
    fs.chownSync(dir, Number(execFileSync("id", ["-u", "postgres"]).toString()), Number(execFileSync("id", ["-g", "postgres"]).toString()));
    const data = path.join(dir, "data");
    const port = await freePort();
    asPostgres(path.join(bin, "initdb"), ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]);
    const pgCtlArgs = (action: string, extra: string[] = []) => [
      "-u", "postgres", "--", path.join(bin, "pg_ctl"),
      "-D", data, "-l", path.join(dir, "server.log"), "-w", "-t", "60",
      "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
      ...extra, action,
    ];
    const pgCtl = (action: string, extra: string[] = []) => execFileSync("runuser", pgCtlArgs(action, extra), { stdio: "ignore" });
    pgCtl("start");
    return {
      adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
      kind: "private",
      async restart() {
        // Output goes to the log file: the restarted postmaster must not hold our pipe open.
        await run("runuser", pgCtlArgs("restart", ["-m", "fast"]));
      },
      stop() {
        try {
          pgCtl("stop", ["-m", "immediate"]);
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  }
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error("TEST_DATABASE_URL is not set");
  const version = fs.readdirSync("/etc/postgresql")[0];
  return {
    adminUrl,
    kind: "main",
    async restart() {
      await run("pg_ctlcluster", ["--skip-systemctl-redirect", version, "main", "restart"]);
    },
    stop: () => {},
  };
}
