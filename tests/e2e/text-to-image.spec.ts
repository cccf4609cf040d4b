// Text-to-image in a real browser: the header link, the size's price, the task id in
// the URL (a reload resumes the progress view), the image once done, a refund on failure,
// and the history showing an <img>, filtered by status and type through the URL.
import { expect, test, uniqueEmail } from "./fixtures";
import { balanceOnCreditsPage, signUp } from "./helpers";
import { WELCOME_CREDITS } from "@/data/credits";
import { TEXT2IMAGE_COST } from "@/tasks/text-to-image/input";

test("generate an image: price by size, ?task= survives a reload, the image shows, a failure is refunded", async ({ page }) => {
  await signUp(page, uniqueEmail("image"));
  await page.getByTestId("nav-text-to-image").click();
  await expect(page).toHaveURL(/\/en\/tasks\/text-to-image$/);
  await expect(page.getByTestId("t2i-balance")).toHaveAttribute("data-credits", String(WELCOME_CREDITS));

  await page.getByTestId("t2i-size-512x512").check();
  await expect(page.getByTestId("t2i-cost")).toHaveAttribute("data-credits", String(TEXT2IMAGE_COST["512x512"]));
  await page.getByTestId("t2i-size-1024x1024").check();
  await expect(page.getByTestId("t2i-cost")).toHaveAttribute("data-credits", String(TEXT2IMAGE_COST["1024x1024"]));

  const prompt = `A lighthouse on a cliff at dawn ${Date.now()}`;
  await page.getByTestId("t2i-prompt").fill(prompt);
  await page.getByTestId("t2i-submit").click();
  await expect(page).toHaveURL(/\?task=[0-9a-f-]{36}$/);
  await expect(page.getByTestId("t2i-progress")).toBeVisible();

  // A reload resumes following the same task.
  const url = page.url();
  await page.reload();
  expect(page.url()).toBe(url);
  const image = page.getByTestId("t2i-image");
  await expect(image).toBeVisible({ timeout: 30_000 });
  // The stored copy, through a signed storage URL.
  await expect(image).toHaveAttribute("src", /\/api\/storage\/tasks\/[0-9a-f-]+\/output\?exp=\d+&sig=/);
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1024);
  await expect(page.getByTestId("t2i-balance")).toHaveAttribute("data-credits", String(WELCOME_CREDITS - TEXT2IMAGE_COST["1024x1024"]));

  // mock:fail: the failure is shown and the credits come back.
  await page.getByTestId("t2i-size-512x512").check();
  await page.getByTestId("t2i-prompt").fill("mock:fail this one");
  await page.getByTestId("t2i-submit").click();
  await expect(page.getByTestId("t2i-task")).toHaveAttribute("data-status", "failed", { timeout: 30_000 });
  expect(await balanceOnCreditsPage(page)).toBe(WELCOME_CREDITS - TEXT2IMAGE_COST["1024x1024"]);

  // History: the image as an <img>, the failed one with its code's message (never the provider's text).
  await page.goto("/en/tasks");
  const row = page.locator("[data-task]").filter({ hasText: prompt });
  await expect(row.locator("img")).toHaveAttribute("src", /\/api\/storage\/tasks\/[0-9a-f-]+\/output\?exp=\d+&sig=/);
  const failed = page.locator('[data-task][data-status="failed"]');
  await expect(failed.locator("[data-error-code]")).toHaveAttribute("data-error-code", "internal");
  await expect(failed.locator("[data-error-code]")).not.toContainText("asked the mock provider");

  // Filters live in the URL and are applied by the server: status, then type, then an empty result.
  await page.getByTestId("filter-status-failed").click();
  await expect(page).toHaveURL(/\/en\/tasks\?status=failed$/);
  await expect(page.getByTestId("filter-status-failed")).toHaveAttribute("aria-current", "page");
  await expect(page.locator("[data-task]")).toHaveCount(1);
  await expect(page.locator('[data-task][data-status="failed"]')).toHaveCount(1);
  await page.getByTestId("filter-type-text_to_video").click();
  await expect(page).toHaveURL(/status=failed/);
  await expect(page).toHaveURL(/type=text_to_video/);
  await expect(page.getByTestId("tasks-list")).toHaveAttribute("data-count", "0");
  await page.getByTestId("filter-status-all").click();
  await expect(page).not.toHaveURL(/status=/);
  await expect(page.getByTestId("tasks-list")).toHaveAttribute("data-count", "0");
  await page.getByTestId("filter-type-text_to_image").click();
  await expect(page.getByTestId("tasks-list")).toHaveAttribute("data-count", "2");
});
