// Browser steps shared by the specs, written against the pages' data-testid hooks.
import type { Locator, Page } from "@playwright/test";
import { signedEvent, stripeEvent, type FakeSession } from "../support/fake-stripe";
import { tokenFromMail, waitForSpooledMail } from "../support/smtp";
import { E2E_ADMIN_EMAIL } from "./env";
import { expect } from "./fixtures";

export const PASSWORD = "correct horse battery staple";

/**
 * Signs up through the sign-up page (which signs in and lands on the callback page), then
 * confirms the email from the mailed link (so the welcome credits are there) unless
 * `verify: false`, and comes back to the callback page.
 */
export async function signUp(page: Page, email: string, name = "E2E Tester", { verify = true } = {}) {
  await page.goto("/en/auth/signup");
  const form = page.getByTestId("signup-form");
  await form.locator("#name").fill(name);
  await form.locator("#email").fill(email);
  await form.locator("#password").fill(PASSWORD);
  await page.getByTestId("signup-submit").click();
  await expect(page.getByTestId("header-balance")).toBeVisible();
  if (!verify) return;
  const landing = page.url();
  await confirmEmailFromMail(page, email);
  await page.goto(landing);
}

/** Opens the confirmation mail's link (received by the server's test SMTP server) and presses the one button. */
export async function confirmEmailFromMail(page: Page, email: string) {
  const { link } = tokenFromMail(await waitForSpooledMail(email));
  const url = new URL(link);
  await page.goto(url.pathname + url.search);
  await page.getByTestId("verify-submit").click();
  await expect(page.getByTestId("verify-result")).toHaveAttribute("data-result", "done");
}

/** The balance the credits page shows. */
export async function balanceOnCreditsPage(page: Page): Promise<number> {
  await page.goto("/en/credits");
  const el = page.getByTestId("credits-balance");
  await expect(el).toBeVisible();
  return Number(await el.getAttribute("data-balance"));
}

/** Waits until a <video> has decoded its first frame (readyState >= 2) without a media error. */
export async function waitForVideoLoaded(video: Locator) {
  await expect(video).toBeVisible();
  await expect
    .poll(
      () =>
        video.evaluate((el: HTMLVideoElement) => ({
          readyState: el.readyState,
          error: el.error ? el.error.code : null,
          width: el.videoWidth,
        })),
      { timeout: 20_000 },
    )
    .toMatchObject({ readyState: expect.any(Number), error: null });
  await expect.poll(() => video.evaluate((el: HTMLVideoElement) => el.readyState), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
  const state = await video.evaluate((el: HTMLVideoElement) => ({ error: el.error?.code ?? null, width: el.videoWidth, src: el.currentSrc }));
  expect(state.error).toBeNull();
  expect(state.width).toBeGreaterThan(0);
  return state;
}

/**
 * Clicks a bundle's Buy button and completes the checkout on the local fake Stripe:
 * the hosted page is stood in for, the session is marked paid, and
 * checkout.session.completed is signed with the Stripe SDK and posted to the
 * app's webhook, as Stripe would. Returns the paid session.
 */
export async function buyBundle(page: Page, bundleId: string): Promise<FakeSession> {
  const stripeUrl = process.env.E2E_STRIPE_URL!;
  const secret = process.env.E2E_STRIPE_WEBHOOK_SECRET!;
  let sessionId = "";
  await page.route(`${stripeUrl}/_fake/pay/**`, async (route) => {
    sessionId = new URL(route.request().url()).pathname.split("/").pop()!;
    await route.fulfill({ status: 200, contentType: "text/html", body: "<!doctype html><title>Checkout</title><h1>Fake Stripe Checkout</h1>" });
  });
  await page.goto("/en/credits");
  await page.getByTestId(`buy-${bundleId}`).click();
  await page.waitForURL(`${stripeUrl}/_fake/pay/**`);
  expect(sessionId).toMatch(/^cs_/);
  await page.unroute(`${stripeUrl}/_fake/pay/**`);

  const paid = await fetch(`${stripeUrl}/_fake/sessions/${sessionId}/pay`, { method: "POST", body: JSON.stringify({ webhook: false }) });
  expect(paid.status).toBe(200);
  const session = (await paid.json()) as FakeSession;
  const { payload, header } = signedEvent(stripeEvent("checkout.session.completed", session), secret);
  const delivered = await fetch(`${process.env.E2E_BASE_URL}/api/stripe/webhook`, {
    method: "POST",
    body: payload,
    headers: { "content-type": "application/json", "stripe-signature": header },
  });
  expect(delivered.status, await delivered.text()).toBe(200);
  return session;
}

/** Picks `value` in a form's SelectField (a native <select>, data-testid `testId`). */
export async function chooseOption(page: Page, testId: string, value: string) {
  await page.getByTestId(testId).selectOption(value);
  await expect(page.getByTestId(testId)).toHaveValue(value);
}

/**
 * Creates a task through the API with the page's own session (Playwright's request context sends
 * no Origin by itself); returns the new task's uuid.
 */
export async function createTaskViaApi(page: Page, slug: string, body: unknown): Promise<string> {
  const origin = new URL(page.url()).origin; // the server of the page the user is on
  const res = await page.request.post(`${origin}/api/tasks/${slug}`, { headers: { origin }, data: body });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { data: { task: { uuid: string } } }).data.task.uuid;
}

/**
 * Signs in as the e2e server's admin (ADMIN_EMAILS: E2E_ADMIN_EMAIL), signing the account up the
 * first time a spec asks for it.
 */
export async function signInAsAdmin(page: Page) {
  await page.context().clearCookies();
  await page.goto("/en/auth/signin");
  const form = page.getByTestId("signin-form");
  await form.locator("#email").fill(E2E_ADMIN_EMAIL);
  await form.locator("#password").fill(PASSWORD);
  await page.getByTestId("signin-submit").click();
  const outcome = await Promise.race([
    page.getByTestId("header-balance").waitFor().then(() => "in" as const),
    page.getByTestId("signin-form").getByRole("alert").first().waitFor().then(() => "refused" as const),
  ]);
  if (outcome === "in") return;
  await signUp(page, E2E_ADMIN_EMAIL, "E2E Admin");
}
