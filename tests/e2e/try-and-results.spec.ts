// Issue 30, items 2, 5 and 7 at phone and desktop size:
// - try before sign-up: a visitor gets the real form (example prompts, the live price); Generate
//   sends nothing and asks to sign up in place; the prompt and settings come back after sign-up
//   and after the email is confirmed, nothing is charged until Generate; a kept draft is
//   untrusted (a value of the wrong shape is not taken); a visitor's plan button goes to sign-up
//   and comes back to that plan;
// - results in view: on a phone the status card comes to the top of the screen, clear of the
//   toast, and the finished output is brought into view; a reload restores the form as well as
//   the task; a `?task=` of another user's task or garbage shows nothing of it (no error page);
//   Retry and "use this prompt again" on a failed task and on history rows; the history updates
//   running rows live; a ledger row's link (a refund) opens the task it names;
// - the sign-in form's show-password toggle.
import type { Page } from "@playwright/test";
import { WELCOME_CREDITS } from "@/data/credits";
import { textToVideoCost } from "@/tasks/text-to-video/input";
import { tokenFromMail, waitForSpooledMail } from "../support/smtp";
import { expect, test, uniqueEmail } from "./fixtures";
import { chooseOption, createTaskViaApi, PASSWORD, signUp } from "./helpers";

test.describe.configure({ timeout: 150_000 });

const SIZES = [
  ["phone", { width: 390, height: 844 }],
  ["desktop", { width: 1280, height: 800 }],
] as const;

/** The form's code has run (it is a chunk of its own): typing reaches its state. */
async function formReady(page: Page, prefix = "t2v") {
  await expect(page.getByTestId(`${prefix}-form`).locator("fieldset")).toHaveAttribute("data-hydrated", "true");
}

async function expectT2vForm(page: Page, values: { prompt: string; seconds: string; aspect: string }) {
  await expect(page.getByTestId("t2v-prompt")).toHaveValue(values.prompt);
  await expect(page.getByTestId("t2v-seconds")).toHaveValue(values.seconds);
  await expect(page.getByTestId("t2v-aspect")).toHaveValue(values.aspect);
}

/** Task POSTs the page sends (nothing may be sent for a visitor). */
function taskPosts(page: Page): string[] {
  const posts: string[] = [];
  page.on("request", (r) => {
    if (r.method() === "POST" && new URL(r.url()).pathname.startsWith("/api/tasks/")) posts.push(r.url());
  });
  return posts;
}

for (const [size, viewport] of SIZES) {
  test.describe(`${size}`, () => {
    test.use({ viewport, ...(size === "phone" ? { isMobile: true, hasTouch: true } : {}) });

    test("try before sign-up: the real form, kept through sign-up and confirmation, charged only on Generate", async ({ page }) => {
      const email = uniqueEmail(`try-${size}`);
      const posts = taskPosts(page);
      await page.goto("/en/tasks/text-to-video");
      await formReady(page);
      await expect(page.getByTestId("t2v-balance")).toHaveText("Free credits when you sign up");
      const examples = page.getByTestId("t2v-prompt-examples").getByRole("button");
      await expect(examples).toHaveCount(3);
      await examples.first().click();
      const prompt = await page.getByTestId("t2v-prompt").inputValue();
      expect(prompt).toContain("paper boat");
      await page.getByTestId("t2v-seconds").fill("3");
      await chooseOption(page, "t2v-aspect", "portrait");
      const cost = textToVideoCost(3, "portrait");
      await expect(page.getByTestId("t2v-cost")).toHaveAttribute("data-credits", String(cost));

      // Generate asks to sign up, in place; nothing is sent.
      await page.getByTestId("t2v-submit").click();
      const ask = page.getByTestId("t2v-visitor");
      await expect(ask).toBeFocused();
      await expect(ask).toBeInViewport();
      await expect(ask).toContainText("Sign up to generate this");
      await expect(page.getByTestId("t2v-visitor-signin")).toHaveAttribute("href", "/en/auth/signin?callbackUrl=%2Fen%2Ftasks%2Ftext-to-video");
      expect(posts).toEqual([]);

      await page.getByTestId("t2v-visitor-signup").click();
      await page.waitForURL(/\/en\/auth\/signup\?callbackUrl=/);
      const form = page.getByTestId("signup-form");
      await form.locator("#email").fill(email);
      await form.locator("#password").fill(PASSWORD);
      await page.getByTestId("signup-submit").click();

      // Back on the form, what was typed is there; the email is not confirmed yet (no credits).
      await page.waitForURL("**/en/tasks/text-to-video");
      await expect(page.getByTestId("task-draft-kept")).toBeVisible();
      await formReady(page);
      await expectT2vForm(page, { prompt, seconds: "3", aspect: "portrait" });
      await expect(page.getByTestId("t2v-insufficient")).toHaveAttribute("data-top-up", "confirmEmail");
      expect(posts).toEqual([]);

      // Confirmed from the mail: "Start generating" leads back to the kept form.
      const { link } = tokenFromMail(await waitForSpooledMail(email));
      const url = new URL(link);
      await page.goto(url.pathname + url.search);
      await page.getByTestId("verify-submit").click();
      await expect(page.getByTestId("verify-start")).toHaveAttribute("href", "/en/tasks/text-to-video");
      await page.getByTestId("verify-start").click();
      await page.waitForURL("**/en/tasks/text-to-video");
      await formReady(page);
      await expectT2vForm(page, { prompt, seconds: "3", aspect: "portrait" });
      // Nothing charged until Generate.
      await expect(page.getByTestId("t2v-balance")).toHaveAttribute("data-credits", String(WELCOME_CREDITS));
      expect(posts).toEqual([]);

      await page.getByTestId("t2v-submit").click();
      await expect(page.getByTestId("t2v-task")).toBeVisible();
      await expect(page).toHaveURL(/\?task=[0-9a-f-]{36}$/);
      await expect(page.getByTestId("t2v-balance")).toHaveAttribute("data-credits", String(WELCOME_CREDITS - cost));
      expect(posts).toHaveLength(1);

      // The draft became that task: a fresh visit starts empty.
      await page.goto("/en/tasks/text-to-video");
      await formReady(page);
      await expect(page.getByTestId("task-draft-kept")).toHaveCount(0);
      await expect(page.getByTestId("t2v-prompt")).toHaveValue("");
    });

    test("results in view: the status at the top clear of the toast, then the finished output", async ({ page }) => {
      await signUp(page, uniqueEmail(`inview-${size}`));
      await page.goto("/en/tasks/text-to-video");
      await formReady(page);
      await page.getByTestId("t2v-prompt").fill(`A lantern festival over a river ${Date.now()}`);
      await page.getByTestId("t2v-seconds").fill("2");
      await page.getByTestId("t2v-submit").click();

      const card = page.getByTestId("t2v-task");
      await expect(card).toBeInViewport();
      await expect(page.getByTestId("t2v-status")).toBeFocused();
      // The toast (fixed on the screen, gone after a few seconds) and where the card settles.
      const toast = page.locator("[data-sonner-toast]").first();
      await expect(toast).toBeVisible();
      const t = (await toast.boundingBox())!;
      await expect
        .poll(async () => {
          const before = (await card.boundingBox())?.y;
          await page.waitForTimeout(250);
          return before === (await card.boundingBox())?.y;
        })
        .toBe(true);
      const c = (await card.boundingBox())!;
      const overlap = Math.max(0, Math.min(c.y + c.height, t.y + t.height) - Math.max(c.y, t.y)) * Math.max(0, Math.min(c.x + c.width, t.x + t.width) - Math.max(c.x, t.x));
      expect(overlap, `toast ${JSON.stringify(t)} over card ${JSON.stringify(c)}`).toBe(0);
      if (size === "phone") {
        // Exactly where its scroll margin puts it (under the header, clear of the toast): a
        // second scroll racing the smooth one, or the router's scroll to the top, lands it elsewhere.
        const margin = await page.getByTestId("t2v-status").evaluate((el) => parseFloat(getComputedStyle(el).scrollMarginTop));
        expect(Math.abs(c.y - margin), `the card at ${c.y}, its scroll margin ${margin}`).toBeLessThanOrEqual(1);
      }

      await expect(card).toHaveAttribute("data-status", "succeeded", { timeout: 30_000 });
      await expect(page.getByTestId("t2v-video")).toBeInViewport({ ratio: 0.9 });
    });
  });
}

test("a reload restores the form with the task; another user's task or garbage shows nothing", async ({ page, browser }) => {
  await signUp(page, uniqueEmail("reload"));
  await page.goto("/en/tasks/text-to-video");
  await formReady(page);
  const prompt = `Reload me: a windmill in the rain ${Date.now()}`;
  await page.getByTestId("t2v-prompt").fill(prompt);
  await page.getByTestId("t2v-seconds").fill("4");
  await chooseOption(page, "t2v-aspect", "square");
  await page.getByTestId("t2v-submit").click();
  await expect(page).toHaveURL(/\?task=[0-9a-f-]{36}$/);
  const own = new URL(page.url()).searchParams.get("task")!;

  await page.reload();
  await formReady(page);
  await expectT2vForm(page, { prompt, seconds: "4", aspect: "square" });
  await expect(page.getByTestId("t2v-task")).toBeVisible();

  // Garbage: the page, an empty form, no status, no error page.
  for (const bad of ["not-a-uuid", "00000000-0000-0000-0000-000000000000", "%27%3B--", "x".repeat(500)]) {
    const res = await page.goto(`/en/tasks/text-to-video?task=${bad}`);
    expect(res?.status(), bad).toBe(200);
    await formReady(page);
    await expect(page.getByTestId("t2v-task")).toHaveCount(0);
    await expect(page.getByTestId("t2v-prompt")).toHaveValue("");
  }

  // Another user's task, by ?task= and ?from=: nothing of it.
  const other = await browser.newContext({ baseURL: process.env.E2E_BASE_URL });
  const otherPage = await other.newPage();
  await signUp(otherPage, uniqueEmail("reload-other"));
  const secret = `Someone else's secret prompt ${Date.now()}`;
  const theirs = await createTaskViaApi(otherPage, "text-to-video", { prompt: secret, seconds: 2, aspectRatio: "portrait" });
  await other.close();
  for (const query of [`task=${theirs}`, `from=${theirs}`]) {
    const res = await page.goto(`/en/tasks/text-to-video?${query}`);
    expect(res?.status()).toBe(200);
    await formReady(page);
    await expect(page.getByTestId("t2v-task")).toHaveCount(0);
    await expect(page.getByTestId("t2v-prompt")).toHaveValue("");
    expect(await page.content()).not.toContain(secret);
  }
  const list = await page.goto(`/en/tasks?task=${theirs}`);
  expect(list?.status()).toBe(200);
  await expect(page).toHaveURL(/\/en\/tasks\?task=/);

  // A kept draft is untrusted: values of the wrong shape are not taken (the form's defaults are).
  await page.goto("/en/tasks/text-to-video");
  await page.evaluate(() =>
    localStorage.setItem("task-draft:text-to-video", JSON.stringify({ at: Date.now(), input: { prompt: 42, seconds: "<b>9</b>", aspectRatio: "huge" } })),
  );
  await page.reload();
  await formReady(page);
  await expect(page.getByTestId("task-draft-kept")).toBeVisible();
  await expectT2vForm(page, { prompt: "", seconds: "5", aspect: "landscape" });
  expect(own).toMatch(/^[0-9a-f-]{36}$/);
});

test("a failed task: Retry and use again, on its page and in the history; its refund's ledger link opens it; the history is live", async ({ page }) => {
  await signUp(page, uniqueEmail("retry"));
  await page.goto("/en/tasks/text-to-video");
  await formReady(page);
  const prompt = `A comet over the sea mock:fail ${Date.now()}`;
  await page.getByTestId("t2v-prompt").fill(prompt);
  await page.getByTestId("t2v-seconds").fill("2");
  await page.getByTestId("t2v-submit").click();
  const card = page.getByTestId("t2v-task");
  await expect(card).toHaveAttribute("data-status", "failed", { timeout: 30_000 });
  await expect(page.getByTestId("t2v-balance")).toHaveAttribute("data-credits", String(WELCOME_CREDITS));
  const failed = new URL(page.url()).searchParams.get("task")!;

  // Retry: the same input, a new task, followed here.
  await page.getByTestId("t2v-retry").click();
  await expect(page).not.toHaveURL(new RegExp(`task=${failed}`));
  await expect(page).toHaveURL(/\?task=[0-9a-f-]{36}$/);
  await expect(card).toContainText("A comet over the sea");

  // Use this prompt again: the form with its input, no task followed.
  await expect(card).toHaveAttribute("data-status", "failed", { timeout: 30_000 });
  // The refund is on the page (its re-render done) before the next click.
  await expect(page.getByTestId("t2v-balance")).toHaveAttribute("data-credits", String(WELCOME_CREDITS));
  await page.getByTestId("t2v-use-again").click();
  await expect(page).toHaveURL(/\?from=[0-9a-f-]{36}$/);
  await formReady(page);
  await expectT2vForm(page, { prompt, seconds: "2", aspect: "landscape" });
  await expect(card).toHaveCount(0);

  // The refund's ledger row opens the task it names.
  await page.goto("/en/credits");
  // The newest refund is the retried task's; the one before it is the first failure's.
  const refunds = page.locator('[data-testid="ledger-row"][data-trans-type="refund"]');
  await expect(refunds).toHaveCount(2);
  await expect(refunds.nth(1).getByTestId("ledger-link")).toHaveAttribute("href", `/en/tasks?task=${failed}`);
  await refunds.nth(1).getByTestId("ledger-link").click();
  await page.waitForURL(new RegExp(`/en/tasks/text-to-video\\?task=${failed}$`));
  await expect(card).toHaveAttribute("data-status", "failed");

  // The history: Retry on a failed row (the form, filled; nothing sent until Generate).
  await page.goto(`/en/tasks?status=failed`);
  await page.locator(`[data-task="${failed}"]`).getByTestId("task-use-again").click();
  await page.waitForURL(new RegExp(`/en/tasks/text-to-video\\?from=${failed}$`));
  await formReady(page);
  await expect(page.getByTestId("t2v-prompt")).toHaveValue(prompt);

  // A running row updates by itself.
  const running = await createTaskViaApi(page, "text-to-video", { prompt: `Live row ${Date.now()}`, seconds: 2, aspectRatio: "landscape" });
  await page.goto("/en/tasks");
  const row = page.locator(`[data-task="${running}"]`);
  expect(["queued", "running"]).toContain(await row.getAttribute("data-status"));
  await expect(page.getByTestId("tasks-live")).toBeVisible();
  await expect(row).toHaveAttribute("data-status", "succeeded", { timeout: 30_000 });
  await expect(row.getByTestId("task-use-again")).toHaveText("Use this prompt again");
});

test("a visitor's plan button signs up and comes back to that plan", async ({ page }) => {
  await page.goto("/en/pricing");
  const choose = page.getByTestId("choose-basic");
  await expect(choose).toHaveAttribute("href", `/en/auth/signup?callbackUrl=${encodeURIComponent("/en/credits?plan=basic#plans")}`);
  await choose.click();
  await expect(page.getByRole("heading", { level: 1 })).not.toContainText("Welcome back");
  const form = page.getByTestId("signup-form");
  await form.locator("#email").fill(uniqueEmail("plan"));
  await form.locator("#password").fill(PASSWORD);
  await page.getByTestId("signup-submit").click();
  await page.waitForURL(/\/en\/credits\?plan=basic/);
  await expect(page.getByTestId("plan-basic").locator("[data-resumed]")).toBeVisible();
  await expect(page.getByTestId("subscribe-basic-month")).toBeFocused();
});

for (const colorScheme of ["light", "dark"] as const) {
  test(`the sign-in form's show-password toggle; a refused password stays typed (${colorScheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    await page.goto("/en/auth/signin");
    const form = page.getByTestId("signin-form");
    const input = form.locator("#password");
    const toggle = page.getByTestId("password-toggle");
    await form.locator("#email").fill(uniqueEmail("nobody"));
    await input.fill("not my password");
    await expect(input).toHaveAttribute("type", "password");
    await expect(toggle).toHaveAttribute("aria-label", "Show password");
    await toggle.click();
    await expect(input).toHaveAttribute("type", "text");
    await expect(toggle).toHaveAttribute("aria-pressed", "true");
    await page.getByTestId("signin-submit").click();
    await expect(page.getByTestId("signin-problem")).toHaveAttribute("data-status", "401");
    await expect(input).toHaveValue("not my password");
  });
}
