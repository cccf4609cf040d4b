import { defineConfig, devices } from "@playwright/test";

// Browser end-to-end tests (tests/e2e) against a real `next start` on a fresh
// database, started by tests/e2e/global-setup.ts together with a local fake
// Stripe API. Browsers are never downloaded: Debian's Chromium is driven
// (`apt-get install chromium`; .ci/run installs it).
export default defineConfig({
  testDir: "tests/e2e",
  testMatch: "**/*.spec.ts",
  // `npm run test:e2e` runs the e2e project; `npm run test:lighthouse` the Lighthouse audits
  // (minutes per page on a small machine: docs/benchmarks.md, "Page budgets").
  projects: [
    { name: "e2e", testIgnore: "**/lighthouse.spec.ts" },
    { name: "lighthouse", testMatch: "**/lighthouse.spec.ts" },
  ],
  globalSetup: "./tests/e2e/global-setup.ts",
  // Two workers: the specs mostly wait on the app server and the mock tasks, so two at once
  // halve the run on a 2-core machine (~30 -> ~12 min); each test signs up its own users.
  // The Lighthouse project is one file, run in one worker either way.
  workers: 2,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  outputDir: "test-results/e2e",
  reporter: process.env.CI ? [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]] : "list",
  use: {
    ...devices["Desktop Chrome"],
    headless: true,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
});
