// First-load JavaScript budget (docs/benchmarks.md, "Page budgets"): what a browser with an
// empty cache downloads as JavaScript to show a page, gzip-compressed as `next start` sends it.
//
// The goal in the issue is 130 kB per page in all. Next.js's own runtime (React, the App Router:
// the build manifest's rootMainFiles, loaded by every page) is already about 132 kB of that, so
// the goal cannot be met on this stack; the test prints the total against it and holds what the
// app adds on top (its chunks and the inline RSC payload, where the client components' messages
// travel) to APP_BUDGET.
//
// The design system's shared chrome once raised the app's share from ~28 / ~36 kB to ~91 / ~108 kB
// (Radix Sheet and DropdownMenu, sonner, Radix Select in the task form). They now load on first
// use (the phone menu, the theme menu, the first toast) or are gone (the form's native select):
// ~50 / ~59 kB. APP_BUDGET is set just above those figures, per page, so that growth fails here.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import type { Page, TestInfo } from "@playwright/test";
import { TEST_DIST_DIR } from "../support/app-server";
import { signedInClient } from "../support/http-client";
import { expect, test } from "./fixtures";

/** What the app may add to Next.js's runtime on a page, in bytes of gzip (kB = 1000 bytes). */
const APP_BUDGET = { landing: 53_000, task: 63_000 } as const;
/** The goal for the whole first load; printed, not asserted (see above). */
const TOTAL_GOAL = 130_000;

const gzipSize = (text: string | Buffer) => zlib.gzipSync(text).length;

/** Next.js's runtime chunks, as /_next/... paths. */
function frameworkFiles(): Set<string> {
  const manifest = JSON.parse(fs.readFileSync(path.join(TEST_DIST_DIR, "build-manifest.json"), "utf8")) as { rootMainFiles: string[] };
  return new Set(manifest.rootMainFiles.map((f) => `/_next/${f}`));
}

interface FirstLoad {
  /** <script src> files fetched up to the load event, each gzip-compressed. */
  files: Array<{ url: string; bytes: number }>;
  /** The document's inline scripts (Next's bootstrap and the RSC payload: props of client components, messages), gzip-compressed together. */
  inlineBytes: number;
  total: number;
  /** The part of `total` that is Next.js's runtime. */
  framework: number;
  /** Everything else: the app's chunks and the inline scripts. */
  app: number;
}

/**
 * Loads `url` in a fresh page (the context starts with an empty cache) and sums the gzip size of
 * every script the browser fetched before the load event plus the document's inline scripts.
 * Route code Next prefetches later (for links in view) is not part of showing this page.
 */
async function measureFirstLoad(page: Page, url: string): Promise<FirstLoad> {
  const pending: Array<Promise<{ url: string; bytes: number }>> = [];
  let loaded = false;
  page.on("response", (res) => {
    if (loaded || res.request().resourceType() !== "script") return;
    pending.push(res.body().then((body) => ({ url: new URL(res.url()).pathname, bytes: gzipSize(body) })));
  });
  const doc = await page.goto(url, { waitUntil: "load" });
  loaded = true;
  expect(doc?.status()).toBe(200);
  const html = await doc!.text();
  const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join("\n");
  const files = (await Promise.all(pending)).sort((a, b) => b.bytes - a.bytes);
  const inlineBytes = gzipSize(inline);
  const total = files.reduce((n, f) => n + f.bytes, 0) + inlineBytes;
  const runtime = frameworkFiles();
  const framework = files.filter((f) => runtime.has(f.url)).reduce((n, f) => n + f.bytes, 0);
  return { files, inlineBytes, total, framework, app: total - framework };
}

function report(name: string, load: FirstLoad, budget: number, testInfo: TestInfo) {
  const kb = (n: number) => `${(n / 1000).toFixed(1)} kB`;
  const lines = [
    `${name}: ${kb(load.total)} gzip first-load JavaScript (goal ${kb(TOTAL_GOAL)}) = Next.js runtime ${kb(load.framework)} + app ${kb(load.app)} (budget ${kb(budget)})`,
    `  ${load.files.length} script files: ${kb(load.total - load.inlineBytes)}; inline scripts (bootstrap + RSC payload): ${kb(load.inlineBytes)}`,
    ...load.files.map((f) => `    ${kb(f.bytes).padStart(9)}  ${f.url}${frameworkFiles().has(f.url) ? "  (runtime)" : ""}`),
  ];
  console.log(lines.join("\n"));
  const file = path.join(testInfo.project.outputDir, "budgets", `${name.replace(/\W+/g, "_")}.txt`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, lines.join("\n") + "\n");
}

test("the landing page loads within the JavaScript budget", async ({ page }, testInfo) => {
  const load = await measureFirstLoad(page, "/en");
  report("/en", load, APP_BUDGET.landing, testInfo);
  expect(load.app).toBeLessThanOrEqual(APP_BUDGET.landing);
});

test("a task page, signed in, loads within the JavaScript budget", async ({ page, baseURL }, testInfo) => {
  const { client } = await signedInClient(baseURL!);
  await page.context().addCookies([...client.cookies].map(([name, value]) => ({ name, value, url: baseURL! })));
  const load = await measureFirstLoad(page, "/en/tasks/text-to-video");
  // Signed in: the form is there, not the sign-up prompt.
  await expect(page.getByTestId("t2v-prompt")).toBeVisible();
  report("/en/tasks/text-to-video", load, APP_BUDGET.task, testInfo);
  expect(load.app).toBeLessThanOrEqual(APP_BUDGET.task);
});
