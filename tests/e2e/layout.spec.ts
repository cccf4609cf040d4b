// Issue 16, items 1, 2 and 6 in a real browser, at phone (390×844) and desktop (1280×800)
// size: the header is one row of at most 64 px, the phone menu (a Sheet) lists every
// destination, the current page is marked with aria-current, the dark theme applies (with
// no CSP error from the theme's inline script: the fixture fails on any console error),
// page titles carry the brand, and the landing page has its video, pricing and legal links.
import type { Page } from "@playwright/test";
import { siteConfig } from "../../src/config/site";
import { expect, test, uniqueEmail } from "./fixtures";
import { signUp } from "./helpers";

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

async function headerBox(page: Page) {
  const box = await page.getByTestId("site-header").boundingBox();
  expect(box).not.toBeNull();
  return box!;
}

/** Every direct child of the header's row sits on the same line. */
async function headerIsOneRow(page: Page) {
  const tops = await page
    .getByTestId("site-header")
    .locator(":scope > div > *")
    .evaluateAll((els) => els.filter((el) => (el as HTMLElement).offsetParent !== null).map((el) => Math.round(el.getBoundingClientRect().top + el.getBoundingClientRect().height / 2)));
  expect(new Set(tops.map((t) => Math.round(t / 8))).size, `centres ${tops.join(",")}`).toBe(1);
}

test.describe("phone, 390×844", () => {
  test.use({ viewport: PHONE, isMobile: true, hasTouch: true });

  test("signed out: one-row header, the menu sheet lists the pages, legal links in the footer", async ({ page }) => {
    await page.goto("/en");
    const box = await headerBox(page);
    expect(box.height).toBeLessThanOrEqual(64);
    await headerIsOneRow(page);
    await expect(page.getByTestId("nav-text-to-video")).toBeHidden(); // inline nav is desktop only
    await expect(page).toHaveTitle(new RegExp(siteConfig.name));

    await page.getByTestId("menu-button").click();
    const sheet = page.getByTestId("menu-sheet");
    await expect(sheet).toBeVisible();
    for (const id of ["text-to-video", "text-to-image", "tasks", "credits", "orders", "account", "pricing", "signin", "signup"]) {
      await expect(sheet.getByTestId(`menu-${id}`)).toBeVisible();
    }
    await expect(sheet.getByTestId("menu-home")).toHaveAttribute("aria-current", "page");
    await sheet.getByTestId("menu-pricing").click();
    await expect(page).toHaveURL(/\/en\/pricing$/);
    await expect(sheet).toBeHidden(); // navigating closes the menu
    await expect(page).toHaveTitle(`Pricing — ${siteConfig.name}`);

    for (const [id, heading] of [["terms", "Terms of Service"], ["privacy", "Privacy Policy"], ["refund-policy", "Refund Policy"], ["contact", "Contact"]]) {
      await page.getByTestId(`footer-${id}`).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(heading);
      await expect(page).toHaveTitle(`${heading} — ${siteConfig.name}`);
    }
  });

  test("signed in: the balance stays in the one-row header; the menu marks the current page", async ({ page }) => {
    await signUp(page, uniqueEmail("layout-phone"));
    await page.goto("/en/orders");
    expect((await headerBox(page)).height).toBeLessThanOrEqual(64);
    await headerIsOneRow(page);
    await expect(page.getByTestId("header-balance")).toBeVisible();
    await expect(page.getByTestId("app-sidebar")).toBeHidden(); // phones use the menu
    await page.getByTestId("menu-button").click();
    const sheet = page.getByTestId("menu-sheet");
    await expect(sheet.getByTestId("menu-orders")).toHaveAttribute("aria-current", "page");
    await expect(sheet.getByTestId("menu-credits")).not.toHaveAttribute("aria-current", "page");
    await expect(sheet.getByTestId("menu-signout")).toBeVisible();
  });

  test("a task page arrives whole: its form is in the HTML before the footer, and nothing shifts while it loads", async ({ page }) => {
    // Signed out and signed in (the header, and so the shell before the form, differs).
    for (const signedIn of [false, true]) {
      if (signedIn) await signUp(page, uniqueEmail("layout-shift"));
      else await page.goto("/en");
      // The raw HTML: a form streamed after the page's shell (a Suspense boundary React sends
      // last, in a hidden <div id="S:…">) would come after the footer, which is then painted
      // where the form goes and pushed down once the form is revealed.
      const html = await page.evaluate(async () => (await fetch("/en/tasks/text-to-video")).text());
      const form = html.indexOf('data-testid="t2v-form"');
      expect(form, "the form is in the HTML").toBeGreaterThan(0);
      expect(form, "the form comes before the footer").toBeLessThan(html.indexOf('data-testid="site-footer"'));

      // In the browser, a first visit in a new tab (a navigation from another page of the site
      // keeps that page painted until the new one is ready, which hides a shift) with
      // Lighthouse's 4x CPU slowdown: no layout shift at all.
      const tab = await page.context().newPage();
      await tab.addInitScript(() => {
        const w = window as unknown as { layoutShift: number };
        w.layoutShift = 0;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as Array<PerformanceEntry & { value: number }>) w.layoutShift += entry.value;
        }).observe({ type: "layout-shift", buffered: true });
      });
      const cdp = await page.context().newCDPSession(tab);
      await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
      await tab.goto("/en/tasks/text-to-video", { waitUntil: "load" });
      await expect(tab.getByTestId("t2v-submit")).toBeEnabled();
      const shift = await tab.evaluate(() => (window as unknown as { layoutShift: number }).layoutShift);
      await tab.close();
      expect(shift, signedIn ? "signed in" : "signed out").toBe(0);
    }
  });
});

test.describe("desktop, 1280×800", () => {
  test.use({ viewport: DESKTOP });

  test("landing: one-row header, a hero video with a poster that loops once the page has loaded, generators, pricing cards of equal height, FAQ", async ({ page }) => {
    await page.goto("/en");
    expect((await headerBox(page)).height).toBeLessThanOrEqual(64);
    await headerIsOneRow(page);
    await expect(page.getByTestId("menu-button")).toBeHidden();
    await expect(page).toHaveTitle(new RegExp(`^${siteConfig.name} — `));

    const video = page.getByTestId("hero-video");
    await expect(video).toHaveAttribute("poster", /\.jpg$/);
    expect(await video.evaluate((v: HTMLVideoElement) => ({ loop: v.loop, muted: v.muted }))).toEqual({ loop: true, muted: true });
    // It starts by itself once the page has loaded, and plays.
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => !v.paused && v.readyState >= 2 && !v.error), { timeout: 20_000 }).toBe(true);

    await expect(page.getByTestId("generator-text-to-video")).toBeVisible();
    await expect(page.getByTestId("generator-text-to-image")).toBeVisible();
    const heights = await page.locator('[data-testid^="bundle-"] > [data-slot="card"]').evaluateAll((els) => els.map((el) => Math.round(el.getBoundingClientRect().height)));
    expect(heights.length).toBeGreaterThan(1);
    expect(new Set(heights).size, `bundle card heights ${heights.join(",")}`).toBe(1);
    await expect(page.getByTestId("faq").locator("details")).toHaveCount(5);
  });

  test("landing with reduced motion: the hero shows its poster and the video does not start", async ({ page }) => {
    await page.emulateMedia({ reducedMotion: "reduce" });
    await page.goto("/en", { waitUntil: "load" });
    const video = page.getByTestId("hero-video");
    await expect(video).toHaveAttribute("poster", /\.jpg$/);
    // Long enough for the idle callback that starts it for everyone else.
    await page.waitForTimeout(2_500);
    expect(await video.evaluate((v: HTMLVideoElement) => v.paused)).toBe(true);
  });

  test("signed in: the sidebar lists the generators and the app's pages and marks the current one", async ({ page }) => {
    await signUp(page, uniqueEmail("layout-desktop"));
    await page.goto("/en/credits");
    const sidebar = page.getByTestId("app-sidebar");
    await expect(sidebar).toBeVisible();
    for (const id of ["text-to-video", "text-to-image", "tasks", "credits", "orders", "account"]) {
      await expect(sidebar.getByTestId(`sidebar-${id}`)).toBeVisible();
    }
    await expect(sidebar.getByTestId("sidebar-credits")).toHaveAttribute("aria-current", "page");
    await expect(page.getByTestId("nav-credits")).toHaveAttribute("aria-current", "page");
    await sidebar.getByTestId("sidebar-orders").click();
    await expect(page).toHaveURL(/\/en\/orders$/);
    await expect(sidebar.getByTestId("sidebar-orders")).toHaveAttribute("aria-current", "page");
    await expect(sidebar.getByTestId("sidebar-credits")).not.toHaveAttribute("aria-current", "page");
    // The landing page is not part of the app: no sidebar there.
    await page.goto("/en");
    await expect(page.getByTestId("app-sidebar")).toHaveCount(0);
  });

  test("the theme toggle switches to dark and the choice survives a reload", async ({ page }) => {
    await page.goto("/en");
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const light = await background();
    await page.getByTestId("theme-toggle").click();
    await page.getByTestId("theme-dark").click();
    await expect(page.locator("html")).toHaveClass(/\bdark\b/);
    expect(await background()).not.toBe(light);
    await page.reload();
    await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  });
});

for (const [name, viewport] of [["phone", PHONE], ["desktop", DESKTOP]] as const) {
  test.describe(`system dark theme, ${name}`, () => {
    test.use({ viewport, colorScheme: "dark" });

    test("html has the dark class before the page is interactive (no light flash), and the background is dark", async ({ page }) => {
      await page.addInitScript(() => {
        document.addEventListener("DOMContentLoaded", () => {
          (window as unknown as { classAtDcl: string }).classAtDcl = document.documentElement.className;
        });
      });
      await page.goto("/en");
      expect(await page.evaluate(() => (window as unknown as { classAtDcl: string }).classAtDcl)).toMatch(/\bdark\b/);
      await expect(page.locator("html")).toHaveClass(/\bdark\b/);
      await expect(page.locator("html")).toHaveCSS("color-scheme", "dark");
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(bg).not.toMatch(/rgb\(255, 255, 255\)|oklch\(1 0 0\)/);
      // The theme script ran under the page's CSP: it carries the request's nonce (a
      // refused script would also be a console error, which the fixture fails on).
      const nonces = await page.evaluate(() =>
        [...document.scripts].filter((s) => s.textContent?.includes("localStorage")).map((s) => s.nonce),
      );
      expect(nonces.length).toBeGreaterThan(0);
      for (const nonce of nonces) expect(nonce).not.toBe("");
      await page.screenshot({ path: test.info().outputPath(`landing-dark-${name}.png`), fullPage: true });
    });
  });
}
