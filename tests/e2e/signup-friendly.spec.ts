// Issue 30, item 7 (friendly sign-up) with issue 26, item 10 (zxcvbn-ts strength): the
// password's rules are shown up front with live, localized hints; a show-password toggle
// (a button with aria-pressed and a label, in both themes); what was typed stays on a
// refusal, the password too; a new account lands on the generator (or its callbackUrl).
// At phone and desktop size.
import { expect, test, uniqueEmail } from "./fixtures";
import { PASSWORD } from "./helpers";

test.describe.configure({ timeout: 120_000 });

const SIZES = [
  ["phone", { width: 390, height: 844 }],
  ["desktop", { width: 1280, height: 800 }],
] as const;

for (const [size, viewport] of SIZES) {
  test.describe(`sign-up (${size})`, () => {
    test.use({ viewport, ...(size === "phone" ? { isMobile: true, hasTouch: true } : {}) });

    test("rules up front, live hints, a refused weak password keeps everything typed, then the generator", async ({ page }) => {
      const email = uniqueEmail(`friendly-${size}`);
      await page.goto("/en/auth/signup");
      const form = page.getByTestId("signup-form");
      await expect(page.getByTestId("password-rules")).toContainText("At least 8 characters");
      await expect(form.locator("#password")).toHaveAttribute("aria-describedby", /password-rules/);

      await form.locator("#name").fill("Friendly Tester");
      await form.locator("#email").fill(email);
      await form.locator("#password").fill("Summer2024");
      // The estimator loads on first input; its feedback is in the user's language.
      const hints = page.getByTestId("password-hints");
      await expect(hints).toHaveAttribute("data-score", /^[0-2]$/);
      await expect(page.getByTestId("password-level")).toHaveText(/weak|guessable/i);
      await expect(page.getByTestId("password-feedback")).toContainText("Add more words that are less common.");

      // Submitted anyway: the server refuses it (the same rule), and nothing typed is lost.
      await page.getByTestId("signup-submit").click();
      await expect(page.getByTestId("password-error")).toHaveText(/too easy to guess/);
      await expect(form.locator("#password")).toHaveValue("Summer2024");
      await expect(form.locator("#email")).toHaveValue(email);
      await expect(form.locator("#name")).toHaveValue("Friendly Tester");

      await form.locator("#password").fill(PASSWORD);
      await expect(hints).toHaveAttribute("data-score", /^[34]$/);
      await expect(page.getByTestId("password-level")).toHaveText(/strong/i);
      await page.getByTestId("signup-submit").click();
      await page.waitForURL("**/en/tasks/text-to-video");
      await expect(page.getByTestId("header-balance")).toBeVisible();
    });

    test("with a callbackUrl the new account lands there", async ({ page }) => {
      await page.goto(`/en/auth/signup?callbackUrl=${encodeURIComponent("/en/credits")}`);
      const form = page.getByTestId("signup-form");
      await form.locator("#email").fill(uniqueEmail(`callback-${size}`));
      await form.locator("#password").fill(PASSWORD);
      await page.getByTestId("signup-submit").click();
      await page.waitForURL("**/en/credits");
    });

    for (const colorScheme of ["light", "dark"] as const) {
      test(`the show-password toggle is a labelled, pressed-state button (${colorScheme})`, async ({ page }) => {
        await page.emulateMedia({ colorScheme });
        await page.goto("/zh/auth/signup");
        const input = page.getByTestId("signup-form").locator("#password");
        const toggle = page.getByTestId("password-toggle");
        await input.fill("secret phrase");
        await expect(input).toHaveAttribute("type", "password");
        await expect(toggle).toHaveAttribute("aria-pressed", "false");
        await expect(toggle).toHaveAttribute("aria-label", "显示密码");
        await expect(toggle).toBeVisible();
        // Its icon is drawn in a colour that differs from the field's background.
        const colours = await toggle.evaluate((el) => ({ fg: getComputedStyle(el).color, bg: getComputedStyle(el.closest("div")!).backgroundColor }));
        expect(colours.fg).not.toBe(colours.bg);
        await toggle.click();
        await expect(input).toHaveAttribute("type", "text");
        await expect(toggle).toHaveAttribute("aria-pressed", "true");
        await expect(toggle).toHaveAttribute("aria-label", "隐藏密码");
        await expect(input).toHaveValue("secret phrase");
        await toggle.focus();
        await page.keyboard.press("Enter");
        await expect(input).toHaveAttribute("type", "password");
        // The hints are localized too.
        await input.fill("aaaaaaaa");
        await expect(page.getByTestId("password-feedback")).toContainText("重复的字符");
      });
    }
  });
}

test("the reset and account forms weigh a new password the same way", async ({ page }) => {
  await page.goto("/en/auth/reset-password?token=made-up-token");
  const input = page.getByTestId("reset-form").locator("#password");
  await input.fill("password2024");
  await expect(page.getByTestId("password-hints")).toHaveAttribute("data-score", /^[0-2]$/);
  await expect(page.getByTestId("password-feedback")).toContainText("This is similar to a commonly used password.");
  await expect(page.getByTestId("password-toggle")).toHaveAttribute("aria-pressed", "false");
});
