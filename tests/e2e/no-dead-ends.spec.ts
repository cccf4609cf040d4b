// Issue 30, item 3: no dead ends, at phone (390x844) and desktop (1280x800) size, on a server of its
// own without Stripe keys (purchasing unavailable):
// - no enabled control offers to buy anywhere: landing and pricing (bundles and plans), the credits
//   page, the low-balance banner, a task form's shortfall;
// - a user without credits who has not confirmed the email is told to confirm it, with Resend,
//   instead of buying; after confirming, the next step is "Start generating" (the generator, with
//   the welcome credits);
// - with Stripe configured (the shared e2e server) the same shortfall offers Buy credits.
import type { Page } from "@playwright/test";
import { WELCOME_CREDITS } from "@/data/credits";
import { startAppServer, type AppServer } from "../support/app-server";
import { freshAppDatabase } from "../support/test-database";
import { E2E_ENV } from "./env";
import { expect, test, uniqueEmail } from "./fixtures";
import { confirmEmailFromMail, createTaskViaApi, signUp } from "./helpers";

const SIZES = [
  { name: "phone", viewport: { width: 390, height: 844 }, isMobile: true },
  { name: "desktop", viewport: { width: 1280, height: 800 }, isMobile: false },
] as const;

/** Spends the welcome credits through the API (10-second tasks, 20 credits each) down to `left`. */
async function spendDownTo(page: Page, left: number) {
  await page.goto("/en/credits");
  for (let balance = WELCOME_CREDITS; balance - 20 >= left; balance -= 20) {
    await createTaskViaApi(page, "text-to-video", { prompt: "Spending credits", seconds: 10, aspectRatio: "landscape" });
  }
}

/** Every enabled link or button on the page whose words offer to buy or subscribe. */
async function enabledBuyControls(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>("main a[href], main button")]
      .filter((el) => !(el as HTMLButtonElement).disabled && el.getAttribute("aria-disabled") !== "true" && el.offsetParent !== null)
      .map((el) => (el.textContent ?? "").trim())
      .filter((text) => /\b(buy|choose|subscribe)\b/i.test(text)),
  );
}

test.describe("purchasing unavailable (no STRIPE_SECRET_KEY)", () => {
  let server: AppServer;
  let cleanup: () => Promise<void>;
  let sharedBaseUrl: string | undefined;

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    const database = await freshAppDatabase("e2e-nostripe");
    server = await startAppServer({ env: { ...E2E_ENV, ...database.env } });
    cleanup = database.cleanup;
    // The specs' baseURL fixture reads E2E_BASE_URL: this file's tests run against this server.
    sharedBaseUrl = process.env.E2E_BASE_URL;
    process.env.E2E_BASE_URL = server.url;
  });
  test.afterAll(async () => {
    process.env.E2E_BASE_URL = sharedBaseUrl;
    await server?.stop();
    await cleanup?.();
  });

  for (const size of SIZES) {
    test.describe(size.name, () => {
      test.use({ viewport: size.viewport, isMobile: size.isMobile, hasTouch: size.isMobile });

      test("nothing offers to buy; an unconfirmed user is sent to confirm the email, then to the generator", async ({ page }) => {
        test.setTimeout(120_000);
        for (const url of ["/en", "/en/pricing"]) {
          await page.goto(url);
          expect(await enabledBuyControls(page), url).toEqual([]);
          await expect(page.getByTestId("choose-pro")).toBeDisabled();
        }

        const email = uniqueEmail(`nostripe-${size.name}`);
        await signUp(page, email, "No Stripe", { verify: false });
        // 0 credits, email not confirmed: the form's shortfall says confirm, with Resend.
        await page.goto("/en/tasks/text-to-video");
        const shortfall = page.getByTestId("t2v-insufficient");
        await expect(shortfall).toHaveAttribute("data-top-up", "confirmEmail");
        await expect(shortfall).toContainText(`${WELCOME_CREDITS} free credits`);
        await expect(page.getByTestId("t2v-buy-credits")).toHaveCount(0);
        await expect(page.getByTestId("t2v-resend")).toBeEnabled();
        // The credits page: the banner says the same; nothing to buy is enabled.
        await page.goto("/en/credits");
        await expect(page.getByTestId("low-balance-banner")).toHaveAttribute("data-top-up", "confirmEmail");
        await expect(page.getByTestId("low-balance-buy")).toHaveCount(0);
        await expect(page.getByTestId("stripe-not-configured")).toBeVisible();
        expect(await enabledBuyControls(page), "/en/credits").toEqual([]);

        // Confirmed: the next step is the generator, where the welcome credits are.
        await confirmEmailFromMail(page, email);
        await page.getByTestId("verify-start").click();
        await expect(page).toHaveURL(/\/en\/tasks\/text-to-video$/);
        await expect(page.getByTestId("t2v-balance")).toHaveAttribute("data-credits", String(WELCOME_CREDITS));
        await expect(page.getByTestId("t2v-submit")).toBeEnabled();

        // Past the balance: "You need N more credits", and no Buy (purchasing is unavailable).
        await spendDownTo(page, 10);
        await page.goto("/en/tasks/text-to-video");
        await page.getByTestId("t2v-seconds").fill("10");
        await expect(page.getByTestId("t2v-insufficient")).toHaveAttribute("data-top-up", "unavailable");
        await expect(page.getByTestId("t2v-insufficient")).toHaveAttribute("data-shortfall", "10");
        await expect(page.getByTestId("t2v-buy-credits")).toHaveCount(0);
        expect(await enabledBuyControls(page), "shortfall").toEqual([]);
        await page.goto("/en/credits");
        await expect(page.getByTestId("low-balance-banner")).toHaveAttribute("data-top-up", "unavailable");
        await expect(page.getByTestId("low-balance-buy")).toHaveCount(0);
      });
    });
  }
});

test.describe("purchasing available (the shared server, fake Stripe)", () => {
  for (const size of SIZES) {
    test(`a confirmed user short of credits is offered Buy credits (${size.name})`, async ({ page }) => {
      await page.setViewportSize(size.viewport);
      await signUp(page, uniqueEmail(`stripe-${size.name}`));
      await spendDownTo(page, 10);
      await page.goto("/en/tasks/text-to-video");
      await page.getByTestId("t2v-seconds").fill("10");
      await expect(page.getByTestId("t2v-insufficient")).toHaveAttribute("data-top-up", "buy");
      await page.getByTestId("t2v-buy-credits").click();
      await expect(page).toHaveURL(/\/en\/credits/);
      await expect(page.getByTestId("low-balance-banner")).toHaveAttribute("data-top-up", "buy");
      await expect(page.getByTestId("buy-starter")).toBeEnabled();
    });
  }
});
