// The account page's Server Actions in a real browser against the production build:
// change the name, change the password (wrong current one first), see another browser's
// session end, then delete the account and land signed out; change the email address through
// the mailed link.
import type { BrowserContext, Page } from "@playwright/test";
import { expect, test, uniqueEmail } from "./fixtures";
import { tokenFromMail, waitForSpooledMail } from "../support/smtp";
import { PASSWORD, signUp } from "./helpers";

// Sign-up, a second browser's sign-in, and a wait of up to one session re-check.
test.describe.configure({ timeout: 180_000 });

const NEW_PASSWORD = "a fresh passphrase for the account 42";

/** A second browser signed in as the same user (its own session). */
async function signInElsewhere(browser: { newContext(options: object): Promise<BrowserContext> }, email: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: process.env.E2E_BASE_URL });
  const page = await context.newPage();
  await page.goto("/en/auth/signin");
  const form = page.getByTestId("signin-form");
  await form.locator("#email").fill(email);
  await form.locator("#password").fill(PASSWORD);
  await page.getByTestId("signin-submit").click();
  await expect(page.getByTestId("header-balance")).toBeVisible();
  return { context, page };
}

test("account page: name saved, wrong current password refused, password change ends the other session, delete signs out", async ({ page, browser }) => {
  const email = uniqueEmail("account");
  await signUp(page, email, "Before Rename", { verify: false });
  const other = await signInElsewhere(browser, email);
  expect((await other.page.request.get("/api/credits")).status()).toBe(200);

  await page.goto("/en/account");

  // Name: saved, kept in the field, and still there after a reload.
  const nameForm = page.getByTestId("account-name-form");
  await nameForm.locator("#name").fill("After Rename");
  await page.getByTestId("account-name-submit").click();
  await expect(page.getByTestId("account-name-result")).toHaveAttribute("data-state", "done");
  await expect(page.getByTestId("account-name-result")).toHaveText("Saved.");
  await expect(nameForm.locator("#name")).toHaveValue("After Rename");
  await page.reload();
  await expect(page.getByTestId("account-name-form").locator("#name")).toHaveValue("After Rename");

  // Password, wrong current one: the field says so and nothing changed. What was typed stays
  // (kept in the browser: passwords never travel back from a Server Action, src/lib/http/action.ts).
  const pwForm = page.getByTestId("account-password-form");
  await pwForm.locator("#currentPassword").fill("not the password at all");
  await pwForm.locator("#newPassword").fill(NEW_PASSWORD);
  await page.getByTestId("account-password-submit").click();
  await expect(page.getByTestId("currentPassword-error")).toHaveText("That is not your current password.");
  await expect(pwForm.locator("#newPassword")).toHaveValue(NEW_PASSWORD);
  await expect(page.getByTestId("account-password-result")).toHaveCount(0);
  expect((await other.page.request.get("/api/credits")).status()).toBe(200);

  // A password the server refuses (too short): its rule in words, no change either.
  await pwForm.locator("#currentPassword").fill(PASSWORD);
  await pwForm.locator("#newPassword").fill("short");
  await page.getByTestId("account-password-submit").click();
  await expect(page.getByTestId("newPassword-error")).toHaveText("Use at least 8 characters.");
  expect((await other.page.request.get("/api/credits")).status()).toBe(200);

  // The right one: changed, the fields cleared, this browser still signed in, the other one out.
  await pwForm.locator("#currentPassword").fill(PASSWORD);
  await pwForm.locator("#newPassword").fill(NEW_PASSWORD);
  await page.getByTestId("account-password-submit").click();
  await expect(page.getByTestId("account-password-result")).toHaveAttribute("data-state", "done");
  await expect(pwForm.locator("#newPassword")).toHaveValue("");
  // Sessions are re-checked against the database at most every SESSION_CHECK_INTERVAL_SECONDS (30 s by default).
  await expect.poll(async () => (await other.page.request.get("/api/credits")).status(), { timeout: 45_000, intervals: [2_000] }).toBe(401);
  expect((await page.request.get("/api/credits")).status()).toBe(200);
  await other.context.close();

  // Delete: a wrong password first (refused in the dialog), then the new one: home, signed out.
  await page.reload();
  await page.getByTestId("account-delete-open").click();
  const dialog = page.getByTestId("account-delete-form");
  await dialog.locator("#deleteConfirm").fill(PASSWORD);
  await page.getByTestId("account-delete-submit").click();
  await expect(page.getByTestId("deleteConfirm-error")).toHaveText("That is not your current password.");
  await dialog.locator("#deleteConfirm").fill(NEW_PASSWORD);
  await page.getByTestId("account-delete-submit").click();
  await expect(page).toHaveURL(/\/en\/?$/);
  await expect(page.getByTestId("header-signin")).toBeVisible();
  await expect(page.getByTestId("header-balance")).toHaveCount(0);
  expect((await page.request.get("/api/credits")).status()).toBe(401);
});

test("email change: a wrong password refused in place, then the link mailed to the new address switches the account and ends the other session", async ({ page, browser }) => {
  const email = uniqueEmail("account-email");
  const newEmail = uniqueEmail("account-email-new");
  await signUp(page, email, "Email Changer", { verify: false });
  const other = await signInElsewhere(browser, email);
  await page.goto("/en/account");

  const form = page.getByTestId("account-email-form");
  await form.locator("#newEmail").fill(newEmail);
  await form.locator("#emailCurrentPassword").fill("not the password at all");
  await page.getByTestId("account-email-submit").click();
  await expect(form.getByTestId("emailCurrentPassword-error")).toHaveText("That is not your current password.");
  // What was typed stays, the refused password too (issue 30, item 7: checked with its show-password toggle).
  await expect(form.locator("#newEmail")).toHaveValue(newEmail);
  await expect(form.locator("#emailCurrentPassword")).toHaveValue("not the password at all");

  await form.locator("#emailCurrentPassword").fill(PASSWORD);
  await page.getByTestId("account-email-submit").click();
  await expect(page.getByTestId("account-email-result")).toHaveText(`Check the mail at ${newEmail} and open the link to confirm the change.`);
  // Nothing changes until the link is opened.
  expect((await other.page.request.get("/api/credits")).status()).toBe(200);
  await page.reload();
  await expect(page.getByText(email, { exact: false }).first()).toBeVisible();

  const { link } = tokenFromMail(await waitForSpooledMail(newEmail));
  const url = new URL(link);
  await page.goto(url.pathname + url.search);
  await page.getByTestId("confirm-email-submit").click();
  await expect(page.getByTestId("confirm-email-done")).toContainText(newEmail);

  // This browser stays signed in and the account shows the new address; the other session ends.
  await page.goto("/en/account");
  await expect(page.getByText(newEmail, { exact: false }).first()).toBeVisible();
  expect((await page.request.get("/api/credits")).status()).toBe(200);
  await expect.poll(async () => (await other.page.request.get("/api/credits")).status(), { timeout: 45_000, intervals: [2_000] }).toBe(401);
  await other.context.close();
});

test("account page in Chinese: the saved state in Chinese, sign out everywhere lands on /zh signed out", async ({ page }) => {
  const email = uniqueEmail("account-zh");
  await signUp(page, email, "Zh Tester", { verify: false });
  await page.goto("/zh/account");
  await page.getByTestId("account-name-form").locator("#name").fill("张三");
  await page.getByTestId("account-name-submit").click();
  await expect(page.getByTestId("account-name-result")).toHaveText("已保存。");

  await page.getByTestId("account-signout-everywhere").click();
  await expect(page).toHaveURL(/\/zh\/?$/);
  await expect(page.getByTestId("header-signin")).toBeVisible();
  expect((await page.request.get("/api/credits")).status()).toBe(401);
});
