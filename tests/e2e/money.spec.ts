// Money UX in the browser: Stripe unconfigured, buying while signed out (sign-up, then
// back to the purchase), the checkout form's server field error, and the success page's
// states with the header balance following the payment without a reload.
import type { Page } from "@playwright/test";
import { startAppServer } from "../support/app-server";
import { freshAppDatabase } from "../support/test-database";
import { E2E_ENV } from "./env";
import { expect, test, uniqueEmail } from "./fixtures";
import { PASSWORD, signUp } from "./helpers";

const stripeUrl = () => process.env.E2E_STRIPE_URL!;

/** Stands in for Stripe's hosted page; answers the session id the browser was sent to. */
async function interceptStripe(page: Page): Promise<() => string> {
  let sessionId = "";
  await page.route(`${stripeUrl()}/_fake/pay/**`, async (route) => {
    sessionId = new URL(route.request().url()).pathname.split("/").pop()!;
    await route.fulfill({ status: 200, contentType: "text/html", body: "<!doctype html><title>Checkout</title><h1>Fake Stripe Checkout</h1>" });
  });
  return () => sessionId;
}

async function fillSignUp(page: Page, email: string) {
  const form = page.getByTestId("signup-form");
  await form.locator("#name").fill("Money Tester");
  await form.locator("#email").fill(email);
  await form.locator("#password").fill(PASSWORD);
  await page.getByTestId("signup-submit").click();
}

test("signed out: Buy leads to sign-up with a note, then back to the credits page with the bundle selected; paying updates the header", async ({ page }) => {
  await page.goto("/en");
  await page.getByTestId("buy-creator").click();
  await expect(page).toHaveURL(/\/en\/auth\/signup\?callbackUrl=/);
  await expect(page.getByTestId("purchase-note")).toContainText("Create an account to buy credits");
  await fillSignUp(page, uniqueEmail("money"));

  await expect(page).toHaveURL(/\/en\/credits\?buy=creator$/);
  await expect(page.getByTestId("resume-purchase")).toBeVisible();
  await expect(page.getByTestId("bundle-card-creator")).toHaveAttribute("data-selected", "true");
  // A new account's email is not confirmed yet: no welcome credits so far.
  await expect(page.getByTestId("header-balance")).toHaveText(/^0\b/);

  // One click: the Server Action sends the browser to (the stand-in for) Stripe's page.
  const sessionId = await interceptStripe(page);
  await page.getByTestId("resume-buy").click();
  await page.waitForURL(`${stripeUrl()}/_fake/pay/**`);
  expect(sessionId()).toMatch(/^cs_/);
  await page.unroute(`${stripeUrl()}/_fake/pay/**`);

  // Back before Stripe has confirmed: processing, and the page keeps asking.
  await page.goto(`/en/success?session_id=${sessionId()}`);
  await expect(page.getByTestId("success-state")).toHaveAttribute("data-state", "processing");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your payment is processing");
  const paid = await fetch(`${stripeUrl()}/_fake/sessions/${sessionId()}/pay`, { method: "POST", body: JSON.stringify({ webhook: false }) });
  expect(paid.status).toBe(200);
  // No reload: the poll shows the paid state, and the header the new balance.
  await expect(page.getByTestId("success-state")).toHaveAttribute("data-state", "paid", { timeout: 20_000 });
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Thank you for your purchase");
  await expect(page.getByTestId("header-balance")).toHaveText(/^500\b/);
});

test("the custom amount: the server's field error next to the field, the typed value kept, the button usable again", async ({ page }) => {
  await signUp(page, uniqueEmail("money-field"));
  await page.goto("/en/credits");
  const input = page.getByTestId("custom-quantity");
  await input.fill("5");
  await page.getByTestId("buy-custom").click();
  await expect(page.getByTestId("custom-quantity-error")).toContainText("Choose between 10 and 100000 credits.");
  await expect(input).toHaveValue("5");
  await expect(input).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("buy-custom")).toBeEnabled();
});

test("success page states: not found, with one heading", async ({ page }) => {
  await signUp(page, uniqueEmail("money-success"));
  for (const url of ["/en/success", "/en/success?session_id=cs_test_doesnotexist"]) {
    await page.goto(url);
    await expect(page.getByTestId("success-state")).toHaveAttribute("data-state", "notFound");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Checkout not found");
    await expect(page.getByText("Thank you")).toHaveCount(0);
  }
});

test("Stripe not configured: purchasing is not available, buttons disabled, no setup hint in production", async ({ page }) => {
  const database = await freshAppDatabase("e2e-money-nostripe");
  const app = await startAppServer({ env: { ...E2E_ENV, ...database.env } });
  try {
    await page.goto(`${app.url}/en`);
    for (const id of ["starter", "creator", "studio"]) await expect(page.getByTestId(`buy-${id}`)).toBeDisabled();
    await expect(page.getByText("Purchasing is not available yet").first()).toBeVisible();

    await page.goto(`${app.url}/en/auth/signup`);
    await fillSignUp(page, uniqueEmail("money-off"));
    await expect(page.getByTestId("header-balance")).toBeVisible();
    await page.goto(`${app.url}/en/credits`);
    await expect(page.getByTestId("stripe-not-configured")).toContainText("Purchasing is not available yet");
    await expect(page.getByTestId("stripe-setup-hint")).toHaveCount(0);
    await expect(page.getByText("STRIPE_SECRET_KEY")).toHaveCount(0);
    for (const id of ["buy-starter", "buy-creator", "buy-studio", "buy-custom", "subscribe-pro-month", "subscribe-basic-year"]) {
      await expect(page.getByTestId(id)).toBeDisabled();
    }
  } finally {
    // Leave the page first: its links' prefetches would otherwise hit the stopped server
    // (ERR_CONNECTION_RESET, which the console-error guard counts as a failure).
    await page.goto("about:blank");
    await app.stop();
    await database.cleanup();
  }
});
