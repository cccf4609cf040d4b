// First-load JavaScript over the framework's floor (docs/benchmarks.md, "Page budgets"): what a
// browser with an empty cache downloads as JavaScript to show a page, gzip-compressed as `next
// start` sends it, minus what a bare App Router page built with the same next, react and
// react-dom loads (tests/support/baseline-app.ts builds and serves that page itself).
//
// Next.js 16 and React 19 alone are ~135 kB of gzip on any page, so a goal for the whole first load
// measures the framework, not the app. The app's own share is held to APP_BUDGET: 20 kB on the
// landing page, 40 kB on a task page (signed in: the form and the task runner), with a file
// field or without.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import type { Browser, Page, TestInfo } from "@playwright/test";
import { startBaselineServer, type BaselineServer } from "../support/baseline-app";
import { signedInClient } from "../support/http-client";
import { expect, test } from "./fixtures";

/** What the app may add to the bare page's first load, in bytes of gzip (kB = 1000 bytes). */
// signUp: not a goal of the issue; it holds the password field's live hints (the strength
// estimator itself, ~225 kB gzip, is not part of it: it loads on first input, checked below).
// fileTask: a task page with a file field, which adds the shared UploadField (drop zone,
// checks, upload with progress and cancel, preview, recent uploads: ~4.5 kB) to the form.
// task, fileTask: the goal, 40 kB on a task page (34.6 kB and 39.6 kB measured,
// docs/benchmarks.md).
const APP_BUDGET = { landing: 20_000, task: 40_000, fileTask: 40_000, signUp: 64_000 } as const;

const gzipSize = (text: string | Buffer) => zlib.gzipSync(text).length;
const kb = (n: number) => `${(n / 1000).toFixed(1)} kB`;

interface FirstLoad {
  /** Script responses fetched up to the load event, each gzip-compressed. */
  files: Array<{ url: string; bytes: number }>;
  /** The document's inline scripts (Next's bootstrap, the RSC payload: props of client components, messages), gzip-compressed together. */
  inlineBytes: number;
  total: number;
  html: string;
}

/**
 * Loads `url` in a fresh context (an empty cache) and sums the gzip size of every script the
 * browser fetched before the load event, or until `ready` says the page can be used (a task
 * page's form is a chunk of its own, imported while the page hydrates), plus the document's
 * inline scripts. Route code Next prefetches later (for links in view) is not part of showing
 * this page.
 */
async function measureFirstLoad(
  browser: Browser,
  url: string,
  cookies: Array<{ name: string; value: string; url: string }> = [],
  ready?: (page: Page) => Promise<void>,
): Promise<FirstLoad> {
  const context = await browser.newContext();
  try {
    if (cookies.length) await context.addCookies(cookies);
    const page = await context.newPage();
    const pending: Array<Promise<{ url: string; bytes: number }>> = [];
    let loaded = false;
    page.on("request", (req) => {
      if (loaded || req.resourceType() !== "script") return;
      pending.push(req.response().then(async (res) => ({ url: new URL(req.url()).pathname, bytes: res ? gzipSize(await res.body()) : 0 })));
    });
    const doc = await page.goto(url, { waitUntil: "load" });
    if (ready) await ready(page);
    loaded = true;
    expect(doc?.status()).toBe(200);
    const html = await doc!.text();
    const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join("\n");
    const files = (await Promise.all(pending)).sort((a, b) => b.bytes - a.bytes);
    const inlineBytes = gzipSize(inline);
    return { files, inlineBytes, total: files.reduce((n, f) => n + f.bytes, 0) + inlineBytes, html };
  } finally {
    await context.close();
  }
}

function report(name: string, load: FirstLoad, floor: FirstLoad, versions: string, budget: number, testInfo: TestInfo) {
  const app = load.total - floor.total;
  const lines = [
    `${name}: app ${kb(app)} over the floor (budget ${kb(budget)}): ${kb(load.total)} gzip first-load JavaScript, bare App Router page ${kb(floor.total)} (${versions})`,
    `  ${load.files.length} script files: ${kb(load.total - load.inlineBytes)}; inline scripts (bootstrap + RSC payload): ${kb(load.inlineBytes)} (bare page: ${kb(floor.inlineBytes)})`,
    ...load.files.map((f) => `    ${kb(f.bytes).padStart(9)}  ${f.url}`),
  ];
  console.log(lines.join("\n"));
  const file = path.join(testInfo.project.outputDir, "budgets", `${name.replace(/\W+/g, "_")}.txt`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, lines.join("\n") + "\n");
  return app;
}

test.describe("first-load JavaScript over a bare App Router page", () => {
  test.describe.configure({ timeout: 240_000 });
  let baseline: BaselineServer;
  let floor: FirstLoad;

  test.beforeAll(async ({ browser }) => {
    test.setTimeout(240_000);
    baseline = await startBaselineServer();
    floor = await measureFirstLoad(browser, baseline.url);
    console.log(`floor: ${kb(floor.total)} (${floor.files.length} scripts, inline ${kb(floor.inlineBytes)}) — ${baseline.versions}`);
  });
  test.afterAll(async () => {
    await baseline?.stop();
  });

  test("the landing page adds at most 20 kB", async ({ browser, baseURL }, testInfo) => {
    const load = await measureFirstLoad(browser, `${baseURL}/en`);
    expect(report("/en", load, floor, baseline.versions, APP_BUDGET.landing, testInfo)).toBeLessThanOrEqual(APP_BUDGET.landing);
  });

  test("a task page, signed in, adds at most 40 kB", async ({ browser, baseURL }, testInfo) => {
    const { client } = await signedInClient(baseURL!);
    const cookies = [...client.cookies].map(([name, value]) => ({ name, value, url: baseURL! }));
    // Signed in: the form is there, not the sign-up prompt, and it works (its code has loaded).
    const load = await measureFirstLoad(browser, `${baseURL}/en/tasks/text-to-video`, cookies, (p) => formWorks(p, "t2v", "2", 4));
    expect(report("/en/tasks/text-to-video", load, floor, baseline.versions, APP_BUDGET.task, testInfo)).toBeLessThanOrEqual(APP_BUDGET.task);
  });

  test("a task page with a file field, signed in, adds at most 40 kB", async ({ browser, baseURL }, testInfo) => {
    const { client } = await signedInClient(baseURL!);
    const cookies = [...client.cookies].map(([name, value]) => ({ name, value, url: baseURL! }));
    const load = await measureFirstLoad(browser, `${baseURL}/en/tasks/image-to-video`, cookies, async (p) => {
      await formWorks(p, "i2v", "6", 12);
      await expect(p.getByTestId("i2v-image-input")).toBeAttached();
    });
    expect(report("/en/tasks/image-to-video", load, floor, baseline.versions, APP_BUDGET.fileTask, testInfo)).toBeLessThanOrEqual(APP_BUDGET.fileTask);
  });

  // Issue 26, item 10: the password-strength estimator (zxcvbn-ts and its dictionaries, some
  // hundreds of kB) loads when the password field is first used, never with the page.
  test("the sign-up page stays within its budget; the strength estimator comes only with the first keystroke", async ({ browser, baseURL }, testInfo) => {
    const load = await measureFirstLoad(browser, `${baseURL}/en/auth/signup`);
    expect(report("/en/auth/signup", load, floor, baseline.versions, APP_BUDGET.signUp, testInfo)).toBeLessThanOrEqual(APP_BUDGET.signUp);
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${baseURL}/en/auth/signup`, { waitUntil: "load" });
      const later: Array<Promise<number>> = [];
      page.on("response", (res) => {
        if (res.request().resourceType() === "script") later.push(res.body().then((body) => gzipSize(body)));
      });
      await page.getByTestId("signup-form").locator("#password").fill("Summer2024");
      await expect(page.getByTestId("password-hints")).toHaveAttribute("data-score", /^\d$/);
      const estimator = (await Promise.all(later)).reduce((n, b) => n + b, 0);
      console.log(`/en/auth/signup: the strength estimator loaded on first input: ${kb(estimator)} gzip`);
      expect(estimator).toBeGreaterThan(100_000);
    } finally {
      await context.close();
    }
  });
});

/** The form answers input (hydrated, its chunk loaded): a new length changes the price shown. */
async function formWorks(page: Page, prefix: string, seconds: string, credits: number) {
  await expect(async () => {
    // Cleared first: a value typed before hydration is the input's value React starts from,
    // so typing the same again would not be a change.
    await page.getByTestId(`${prefix}-seconds`).fill("");
    await page.getByTestId(`${prefix}-seconds`).fill(seconds);
    await expect(page.getByTestId(`${prefix}-cost`)).toHaveAttribute("data-credits", String(credits), { timeout: 500 });
  }).toPass({ timeout: 20_000 });
}
