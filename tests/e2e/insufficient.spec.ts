// Asking for more than the balance: a 402 from the API becomes the
// insufficient-credits banner with a link to buy credits, and nothing is charged.
import { expect, test, uniqueEmail } from "./fixtures";
import { balanceOnCreditsPage, signUp } from "./helpers";
import { WELCOME_CREDITS } from "@/data/credits";
import { TEXT2VIDEO_MAX_SECONDS, textToVideoCost } from "@/services/tasks/types/text-to-video/input";

// The browser logs the expected 402 of the refused request; nothing else may appear.
test.use({ allowConsoleErrors: [/status of 402/] });

test("the insufficient-credits banner links to buying credits and charges nothing", async ({ page }) => {
  await signUp(page, uniqueEmail("broke"));
  // Spend the balance down through the API with the browser's own session.
  const big = textToVideoCost(TEXT2VIDEO_MAX_SECONDS, "landscape");
  let balance = WELCOME_CREDITS;
  while (balance >= big) {
    // Playwright's request context sends no Origin; the page's own fetch would (cross-origin writes are refused).
    const res = await page.request.post("/api/tasks/text-to-video", {
      headers: { origin: new URL(page.url()).origin },
      data: { prompt: "spending it all", seconds: TEXT2VIDEO_MAX_SECONDS, aspectRatio: "landscape" },
    });
    expect(res.status()).toBe(201);
    balance -= big;
  }
  expect(await balanceOnCreditsPage(page)).toBe(balance);

  await page.goto("/en/tasks/text-to-video");
  await expect(page.getByTestId("t2v-balance")).toHaveAttribute("data-credits", String(balance));
  await page.getByTestId("t2v-prompt").fill("A very long and very expensive video");
  await page.getByTestId("t2v-seconds").fill(String(TEXT2VIDEO_MAX_SECONDS));
  await page.getByTestId("t2v-aspect").selectOption("landscape");
  const refused = page.waitForResponse((r) => r.url().endsWith("/api/tasks/text-to-video") && r.request().method() === "POST");
  await page.getByTestId("t2v-submit").click();
  expect((await refused).status()).toBe(402);

  const banner = page.getByTestId("t2v-error");
  await expect(banner).toHaveAttribute("data-error", "insufficient");
  await expect(banner).toContainText(String(big));
  await page.getByTestId("t2v-buy-credits").click();
  await expect(page).toHaveURL(/\/en\/credits$/);
  expect(await balanceOnCreditsPage(page)).toBe(balance);
});
