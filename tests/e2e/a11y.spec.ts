// Issue 30, item 4: accessible in both themes, at phone (390x844) and desktop (1280x800) size.
// - axe-core's colour-contrast rule (axe-core pinned in package.json, injected into the page) finds
//   nothing on the main pages in light and dark;
// - every Tab stop shows a focus indicator of at least 2 px whose colour has at least 3:1 contrast
//   with what surrounds the element, in both themes;
// - after Generate, the focus is on the new task's status.
import { createRequire } from "node:module";
import type { Page } from "@playwright/test";
import { expect, test, uniqueEmail } from "./fixtures";
import { signInAsAdmin, signUp } from "./helpers";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");

const SIZES = [
  { name: "phone", viewport: { width: 390, height: 844 }, isMobile: true },
  { name: "desktop", viewport: { width: 1280, height: 800 }, isMobile: false },
] as const;
const THEMES = ["light", "dark"] as const;

const SIGNED_OUT = ["/en", "/en/pricing", "/en/auth/signin", "/en/auth/signup"];
const SIGNED_IN = ["/en/tasks/text-to-video", "/en/tasks/text-to-image", "/en/tasks", "/en/credits", "/en/account", "/en/admin", "/en/admin/tasks", "/en/admin/users"];

/** axe-core's colour-contrast violations on the page as it is (its script injected; the spec bypasses the CSP for it). */
async function contrastViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    // A control just enabled may still be fading in (opacity / colour transitions): read the
    // colours it settles on, not a frame of the transition.
    // (Spinners and pulses run forever: only the finite ones are waited for.)
    const finite = document.getAnimations().filter((a) => a.effect?.getComputedTiming().iterations !== Infinity);
    await Promise.all(finite.map((a) => a.finished.catch(() => {})));
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: Array<{ nodes: Array<{ target: string[]; failureSummary?: string }> }> }> } }).axe;
    const { violations } = await axe.run(document, { runOnly: { type: "rule", values: ["color-contrast"] }, resultTypes: ["violations"] });
    return violations.flatMap((v) => v.nodes.map((n) => `${n.target.join(" ")}: ${n.failureSummary?.replace(/\s+/g, " ")}`));
  });
}

interface FocusCheck {
  what: string;
  width: number;
  style: string;
  contrast: number;
}

/**
 * The focused element's outline (style, width) and the contrast of its colour with the background
 * around the element (the first opaque background among its ancestors, or the page's), both read
 * as sRGB through a canvas so any CSS colour (oklch included) compares.
 */
async function focusCheck(page: Page): Promise<FocusCheck | null> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body || el === document.documentElement) return null;
    const ctx = document.createElement("canvas").getContext("2d", { willReadFrequently: true })!;
    const rgba = (color: string) => {
      ctx.clearRect(0, 0, 1, 1);
      ctx.fillStyle = "#000";
      ctx.fillStyle = color;
      ctx.fillRect(0, 0, 1, 1);
      return Array.from(ctx.getImageData(0, 0, 1, 1).data);
    };
    const luminance = ([r, g, b]: number[]) => {
      const lin = (c: number) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    let surround: number[] | null = null;
    for (let node: HTMLElement | null = el.parentElement; node && !surround; node = node.parentElement) {
      const bg = getComputedStyle(node).backgroundColor;
      const c = rgba(bg);
      if (c[3] === 255 && bg !== "rgba(0, 0, 0, 0)") surround = c;
    }
    surround ??= rgba(getComputedStyle(document.body).backgroundColor);
    const style = getComputedStyle(el);
    const outline = rgba(style.outlineColor);
    const [a, b] = [luminance(outline), luminance(surround)];
    return {
      what: `${el.tagName.toLowerCase()}${el.dataset.testid ? `[${el.dataset.testid}]` : ""} "${(el.textContent ?? "").trim().slice(0, 30)}"`,
      width: parseFloat(style.outlineWidth),
      style: style.outlineStyle,
      contrast: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05),
    };
  });
}

/** Tabs through the page's first `stops` focus stops; each shows a >= 2 px outline at >= 3:1. */
async function expectVisibleFocusOnTab(page: Page, stops: number) {
  await page.locator("body").click({ position: { x: 1, y: 1 } });
  const seen: string[] = [];
  for (let i = 0; i < stops; i++) {
    await page.keyboard.press("Tab");
    // Controls with `transition-all` fade their outline in (150 ms): read it once it has settled.
    await page.waitForTimeout(250);
    const check = await focusCheck(page);
    if (!check) continue;
    seen.push(check.what);
    expect(check.style, `${page.url()} ${check.what}: outline style`).not.toBe("none");
    expect(check.width, `${page.url()} ${check.what}: outline width`).toBeGreaterThanOrEqual(2);
    expect(check.contrast, `${page.url()} ${check.what}: outline against its surroundings`).toBeGreaterThanOrEqual(3);
  }
  expect(seen.length, `${page.url()}: focus stops`).toBeGreaterThan(2);
}


test.use({ bypassCSP: true });

for (const theme of THEMES) {
  for (const size of SIZES) {
    test.describe(`${theme} theme, ${size.name}`, () => {
      test.use({ viewport: size.viewport, isMobile: size.isMobile, hasTouch: size.isMobile, colorScheme: theme });

      test("axe colour-contrast finds nothing on the main pages; every Tab stop shows its focus", async ({ page }) => {
        test.setTimeout(240_000);
        for (const url of SIGNED_OUT) {
          await page.goto(url);
          await expect(page.locator("html")).toHaveClass(theme === "dark" ? /\bdark\b/ : /^(?!.*\bdark\b)/);
          expect(await contrastViolations(page), `${url} (${theme})`).toEqual([]);
          await expectVisibleFocusOnTab(page, 12);
        }
        await signInAsAdmin(page);
        for (const url of SIGNED_IN) {
          await page.goto(url);
          await expect(page.locator("main")).toBeVisible();
          // A task form is inactive (its fieldset disabled, so its button dimmed) until it hydrates;
          // WCAG exempts inactive controls, but axe does not read a disabled fieldset: check the live form.
          await expect(page.locator("main fieldset[disabled]")).toHaveCount(0);
          expect(await contrastViolations(page), `${url} (${theme})`).toEqual([]);
          await expectVisibleFocusOnTab(page, 12);
        }
      });
    });
  }
}

test.describe("focus after Generate", () => {
  for (const size of SIZES) {
    test(`moves to the new task's status (${size.name})`, async ({ page }) => {
      await page.setViewportSize(size.viewport);
      await signUp(page, uniqueEmail(`focus-${size.name}`));
      await page.goto("/en/tasks/text-to-video");
      await page.getByTestId("t2v-prompt").fill("Northern lights over a frozen lake");
      await page.getByTestId("t2v-submit").focus();
      await page.keyboard.press("Enter");
      await expect(page.getByTestId("t2v-task")).toBeVisible();
      await expect(page.getByTestId("t2v-status")).toBeFocused();
      await expect(page.getByTestId("t2v-status")).toBeInViewport();
      await page.waitForTimeout(250);
      const check = await focusCheck(page);
      expect(check?.width).toBeGreaterThanOrEqual(2);
      expect(check?.contrast).toBeGreaterThanOrEqual(3);
    });
  }
});
