// The README's quick start, in a browser: `next dev` with nothing configured (PGlite, the demo
// generator, no Stripe) serves the landing and a task page that hydrate with no console error,
// opened on localhost and on 127.0.0.1 (Next's dev server refuses its hot-reload socket to
// origins it does not know: next.config.ts allowedDevOrigins). Everything else is tested
// against `next start`; this is the one check of the development server.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, TEST_DIST_DIR, waitUntilOk } from "../support/app-server";
import { expect, test } from "./fixtures";

let server: ChildProcess;
let port: number;
let output = "";
let dataDir: string;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  port = await freePort();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dev-server-"));
  // Zero configuration: none of this process's settings (no DATABASE_URL, no secrets); the
  // database in a temporary folder instead of ./data/pglite, and the dev build under the test
  // build's folder (`next dev` writes <distDir>/dev, apart from the production build).
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: "development",
    PATH: process.env.PATH!,
    HOME: process.env.HOME!,
    NEXT_TELEMETRY_DISABLED: "1",
    NEXT_DIST_DIR: TEST_DIST_DIR,
    PGLITE_DATA_DIR: dataDir,
  };
  server = spawn(process.execPath, [path.resolve("node_modules/next/dist/bin/next"), "dev", "-p", String(port)], { env, detached: true });
  server.stdout!.on("data", (d) => (output += d));
  server.stderr!.on("data", (d) => (output += d));
  await waitUntilOk(server, `http://127.0.0.1:${port}/api/health`, () => output, "next dev");
});

test.afterAll(async () => {
  if (server?.exitCode === null) {
    const exited = new Promise((resolve) => server.once("exit", resolve));
    process.kill(-server.pid!, "SIGTERM");
    await exited;
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

for (const host of ["localhost", "127.0.0.1"]) {
  test(`next dev on ${host}: the landing and a task page hydrate with no console error`, async ({ page }) => {
    // The first request of a page compiles it.
    test.setTimeout(240_000);
    const base = `http://${host}:${port}`;
    await page.goto(`${base}/en`, { timeout: 120_000 });
    await expect(page.getByTestId("hero-cta")).toBeVisible();
    await page.goto(`${base}/en/tasks/text-to-video`, { timeout: 120_000 });
    // Hydrated: the form's submit button is enabled by its client code, and typing changes the
    // live hint.
    await expect(page.getByTestId("t2v-submit")).toBeEnabled({ timeout: 60_000 });
    await page.locator("#t2v-prompt").fill("A paper boat on a pond");
    await expect(page.locator("#t2v-prompt-hint")).toHaveText(/^22 \/ \d+ characters$/);
    // Hot reload is connected (a refused socket retries with a console error each time, which the
    // fixture reports).
    await page.waitForTimeout(2_000);
    expect(output).not.toContain("Blocked cross-origin request");
  });
}
