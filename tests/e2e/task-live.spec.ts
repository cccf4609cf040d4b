// Live task status at phone and desktop size: after Generate the status card is where the user
// is looking (scrolled into view on a phone, beside the form on a desktop) with a toast; the
// URL names the task so a reload resumes it; the status reaches "succeeded" by itself over the
// live stream (no button to press, no "Refresh status"); the result offers a Download; the
// header balance follows without a reload; out of credits, Buy credits replaces Generate.
import { startAppServer } from "../support/app-server";
import { freshAppDatabase } from "../support/test-database";
import { E2E_ENV } from "./env";
import { expect, test, uniqueEmail } from "./fixtures";
import { createTaskViaApi, signUp, waitForVideoLoaded } from "./helpers";
import { WELCOME_CREDITS } from "@/data/credits";
import { TEXT2VIDEO_MAX_SECONDS, textToVideoCost } from "@/tasks/text-to-video/input";

const VIEWPORTS = [
  { name: "phone", width: 390, height: 844 },
  { name: "desktop", width: 1280, height: 800 },
];

for (const viewport of VIEWPORTS) {
  test(`live status in view, resumed on reload, finished with a download (${viewport.name} ${viewport.width}x${viewport.height})`, async ({ page }) => {
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    await signUp(page, uniqueEmail(`live-${viewport.name}`));

    // Count how the task is followed: the event stream, and JSON reads of the task.
    const streams: string[] = [];
    const polls: string[] = [];
    page.on("request", (r) => {
      const path = new URL(r.url()).pathname;
      if (/^\/api\/tasks\/[0-9a-f-]{36}\/events$/.test(path)) streams.push(path);
      else if (/^\/api\/tasks\/[0-9a-f-]{36}$/.test(path)) polls.push(path);
    });

    await page.goto("/en/tasks/text-to-video");
    const cost = textToVideoCost(2, "landscape");
    await page.getByTestId("t2v-prompt").fill(`A kite over the dunes ${Date.now()}`);
    await page.getByTestId("t2v-seconds").fill("2");
    await page.getByTestId("t2v-submit").click();

    // Feedback where the user is looking, and a toast.
    const card = page.getByTestId("t2v-task");
    await expect(card).toBeInViewport();
    await expect(page.getByText("Task started")).toBeVisible();
    await expect(page).toHaveURL(/\/en\/tasks\/text-to-video\?task=[0-9a-f-]{36}$/);
    // The header balance follows the debit without a reload.
    await expect(page.getByTestId("header-balance")).toContainText(String(WELCOME_CREDITS - cost));
    await expect(page.getByTestId("t2v-balance")).toHaveAttribute("data-credits", String(WELCOME_CREDITS - cost));

    // A reload resumes following the same task.
    const url = page.url();
    await page.reload();
    expect(page.url()).toBe(url);
    await expect(card).toBeVisible();
    expect(["queued", "running"]).toContain(await card.getAttribute("data-status"));

    // It finishes by itself, over the live stream.
    await expect(card).toHaveAttribute("data-status", "succeeded", { timeout: 30_000 });
    expect(streams.length).toBeGreaterThanOrEqual(1);
    // Streamed, not polled: a mock job of 6 s polled each second would read the task 6+ times.
    expect(polls.length, `JSON reads of the task: ${polls.length}`).toBeLessThanOrEqual(4);
    await waitForVideoLoaded(page.getByTestId("t2v-video"));
    const download = page.getByTestId("t2v-download");
    await expect(download).toBeVisible();
    await expect(download).toHaveAttribute("download", /^text-to-video-[0-9a-f]{8}$/);
    await expect(download).toHaveAttribute("href", /\/api\/storage\/tasks\/[0-9a-f-]+\/output\?exp=\d+&sig=/);
    await expect(page.getByRole("button", { name: /refresh/i })).toHaveCount(0);
    await expect(page.getByTestId("t2v-progress")).toHaveCount(0);

    // Out of credits: spend the rest elsewhere, and Buy credits replaces Generate.
    let balance = WELCOME_CREDITS - cost;
    const big = textToVideoCost(TEXT2VIDEO_MAX_SECONDS, "landscape");
    while (balance >= big) {
      await createTaskViaApi(page, "text-to-video", { prompt: "spending it", seconds: TEXT2VIDEO_MAX_SECONDS, aspectRatio: "landscape" });
      balance -= big;
    }
    await page.goto("/en/tasks/text-to-video");
    await page.getByTestId("t2v-seconds").fill(String(TEXT2VIDEO_MAX_SECONDS));
    await expect(page.getByTestId("t2v-insufficient")).toHaveAttribute("data-shortfall", String(big - balance));
    await expect(page.getByTestId("t2v-buy-credits")).toBeVisible();
    await expect(page.getByTestId("t2v-submit")).toHaveCount(0);
  });
}

// Live streams are capped per user (TASK_EVENTS_MAX_STREAMS_PER_USER): over the cap the events
// route answers 429, and the page follows its task by polling instead. On a server of its own
// with a cap of one, another tab holds the one stream (a text-to-video job that outlasts the
// test), and a text-to-image task on this tab still reaches its result by itself.
test("over the live-stream cap: the events route answers 429 and the page polls to the result", async ({ browser }) => {
  const database = await freshAppDatabase("e2e-stream-cap");
  const app = await startAppServer({ env: { ...E2E_ENV, ...database.env, TASK_EVENTS_MAX_STREAMS_PER_USER: "1", TEXT2VIDEO_MOCK_DELAY_MS: "120000" } });
  const context = await browser.newContext({ baseURL: app.url });
  try {
    const page = await context.newPage();
    // This server is not the fixtures' one, so this test keeps its own console guard.
    const errors: string[] = [];
    page.on("console", (msg) => msg.type() === "error" && errors.push(msg.text()));
    page.on("pageerror", (error) => errors.push(error.message));
    await signUp(page, uniqueEmail("stream-cap"));

    const held = await createTaskViaApi(page, "text-to-video", { prompt: "holding the stream", seconds: 2, aspectRatio: "landscape" });
    const otherTab = await context.newPage();
    const heldStream = otherTab.waitForResponse((res) => new URL(res.url()).pathname === `/api/tasks/${held}/events`);
    await otherTab.goto(`/en/tasks/text-to-video?task=${held}`);
    expect((await heldStream).status()).toBe(200);

    const streams: number[] = [];
    let polls = 0;
    page.on("response", (res) => {
      const p = new URL(res.url()).pathname;
      if (/^\/api\/tasks\/[0-9a-f-]{36}\/events$/.test(p)) streams.push(res.status());
      else if (/^\/api\/tasks\/[0-9a-f-]{36}$/.test(p)) polls++;
    });
    await page.goto("/en/tasks/text-to-image");
    await page.getByTestId("t2i-prompt").fill(`A lantern in the fog ${Date.now()}`);
    await page.getByTestId("t2i-submit").click();
    await expect(page.getByTestId("t2i-task")).toHaveAttribute("data-status", "succeeded", { timeout: 30_000 });
    await expect(page.getByTestId("t2i-image")).toBeVisible();
    expect(streams).toEqual([429]);
    // A 4-second mock job read once a second: the page polled while its stream was refused.
    expect(polls, `JSON reads of the task: ${polls}`).toBeGreaterThanOrEqual(2);
    // The one console error allowed: Chromium's line about the refused stream.
    expect(errors.filter((text) => !/\b429\b/.test(text))).toEqual([]);
    expect(errors.length).toBeLessThanOrEqual(1);
  } finally {
    await context.close();
    await app.stop();
    await database.cleanup();
  }
});
