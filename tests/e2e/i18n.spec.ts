import { expect, test } from "./fixtures";

test.describe("translations", () => {
  test("/zh renders the landing page in Chinese, with lang=zh", async ({ page }) => {
    await page.goto("/zh");
    await expect(page.locator("html")).toHaveAttribute("lang", /^zh/);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("一句话，生成一段视频");
    // None of the English headline leaks into the Chinese page.
    await expect(page.getByText("Turn a sentence into a video")).toHaveCount(0);
  });

  test("/en renders the same page in English", async ({ page }) => {
    await page.goto("/en");
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Turn a sentence into a video");
  });
});
