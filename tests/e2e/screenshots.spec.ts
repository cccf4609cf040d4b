// Issue 16, item 8: screenshots of the main pages in both themes, at phone (390×844) and desktop
// (1280×800) size, written to test-results/e2e/screenshots/<theme>-<size>-<page>.png for review
// and attached to the test's result (the HTML report shows them).
// Each page is also checked the way a reviewer looks at it: the theme the system asks for is
// applied, the title carries the brand, the page has its one h1, nothing is wider than the screen
// (no sideways scrolling on a phone), and the browser logs no error (the fixture).
import fs from "node:fs";
import path from "node:path";
import type { Page, TestInfo } from "@playwright/test";
import { siteConfig } from "../../src/config/site";
import { expect, test, uniqueEmail } from "./fixtures";
import { createTaskViaApi, signInAsAdmin, signUp } from "./helpers";

const SIZES = [
  { name: "phone", viewport: { width: 390, height: 844 }, isMobile: true },
  { name: "desktop", viewport: { width: 1280, height: 800 }, isMobile: false },
] as const;
const THEMES = ["light", "dark"] as const;

const SIGNED_OUT = [
  ["landing", "/en"],
  ["pricing", "/en/pricing"],
  ["signin", "/en/auth/signin"],
  ["signup", "/en/auth/signup"],
  ["try-text-to-video", "/en/tasks/text-to-video"],
  ["terms", "/en/terms"],
] as const;
/** `{task}`: a finished text-to-video task of the signed-in user (its result, poster and Download). */
const SIGNED_IN = [
  ["text-to-video", "/en/tasks/text-to-video?task={task}"],
  ["text-to-image", "/en/tasks/text-to-image"],
  ["image-to-video", "/en/tasks/image-to-video"],
  ["image-upscale", "/en/tasks/image-upscale"],
  ["speech-to-text", "/en/tasks/speech-to-text"],
  ["tasks", "/en/tasks"],
  ["credits", "/en/credits"],
  ["orders", "/en/orders"],
  ["account", "/en/account"],
] as const;

const ADMIN = [
  ["admin", "/en/admin"],
  ["admin-tasks", "/en/admin/tasks"],
] as const;

async function shoot(page: Page, testInfo: TestInfo, dir: string, file: string, theme: (typeof THEMES)[number], width: number) {
  await expect(page.locator("html")).toHaveClass(theme === "dark" ? /\bdark\b/ : /^(?!.*\bdark\b)/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveCount(1);
  await expect(page).toHaveTitle(new RegExp(siteConfig.name));
  // Nothing sticks out sideways: the page scrolls only vertically, at phone size too.
  const scrollWidth = await page.evaluate(() => document.scrollingElement!.scrollWidth);
  expect(scrollWidth, `${file}: the page is ${scrollWidth} px wide on a ${width} px screen`).toBeLessThanOrEqual(width);
  const shot = path.join(dir, `${file}.png`);
  await page.screenshot({ path: shot, fullPage: true });
  // Attached to the test's result too: the HTML report (CI) shows every page in both themes.
  await testInfo.attach(file, { path: shot, contentType: "image/png" });
}

for (const theme of THEMES) {
  for (const size of SIZES) {
    test.describe(`${theme} theme, ${size.name}`, () => {
      test.use({ viewport: size.viewport, isMobile: size.isMobile, hasTouch: size.isMobile, colorScheme: theme });

      test("main pages: screenshots for review; theme, title, one h1, no sideways scrolling", async ({ page }, testInfo) => {
        test.setTimeout(120_000);
        const dir = path.join(testInfo.project.outputDir, "screenshots");
        fs.mkdirSync(dir, { recursive: true });
        const prefix = `${theme}-${size.name}`;

        for (const [name, url] of SIGNED_OUT) {
          await page.goto(url);
          await shoot(page, testInfo, dir, `${prefix}-${name}`, theme, size.viewport.width);
        }

        await signUp(page, uniqueEmail(`shots-${prefix}`));
        const task = await createTaskViaApi(page, "text-to-video", { prompt: "A paper boat on a rainy street", seconds: 2, aspectRatio: "landscape" });
        for (const [name, url] of SIGNED_IN) {
          await page.goto(url.replace("{task}", task));
          if (name === "text-to-video") {
            await expect(page.getByTestId("t2v-task")).toHaveAttribute("data-status", "succeeded", { timeout: 30_000 });
            await expect(page.getByTestId("t2v-download")).toBeVisible();
          }
          await shoot(page, testInfo, dir, `${prefix}-${name}`, theme, size.viewport.width);
        }

        // The operator console, as its admin.
        await signInAsAdmin(page);
        for (const [name, url] of ADMIN) {
          await page.goto(url);
          await shoot(page, testInfo, dir, `${prefix}-${name}`, theme, size.viewport.width);
        }
      });
    });
  }
}
