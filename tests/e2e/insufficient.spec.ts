// Out of credits: when the cost exceeds the balance the page shows ONE message with the exact
// shortfall and a Buy credits button where Generate was. A balance that ran out after the page
// was drawn ends the same way: the 402 answer shows the same message and button, and the
// balances (page and header) catch up. Nothing is charged.
import { expect, test, uniqueEmail } from "./fixtures";
import { balanceOnCreditsPage, createTaskViaApi, signUp } from "./helpers";
import { WELCOME_CREDITS } from "@/data/credits";
import { TEXT2VIDEO_MAX_SECONDS, TEXT2VIDEO_MIN_SECONDS, textToVideoCost } from "@/tasks/text-to-video/input";

// The browser logs the expected 402 of the refused request; nothing else may appear.
test.use({ allowConsoleErrors: [/status of 402/] });

const small = textToVideoCost(TEXT2VIDEO_MIN_SECONDS, "landscape");
const big = textToVideoCost(TEXT2VIDEO_MAX_SECONDS, "landscape");

test("out of credits: the exact shortfall and a Buy button instead of Generate, also after a 402", async ({ page }) => {
  await signUp(page, uniqueEmail("broke"));
  // Spend the balance down below the biggest video.
  let balance = WELCOME_CREDITS;
  while (balance >= big) {
    await createTaskViaApi(page, "text-to-video", { prompt: "spending it all", seconds: TEXT2VIDEO_MAX_SECONDS, aspectRatio: "landscape" });
    balance -= big;
  }
  expect(balance).toBeGreaterThanOrEqual(small);

  await page.goto("/en/tasks/text-to-video");
  await expect(page.getByTestId("t2v-balance")).toHaveAttribute("data-credits", String(balance));
  await page.getByTestId("t2v-prompt").fill("A very long and very expensive video");
  await page.getByTestId("t2v-seconds").fill(String(TEXT2VIDEO_MAX_SECONDS));

  // Before any request: one message, the exact shortfall, Buy where Generate was.
  const notice = page.getByTestId("t2v-insufficient");
  await expect(notice).toHaveAttribute("data-shortfall", String(big - balance));
  await expect(notice).toContainText(`You need ${big - balance} more credit`);
  await expect(page.getByText(/more credit/)).toHaveCount(1);
  await expect(page.getByTestId("t2v-submit")).toHaveCount(0);
  await expect(page.getByTestId("t2v-error")).toHaveCount(0);
  await expect(page.getByTestId("t2v-buy-credits")).toBeVisible();

  // A cost within the balance brings Generate back.
  await page.getByTestId("t2v-seconds").fill(String(TEXT2VIDEO_MIN_SECONDS));
  await expect(page.getByTestId("t2v-insufficient")).toHaveCount(0);
  await expect(page.getByTestId("t2v-submit")).toBeEnabled();

  // Meanwhile the balance is spent elsewhere (another tab, a script): the page does not know yet.
  while (balance >= small) {
    await createTaskViaApi(page, "text-to-video", { prompt: "spent elsewhere", seconds: TEXT2VIDEO_MIN_SECONDS, aspectRatio: "landscape" });
    balance -= small;
  }
  const refused = page.waitForResponse((r) => r.url().endsWith("/api/tasks/text-to-video") && r.request().method() === "POST");
  await page.getByTestId("t2v-submit").click();
  expect((await refused).status()).toBe(402);

  // The 402 ends the same way: the shortfall, Buy instead of Generate, and the real balance shown.
  await expect(notice).toHaveAttribute("data-shortfall", String(small - balance));
  await expect(page.getByTestId("t2v-submit")).toHaveCount(0);
  await expect(page.getByTestId("t2v-error")).toHaveCount(0);
  await expect(page.getByTestId("t2v-balance")).toHaveAttribute("data-credits", String(balance));
  await expect(page.getByTestId("header-balance")).toContainText(String(balance));

  await page.getByTestId("t2v-buy-credits").click();
  await expect(page).toHaveURL(/\/en\/credits$/);
  expect(await balanceOnCreditsPage(page)).toBe(balance);
});
