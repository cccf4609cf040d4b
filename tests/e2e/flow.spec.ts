// The whole paid-AI journey in a real browser: sign up, welcome credits, generate
// a video and watch it play, find it in history, buy a bundle through the fake
// Stripe checkout (fulfilled by an SDK-signed webhook), and see the balance rise.
import { expect, test, uniqueEmail } from "./fixtures";
import { balanceOnCreditsPage, buyBundle, chooseOption, signUp, waitForVideoLoaded } from "./helpers";
import { CREDIT_BUNDLES, WELCOME_CREDITS } from "@/data/credits";
import { textToVideoCost } from "@/tasks/text-to-video/input";

test("sign up, generate a video, see it in history, buy credits", async ({ page }) => {
  const email = uniqueEmail("flow");
  await signUp(page, email);

  // Welcome credits, in the header and on the credits page.
  await expect(page.getByTestId("header-balance")).toContainText(String(WELCOME_CREDITS));
  expect(await balanceOnCreditsPage(page)).toBe(WELCOME_CREDITS);

  // Generate.
  await page.goto("/en/tasks/text-to-video");
  await expect(page.getByTestId("t2v-balance")).toHaveAttribute("data-credits", String(WELCOME_CREDITS));
  const prompt = `A paper boat drifting down a rainy street ${Date.now()}`;
  await page.getByTestId("t2v-prompt").fill(prompt);
  await page.getByTestId("t2v-seconds").fill("3");
  await chooseOption(page, "t2v-aspect", "landscape");
  const cost = textToVideoCost(3, "landscape");
  await expect(page.getByTestId("t2v-cost")).toHaveAttribute("data-credits", String(cost));
  await page.getByTestId("t2v-submit").click();

  // The progress bar moves by itself: record aria-valuenow until the video shows up.
  const progress = page.getByTestId("t2v-progress");
  await expect(progress).toBeVisible();
  await expect(progress).toHaveAttribute("role", "progressbar");
  const seen = new Set<number>();
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    // One snapshot per tick: the bar is replaced by the video when the task finishes.
    const snap = await page.evaluate(() => ({
      progress: document.querySelector('[data-testid="t2v-progress"]')?.getAttribute("aria-valuenow") ?? null,
      video: !!document.querySelector('[data-testid="t2v-video"]'),
    }));
    if (snap.progress !== null) seen.add(Number(snap.progress));
    if (snap.video) break;
    await page.waitForTimeout(200);
  }
  const values = [...seen].sort((a, b) => a - b);
  expect(values.length, `progress values seen: ${values.join(", ")}`).toBeGreaterThanOrEqual(2);
  expect(values[values.length - 1]).toBeGreaterThan(values[0]);

  await waitForVideoLoaded(page.getByTestId("t2v-video"));
  await expect(page.getByTestId("t2v-balance")).toHaveAttribute("data-credits", String(WELCOME_CREDITS - cost));

  // History.
  await page.goto("/en/tasks");
  const list = page.getByTestId("tasks-list");
  await expect(list).toContainText(prompt);

  // Buy a bundle; the webhook fulfils it; the balance rises by the bundle's credits.
  const bundle = CREDIT_BUNDLES[0];
  const session = await buyBundle(page, bundle.id);
  expect(await balanceOnCreditsPage(page)).toBe(WELCOME_CREDITS - cost + bundle.credits);
  await expect(page.getByTestId("header-balance")).toContainText(String(WELCOME_CREDITS - cost + bundle.credits));
  // Stripe's redirect back: the success page confirms the same order, granting nothing more.
  await page.goto(session.success_url!.replace("{CHECKOUT_SESSION_ID}", session.id));
  await expect(page.getByText(`${bundle.credits} credits were added`)).toBeVisible();
  expect(await balanceOnCreditsPage(page)).toBe(WELCOME_CREDITS - cost + bundle.credits);
});
