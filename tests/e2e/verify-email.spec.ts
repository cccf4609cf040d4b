// Issue 14 in a real browser. The e2e server is a production build (`next start`), which
// has no dev outbox: it sends over SMTP to the test SMTP server its global setup started
// (tests/support/app-server.ts), and the spec opens the mails that server received.
import { expect, test, uniqueEmail } from "./fixtures";
import { balanceOnCreditsPage, signUp } from "./helpers";
import { WELCOME_CREDITS } from "@/data/credits";
import { tokenFromMail, waitForSpooledMail } from "../support/smtp";

// Two accounts, several mails and page loads each: room for a loaded machine.
test.describe.configure({ timeout: 180_000 });

// The reused link's 400 and the dead cookie's 401 are expected answers, not page errors.
// (One pattern: Playwright reads a two-element array here as [value, fixture options].)
test.use({ allowConsoleErrors: [/status of (400 .*\/api\/auth\/verify-email|401)/] });

test("sign up -> no credits yet, the notice says why -> open the mailed link -> confirm -> welcome credits shown", async ({ page }) => {
  const email = uniqueEmail("verify");
  await signUp(page, email, "Verify Tester", { verify: false });
  expect(await balanceOnCreditsPage(page)).toBe(0);
  const notice = page.getByTestId("verify-email-notice");
  await expect(notice).toContainText(`Confirm your email address to get your ${WELCOME_CREDITS} welcome credits`);
  await expect(notice).toContainText(email);

  // Resend works from the notice (the newest link is the one that counts).
  await page.getByTestId("verify-resend").click();
  await expect(page.getByTestId("verify-resend-result")).toHaveAttribute("data-state", "sent");

  const { link } = tokenFromMail(await waitForSpooledMail(email));
  const url = new URL(link);
  expect(url.pathname).toBe("/en/auth/verify-email");
  await page.goto(url.pathname + url.search);
  // Opening the link changed nothing yet.
  await expect(page.getByTestId("verify-submit")).toBeVisible();
  await page.getByTestId("verify-submit").click();
  await expect(page.getByTestId("verify-result")).toHaveAttribute("data-result", "done");
  // The page around it follows at once: the balance in the header, the notice gone.
  await expect(page.getByTestId("header-balance")).toContainText(String(WELCOME_CREDITS));
  await expect(page.getByTestId("verify-email-notice")).toHaveCount(0);
  // The next step is the generator, with the welcome credits to spend.
  await page.getByTestId("verify-start").click();
  await expect(page).toHaveURL(/\/en\/tasks\/text-to-video$/);
  await expect(page.getByTestId("t2v-balance")).toHaveAttribute("data-credits", String(WELCOME_CREDITS));
  await page.goto("/en/credits");
  await expect(page.getByTestId("credits-balance")).toHaveAttribute("data-balance", String(WELCOME_CREDITS));
  await expect(page.getByTestId("header-balance")).toContainText(String(WELCOME_CREDITS));
  await expect(page.getByTestId("verify-email-notice")).toHaveCount(0);

  // The same link again: a clear "already used" page, nothing more granted.
  await page.goto(url.pathname + url.search);
  await page.getByTestId("verify-submit").click();
  await expect(page.getByTestId("verify-result")).toHaveAttribute("data-result", "used");
  expect(await balanceOnCreditsPage(page)).toBe(WELCOME_CREDITS);
});

test("forgot password -> reset through the mailed link -> the old session cookie gets 401", async ({ page, browser }) => {
  test.setTimeout(150_000);
  const email = uniqueEmail("reset");
  await signUp(page, email);
  const oldCookies = await page.context().cookies();
  expect(oldCookies.some((c) => c.name.endsWith("authjs.session-token"))).toBe(true);

  // A second browser, signed out, asks for the reset.
  const other = await browser.newContext({ baseURL: process.env.E2E_BASE_URL });
  const anon = await other.newPage();
  await anon.goto("/en/auth/signin");
  await anon.getByTestId("signin-forgot").click();
  await anon.getByTestId("forgot-form").locator("#email").fill(email);
  await anon.getByTestId("forgot-submit").click();
  await expect(anon.getByTestId("forgot-banner")).toBeVisible();

  const { link } = tokenFromMail(await waitForSpooledMail(email, { match: /reset-password\?token=/ }));
  const url = new URL(link);
  await anon.goto(url.pathname + url.search);
  await anon.getByTestId("reset-form").locator("#password").fill("a brand new passphrase 7");
  await anon.getByTestId("reset-submit").click();
  await expect(anon.getByTestId("reset-done")).toBeVisible();
  await other.close();

  // The first browser's cookie (as a thief would replay it) is dead.
  const res = await page.request.get("/api/credits");
  expect(res.status()).toBe(401);
  // Pages ask the database again within SESSION_CHECK_INTERVAL_SECONDS (30 s by default).
  await expect
    .poll(
      async () => {
        await page.goto("/en/credits");
        return page.getByTestId("header-balance").count();
      },
      { timeout: 45_000, intervals: [2_000] },
    )
    .toBe(0);
});
