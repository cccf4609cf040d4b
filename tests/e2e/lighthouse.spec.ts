// Lighthouse (docs/benchmarks.md, "Page budgets"): the landing page and a task page (signed in), Lighthouse's default mobile preset with simulated throttling, in the light and
// the dark colour scheme, against a baseline measured in the same run: a bare App Router page built
// with the same next/react (tests/support/baseline-app.ts). Reports (HTML + JSON) go to
// test-results/e2e/lighthouse/.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "@playwright/test";
import lighthouse, { type RunnerResult } from "lighthouse";
import { pageFunctions } from "lighthouse/core/lib/page-functions.js";
import { startBaselineServer, type BaselineServer } from "../support/baseline-app";
import { signedInClient } from "../support/http-client";
import { expect, test } from "./fixtures";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"] as const;
/**
 * The goal: performance >= 95 on the landing and a task page, in both themes. A score depends on
 * the host (Lighthouse's CPU slowdown is a multiple of the host's own speed, and other work on a
 * shared machine slows it further), so each page is reported against the baseline measured in the
 * same run, in the same browser, interleaved with it: met when a page's median reaches the goal,
 * or, where the host cannot give even the bare page the goal plus MAX_BELOW_BASELINE, is at most
 * MAX_BELOW_BASELINE under the bare page's median. That is printed, like every speed goal here, not
 * asserted. Accessibility (light and dark), best practices and SEO are held to 100 (the bare page
 * is not: it has no description, no lang-specific content).
 */
const PERFORMANCE_GOAL = 95;
const MAX_BELOW_BASELINE = 5;
/**
 * Rounds: each round audits every page once, the baseline first, so slow and quick moments of the
 * host fall on all pages alike; each page's median round counts (its report is the one saved).
 */
const ROUNDS = 3;
/**
 * Lighthouse's mobile preset slows the CPU 4x, assuming a desktop host about 4x faster than the
 * low-tier phone it emulates (a Moto G Power: benchmark index ~264 in DevTools' CPU calibration).
 * On a slower or busy host 4x emulates a far slower phone, so the multiplier is calibrated to the
 * host: its benchmark index / 264, at most Lighthouse's 4 and at least 1.
 */
const LOW_TIER_PHONE_BENCHMARK_INDEX = 264;
const cpuMultiplier = (benchmarkIndex: number) => Math.min(4, Math.max(1, benchmarkIndex / LOW_TIER_PHONE_BENCHMARK_INDEX));

interface Target {
  name: string;
  /** A path on the app, or null for the baseline (the bare page's server). */
  path: string | null;
  signedIn: boolean;
  /** Whether the other categories are asserted (the baseline is only measured). */
  asserted: boolean;
  /** Whether the performance goal applies (the issue's pages: landing and a task page). */
  goal?: boolean;
}
const TARGETS: Target[] = [
  { name: "baseline", path: null, signedIn: false, asserted: false },
  { name: "landing", path: "/en", signedIn: false, asserted: true, goal: true },
  { name: "task", path: "/en/tasks/text-to-video", signedIn: true, asserted: true, goal: true },
];
const THEMES = ["light", "dark"] as const;

interface Browser {
  port: number;
  process: ChildProcess;
  dir: string;
}

/**
 * Debian's Chromium with a DevTools port, for Lighthouse. The colour scheme is a Blink setting
 * (`preferredColorScheme`: 0 dark, 1 light), so `prefers-color-scheme` answers it on every page
 * Lighthouse loads, as on a phone set to that theme.
 */
async function launchChromium(theme: (typeof THEMES)[number]): Promise<Browser> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lighthouse-chromium-"));
  const child = spawn(
    CHROMIUM,
    [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--blink-settings=preferredColorScheme=${theme === "dark" ? 0 : 1}`,
      "--remote-debugging-port=0",
      `--user-data-dir=${dir}`,
      "about:blank",
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let stderr = "";
    const timer = setTimeout(() => reject(new Error(`Chromium did not open a DevTools port:\n${stderr}`)), 30_000);
    child.stderr!.on("data", (d) => {
      stderr += d;
      const m = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once("exit", (code) => reject(new Error(`Chromium exited (${code}):\n${stderr}`)));
  });
  return { port, process: child, dir };
}

async function closeChromium(browser: Browser) {
  const exited = new Promise((resolve) => browser.process.once("exit", resolve));
  browser.process.kill();
  await exited;
  // Chromium's helper processes may still be writing to the profile for a moment after the main
  // process exits (ENOTEMPTY): retry, and never fail an audit over removing a temporary folder.
  try {
    fs.rmSync(browser.dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  } catch (error) {
    console.warn(`could not remove ${browser.dir}: ${(error as Error).message}`);
  }
}

/**
 * What `prefers-color-scheme` answers in that browser (so a theme that did not apply fails
 * loudly), and the host's speed as Lighthouse measures it (its BenchmarkIndex).
 */
async function probeBrowser(port: number): Promise<{ scheme: string; benchmarkIndex: number }> {
  const cdp = await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
  try {
    // colorScheme null: Playwright's own emulation (light by default) off, the browser's setting shows.
    const page = await (await cdp.newContext({ colorScheme: null })).newPage();
    const dark = await page.evaluate(() => matchMedia("(prefers-color-scheme: dark)").matches);
    // One run warms V8 up and is dropped (DevTools' calibration does the same); the median of
    // three follows. A single run right after Chromium starts read anywhere from 411 to 927 on
    // the same idle host, which swung the multiplier between 1.6x and 3.5x.
    await page.evaluate(pageFunctions.computeBenchmarkIndex);
    const runs: number[] = [];
    for (let i = 0; i < 3; i++) runs.push(await page.evaluate(pageFunctions.computeBenchmarkIndex));
    const benchmarkIndex = runs.sort((a, b) => a - b)[1];
    await page.context().close();
    return { scheme: dark ? "dark" : "light", benchmarkIndex };
  } finally {
    await cdp.close();
  }
}

async function audit(url: string, port: number, cookie: string | undefined, cpuSlowdownMultiplier: number): Promise<RunnerResult> {
  // The default config is the mobile preset (Moto G Power screen, slow 4G), simulated throttling;
  // only the CPU multiplier is calibrated (cpuMultiplier).
  const result = await lighthouse(url, {
    port,
    output: ["html", "json"],
    logLevel: "error",
    onlyCategories: [...CATEGORIES],
    // Merged into the preset's throttling settings: the network stays Lighthouse's slow 4G.
    throttling: { cpuSlowdownMultiplier },
    extraHeaders: cookie ? { Cookie: cookie } : undefined,
  });
  if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
  return result;
}

const score = (result: RunnerResult, category: string) => Math.round((result.lhr.categories[category]?.score ?? 0) * 100);

/** The audits that cost a category points, to make a failure readable. */
function lostPoints(result: RunnerResult, category: string): string[] {
  const cat = result.lhr.categories[category];
  return cat.auditRefs
    .filter((ref) => ref.weight > 0 && (result.lhr.audits[ref.id]?.score ?? 1) < 1)
    .map((ref) => `${ref.id} (${result.lhr.audits[ref.id].displayValue ?? result.lhr.audits[ref.id].score})`);
}

test.describe("Lighthouse, mobile", () => {
  let cookie = "";
  let baseline: BaselineServer;
  test.beforeAll(async ({}, testInfo) => {
    test.setTimeout(300_000);
    const { client } = await signedInClient(process.env.E2E_BASE_URL!);
    cookie = client.cookieHeader();
    baseline = await startBaselineServer();
    fs.mkdirSync(path.join(testInfo.project.outputDir, "lighthouse"), { recursive: true });
  });
  test.afterAll(async () => {
    await baseline?.stop();
  });

  for (const theme of THEMES) {
    test(`landing and task pages against the bare page, ${theme} theme`, async ({ baseURL }, testInfo) => {
      test.setTimeout(ROUNDS * TARGETS.length * 120_000);
      const browser = await launchChromium(theme);
      try {
        const probe = await probeBrowser(browser.port);
        expect(probe.scheme).toBe(theme);
        const multiplier = cpuMultiplier(probe.benchmarkIndex);
        const runs = new Map<string, RunnerResult[]>(TARGETS.map((t) => [t.name, []]));
        for (let round = 0; round < ROUNDS; round++) {
          for (const target of TARGETS) {
            const url = target.path === null ? baseline.url : new URL(target.path, baseURL).href;
            runs.get(target.name)!.push(await audit(url, browser.port, target.signedIn ? cookie : undefined, multiplier));
          }
        }
        const medianOf = (name: string) => {
          const sorted = [...runs.get(name)!].sort((a, b) => score(a, "performance") - score(b, "performance"));
          return sorted[Math.floor(sorted.length / 2)];
        };
        const floor = score(medianOf("baseline"), "performance");
        const required = Math.min(PERFORMANCE_GOAL, floor - MAX_BELOW_BASELINE);
        const lines: string[] = [];
        for (const target of TARGETS) {
          const median = medianOf(target.name);
          const base = path.join(testInfo.project.outputDir, "lighthouse", `${target.name}-${theme}`);
          const [html, json] = median.report as string[];
          fs.writeFileSync(`${base}.report.html`, html);
          fs.writeFileSync(`${base}.report.json`, json);
          const scores = Object.fromEntries(CATEGORIES.map((c) => [c, score(median, c)]));
          const performance = scores.performance;
          // The goal as the header states it: 95, or within MAX_BELOW_BASELINE of the bare page
          // where the host cannot give the bare page 95 + MAX_BELOW_BASELINE (then printed as such).
          const lost = () => lostPoints(median, "performance").join(", ");
          const verdict =
            performance >= PERFORMANCE_GOAL
              ? "met"
              : performance >= required
                ? `met within ${MAX_BELOW_BASELINE} of the bare page's ${floor} (under ${PERFORMANCE_GOAL}: ${lost()})`
                : `NOT met (${lost()})`;
          lines.push(
            `${target.path ?? `bare App Router page (${baseline.versions})`} (${theme}): ${CATEGORIES.map((c) => `${c} ${scores[c]}`).join(", ")}` +
              ` [performance: median of ${runs.get(target.name)!.map((r) => score(r, "performance")).join(", ")}` +
              (target.asserted ? `; ${performance - floor >= 0 ? "+" : ""}${performance - floor} against the bare page; goal ${PERFORMANCE_GOAL}: ${verdict}` : "") +
              `; TBT ${Math.round(median.lhr.audits["total-blocking-time"].numericValue ?? 0)} ms, LCP ${Math.round(median.lhr.audits["largest-contentful-paint"].numericValue ?? 0)} ms]`,
          );
        }
        lines.push(`benchmark index ${Math.round(probe.benchmarkIndex)}, CPU ${multiplier.toFixed(1)}x; the goal: at least ${required} (${PERFORMANCE_GOAL}, or ${MAX_BELOW_BASELINE} under the bare page's ${floor} on a host too slow for it)`);
        console.log(lines.join("\n"));
        fs.writeFileSync(path.join(testInfo.project.outputDir, "lighthouse", `summary-${theme}.txt`), lines.join("\n") + "\n");
        for (const target of TARGETS.filter((t) => t.asserted)) {
          const median = medianOf(target.name);
          for (const c of CATEGORIES.filter((c) => c !== "performance")) {
            expect(score(median, c), `${c} on ${target.path} (${theme}); lost points: ${lostPoints(median, c).join(", ")}`).toBe(100);
          }
          // Performance is a speed goal: printed above against the bare page of the same run (a
          // benchmark's figure, met or NOT met), never a pass/fail of the suite, as the project's
          // other speed goals (docs/benchmarks.md). What is asserted is what a page controls alone.
        }
      } finally {
        await closeChromium(browser);
      }
    });
  }
});
