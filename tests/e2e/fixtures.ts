// The `test` every spec uses: baseURL from the global setup, and a guard that
// fails the test on any browser console error or uncaught page error.
import { test as base, expect } from "@playwright/test";

interface Fixtures {
  /** Console errors a test expects (e.g. the 402 of the insufficient-credits case); matched by regex. */
  allowConsoleErrors: RegExp[];
  browserErrors: string[];
}

export const test = base.extend<Fixtures>({
  baseURL: async ({}, provide) => {
    const url = process.env.E2E_BASE_URL;
    if (!url) throw new Error("E2E_BASE_URL is not set: run through `npm run test:e2e` (playwright.config.ts globalSetup)");
    await provide(url);
  },
  allowConsoleErrors: [[], { option: true }],
  // auto: every test gets the guard, whether or not it names the fixture.
  browserErrors: [
    async ({ page, allowConsoleErrors }, provide) => {
      const errors: string[] = [];
      page.on("console", (msg) => {
        if (msg.type() !== "error") return;
        const text = `${msg.text()} (${msg.location().url})`;
        if (allowConsoleErrors.some((re) => re.test(text))) return;
        errors.push(`console.error: ${text}`);
      });
      page.on("pageerror", (error) => errors.push(`pageerror: ${error.stack ?? error.message}`));
      await provide(errors);
      expect(errors, "the browser logged errors").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** A unique address for a fresh account. */
export function uniqueEmail(tag = "e2e") {
  return `${tag}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}
