// Builds the app once per source change and runs `next start` for tests,
// end-to-end runs, the reliability suite and benchmarks.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startSmtp } from "./smtp";

// import.meta.url, not __dirname: Playwright and tsx load this file as an ES module.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const TEST_DIST_DIR = ".next-test";
const STAMPED = ["src", "messages", "public", "drizzle", "next.config.ts", "package-lock.json", "tsconfig.json", "postcss.config.mjs"];

function hashSources(): string {
  const hash = crypto.createHash("sha256");
  const walk = (p: string) => {
    const full = path.join(ROOT, p);
    if (!fs.existsSync(full)) return;
    const stat = fs.statSync(full);
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(full).sort()) walk(path.join(p, name));
    } else {
      hash.update(p).update(fs.readFileSync(full));
    }
  };
  STAMPED.forEach(walk);
  return hash.digest("hex");
}

/** Runs `next build` into .next-test unless the sources are unchanged since the last one. */
export function ensureBuild(): string {
  const distDir = path.join(ROOT, TEST_DIST_DIR);
  const stampFile = path.join(distDir, ".source-stamp");
  const lockDir = path.join(ROOT, `${TEST_DIST_DIR}.lock`);
  const stamp = hashSources();
  if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, "utf8") === stamp) return distDir;
  // One build at a time on this checkout.
  const started = Date.now();
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      break;
    } catch {
      if (Date.now() - started > 10 * 60_000) fs.rmSync(lockDir, { recursive: true, force: true });
      spawnSync("sleep", ["1"]);
    }
  }
  try {
    if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, "utf8") === stamp) return distDir;
    console.log(`[app-server] building into ${TEST_DIST_DIR} …`);
    const result = spawnSync("npx", ["next", "build"], {
      cwd: ROOT,
      // Standalone as in the Dockerfile, so one build serves `next start` and the standalone test.
      env: { ...process.env, NEXT_DIST_DIR: TEST_DIST_DIR, NEXT_TELEMETRY_DISABLED: "1", NEXT_SKIP_TYPECHECK: "1", NEXT_OUTPUT: "standalone" },
      stdio: ["ignore", "pipe", "pipe"],
      encoding: "utf8",
    });
    if (result.status !== 0) {
      throw new Error(`next build failed:\n${result.stdout}\n${result.stderr}`);
    }
    fs.writeFileSync(stampFile, stamp);
    return distDir;
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

export interface AppServer {
  url: string;
  port: number;
  process: ChildProcess;
  /** Everything the server printed so far. */
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** How long stop() lets a server shut down gracefully before killing it. */
const STOP_GRACE_MS = 15_000;

/**
 * Polls `url` every 200 ms until it answers 2xx, for up to 60 s. Throws with the server's output
 * (`label` names it) when the child exits first or the time runs out (the child is then killed).
 */
export async function waitUntilOk(child: ChildProcess, url: string, output: () => string, label: string) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${label} exited (${child.exitCode}):\n${output()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${label} did not answer ${url}:\n${output()}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Starts `next start` on a free port with the given environment; resolves when /api/health answers.
 * Mail: unless `env` names an SMTP_URL (or sets EMAIL_VERIFICATION=off), the server sends through
 * a test SMTP server of its own, as a production server must (confirmation links); tests read
 * those mails with waitForSpooledMail (tests/support/smtp.ts).
 */
export async function startAppServer(options: { env: Record<string, string>; port?: number }): Promise<AppServer> {
  const smtp = options.env.SMTP_URL === undefined && options.env.EMAIL_VERIFICATION !== "off" ? await startSmtp() : null;
  try {
    return await startNextServer({ ...options, env: smtp ? { ...options.env, SMTP_URL: smtp.url } : options.env }, smtp?.close);
  } catch (error) {
    await smtp?.close();
    throw error;
  }
}

/**
 * `next start` of the test build with `overrides` on top of this process's environment, minus
 * `drop`, for a server that should refuse to start: resolves with its exit code and output
 * (null if still running after 90 s).
 */
export async function startExpectingExit(overrides: Record<string, string>, drop: string[] = []) {
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_DIST_DIR: TEST_DIST_DIR, ...overrides, NODE_ENV: "production" };
  for (const name of drop) delete env[name];
  const child = spawn(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "-p", "0"], { cwd: ROOT, env });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve(null);
    }, 90_000);
    child.on("exit", (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  return { code, output };
}

async function startNextServer(options: { env: Record<string, string>; port?: number }, closeMail?: () => Promise<void>): Promise<AppServer> {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  let output = "";
  const child = spawn(
    process.execPath,
    [path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: "production",
        NEXT_DIST_DIR: TEST_DIST_DIR,
        NEXT_TELEMETRY_DISABLED: "1",
        APP_URL: url,
        AUTH_URL: url,
        AUTH_TRUST_HOST: "true",
        ...options.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await waitUntilOk(child, `${url}/api/health`, () => output, "next start");
  return {
    url,
    port,
    process: child,
    output: () => output,
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      // Next's graceful close waits for every open connection to end, and a browser can keep
      // one open past the test's own timeout: what is still running after 15 s is killed.
      const kill = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
      await exited;
      clearTimeout(kill);
      await closeMail?.();
    },
  };
}
