// The floor the page budgets are measured over (docs/benchmarks.md, "Page budgets"): a bare App
// Router page (a root layout and a page of text, no client code of its own) built with this
// repository's own next, react and react-dom (its node_modules), and served by `next start`.
// Whatever a page of the app loads beyond what this page loads is the app's share.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, waitUntilOk } from "./app-server";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

// Outside the repository (inside it, Next would take the app's src/instrumentation.ts and proxy
// for the baseline's own); `next` and `react` resolve through a node_modules link to the repo's,
// and Turbopack's root is set above both so that it follows the link.
const FILES: Record<string, string> = {
  "package.json": JSON.stringify({ name: "next-baseline", private: true, type: "module" }),
  "next.config.mjs": `export default { poweredByHeader: false, turbopack: { root: ${JSON.stringify(path.parse(ROOT).root)} } };\n`,
  "app/layout.js": [
    "export const metadata = { title: 'Baseline' };",
    "export default function RootLayout({ children }) {",
    "  return <html lang=\"en\"><body>{children}</body></html>;",
    "}",
    "",
  ].join("\n"),
  // Dynamic like every page of the app (they render per request for the CSP nonce).
  "app/page.js": [
    "import { connection } from 'next/server';",
    "export default async function Page() {",
    "  await connection();",
    "  return <main><h1>Baseline</h1><p>A bare App Router page: text only, no client code of its own.</p></main>;",
    "}",
    "",
  ].join("\n"),
};

function versions(): string {
  const version = (name: string) => JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", name, "package.json"), "utf8")).version as string;
  return `next ${version("next")}, react ${version("react")}, react-dom ${version("react-dom")}`;
}

/** Builds the baseline app once per next/react version (a folder per version and a stamp file). */
export function ensureBaselineBuild(): { dir: string; versions: string } {
  const wanted = JSON.stringify({ versions: versions(), files: FILES, root: ROOT });
  const DIR = path.join(os.tmpdir(), `next-baseline-${crypto.createHash("sha256").update(wanted).digest("hex").slice(0, 12)}`);
  const stamp = path.join(DIR, ".next", ".baseline-stamp");
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === wanted) return { dir: DIR, versions: versions() };
  fs.rmSync(DIR, { recursive: true, force: true });
  for (const [file, text] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(DIR, file)), { recursive: true });
    fs.writeFileSync(path.join(DIR, file), text);
  }
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(DIR, "node_modules"), "dir");
  const result = spawnSync(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "build"], {
    cwd: DIR,
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", NEXT_DIST_DIR: "" },
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`baseline next build failed:\n${result.stdout}\n${result.stderr}`);
  fs.writeFileSync(stamp, wanted);
  return { dir: DIR, versions: versions() };
}

export interface BaselineServer {
  url: string;
  versions: string;
  stop(): Promise<void>;
}

/** `next start` of the baseline build on a free port. */
export async function startBaselineServer(): Promise<BaselineServer> {
  const { dir, versions: built } = ensureBaselineBuild();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = "";
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: dir,
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", NEXT_DIST_DIR: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await waitUntilOk(child, url, () => output, "baseline next start");
  return {
    url,
    versions: built,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
