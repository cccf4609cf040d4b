// The task types that take a file, in the browser against `next start` with the mock providers:
// on a phone (390×844) a photo is picked, checked in the browser (a wrong type or an oversized
// file never leaves it), uploaded with progress, previewed, and image-to-video runs to its clip;
// the history card shows the photo; a recent upload is reused for an upscale; an upload can be
// cancelled; a recording becomes a transcript with timestamps whose .txt and .srt download.
import fs from "node:fs";
import sharp from "sharp";
import { expect, test, uniqueEmail } from "./fixtures";
import { signUp, waitForVideoLoaded } from "./helpers";
import { imageToVideoCost } from "@/tasks/image-to-video/limits";
import { imageUpscaleCost } from "@/tasks/image-upscale/limits";

const PHONE = { width: 390, height: 844 };
const MP3_30 = fs.readFileSync("tests/fixtures/uploads/tone-30s.mp3");

/** A 640×480 JPEG photo (made here, nothing to ship). */
const photo = () =>
  sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 30, g: 110, b: 190 } } })
    .composite([{ input: Buffer.from('<svg width="640" height="480"><circle cx="320" cy="240" r="150" fill="orange"/></svg>') }])
    .jpeg({ quality: 80 })
    .toBuffer();

test("phone: a photo is checked before it is sent, uploaded with a preview, and animated into a clip; the history shows the photo", async ({ page }) => {
  await page.setViewportSize(PHONE);
  await signUp(page, uniqueEmail("i2v-phone"));
  const uploads: string[] = [];
  page.on("request", (r) => {
    if (r.method() === "POST" && new URL(r.url()).pathname === "/api/uploads") uploads.push(r.url());
  });

  await page.goto("/en/tasks/image-to-video");
  const input = page.getByTestId("i2v-image-input");
  // Tap-to-pick: a real file input that offers the phone's photo library (images only).
  await expect(input).toHaveAttribute("accept", /image\/jpeg/);
  await expect(page.getByTestId("i2v-submit")).toBeDisabled();
  await expect(page.getByTestId("i2v-cost")).toHaveAttribute("data-credits", String(imageToVideoCost(5)));

  // The wrong type and a file over the field's 10 MB: refused in the browser, nothing sent.
  await input.setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("not a photo") });
  await expect(page.getByTestId("i2v-image-error")).toHaveAttribute("data-problem", "type");
  await input.setInputFiles({ name: "huge.jpg", mimeType: "image/jpeg", buffer: Buffer.alloc(10 * 1024 * 1024 + 1) });
  await expect(page.getByTestId("i2v-image-error")).toHaveAttribute("data-problem", "tooLarge");
  expect(uploads).toEqual([]);

  // A photo: uploaded (one request), then previewed with its measured size.
  await input.setInputFiles({ name: "beach.jpg", mimeType: "image/jpeg", buffer: await photo() });
  const preview = page.getByTestId("i2v-image-preview");
  await expect(preview).toBeVisible();
  await expect(preview).toContainText("beach.jpg");
  await expect(preview).toContainText("640 × 480");
  await expect(preview.locator("img")).toHaveJSProperty("complete", true);
  await expect(page.getByTestId("i2v-image-error")).toHaveCount(0);
  expect(uploads).toHaveLength(1);

  await page.getByTestId("i2v-prompt").fill("The waves roll in, the camera pushes in slowly");
  await page.getByTestId("i2v-seconds").fill("4");
  await expect(page.getByTestId("i2v-cost")).toHaveAttribute("data-credits", String(imageToVideoCost(4)));
  await page.getByTestId("i2v-submit").click();

  const card = page.getByTestId("i2v-task");
  await expect(card).toBeInViewport();
  await expect(card).toHaveAttribute("data-status", "succeeded", { timeout: 45_000 });
  await waitForVideoLoaded(page.getByTestId("i2v-video"));
  await expect(page.getByTestId("i2v-download")).toBeVisible();

  // The history card shows the photo it was made from.
  await page.goto("/en/tasks");
  const thumbnail = page.getByTestId("task-input-thumbnail").first();
  await expect(thumbnail).toBeVisible();
  await expect(thumbnail).toHaveJSProperty("complete", true);
  expect(await thumbnail.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(640);
});

test("a recent upload is reused for an upscale, priced from its measured size", async ({ page }) => {
  await signUp(page, uniqueEmail("upscale"));
  await page.goto("/en/tasks/image-upscale");
  await page.getByTestId("upscale-photo-input").setInputFiles({ name: "cat.jpg", mimeType: "image/jpeg", buffer: await photo() });
  await expect(page.getByTestId("upscale-photo-preview")).toBeVisible();
  await page.getByTestId("upscale-photo-remove").click();
  await expect(page.getByTestId("upscale-photo-preview")).toHaveCount(0);
  await expect(page.getByTestId("upscale-submit")).toBeDisabled();

  // Reuse it from the recent uploads (keyboard: the list is a disclosure of buttons).
  await page.getByTestId("upscale-photo-recent").locator("summary").click();
  const item = page.getByTestId("upscale-photo-recent-item").first();
  await expect(item).toContainText("cat.jpg");
  await item.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("upscale-photo-preview")).toContainText("640 × 480");

  await page.getByTestId("upscale-scale-4").check();
  await expect(page.getByTestId("upscale-cost")).toHaveAttribute("data-credits", String(imageUpscaleCost(640, 480, 4)));
  await page.getByTestId("upscale-submit").click();
  const card = page.getByTestId("upscale-task");
  await expect(card).toHaveAttribute("data-status", "succeeded", { timeout: 30_000 });
  const output = page.getByTestId("upscale-image");
  await expect(output).toHaveJSProperty("complete", true);
  expect(await output.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight])).toEqual([2560, 1920]);
});

test("keyboard focus shows on what the eye sees: the file button of a hidden file input, the scale cards, the recent uploads", async ({ page }) => {
  await signUp(page, uniqueEmail("upload-focus"));
  await page.goto("/en/tasks/image-upscale");
  await page.getByTestId("upscale-photo-input").setInputFiles({ name: "cat.jpg", mimeType: "image/jpeg", buffer: await photo() });
  await expect(page.getByTestId("upscale-photo-preview")).toBeVisible();
  await page.reload();
  await expect(page.getByTestId("upscale-form").locator("fieldset").first()).toHaveAttribute("data-hydrated", "true");
  /** Reaches `target` by the keyboard (so it matches :focus-visible) and reads `shown`'s outline. */
  const outlineWhenFocused = async (target: ReturnType<typeof page.locator>, shown: ReturnType<typeof page.locator>) => {
    await target.focus();
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Tab");
    await expect(target).toBeFocused();
    await page.waitForTimeout(250); // any outline transition settles
    return shown.evaluate((el) => ({ style: getComputedStyle(el).outlineStyle, width: parseFloat(getComputedStyle(el).outlineWidth) }));
  };
  const input = page.getByTestId("upscale-photo-input");
  const choose = page.locator(`label[for="${await input.getAttribute("id")}"]`).filter({ hasText: "Choose" });
  for (const [target, shown] of [
    [input, choose],
    [page.getByTestId("upscale-scale-2"), page.locator("label").filter({ has: page.getByTestId("upscale-scale-2") })],
    [page.getByTestId("upscale-photo-recent").locator("summary"), page.getByTestId("upscale-photo-recent").locator("summary")],
  ] as const) {
    const outline = await outlineWhenFocused(target, shown);
    expect(outline.style, await shown.innerText()).not.toBe("none");
    expect(outline.width, await shown.innerText()).toBeGreaterThanOrEqual(2);
  }
});

test.describe("cancel", () => {
  // The aborted request may be logged by the browser.
  test.use({ allowConsoleErrors: [/api\/uploads/] });

  test("an upload in flight can be cancelled: nothing is kept, the field is empty again", async ({ page }) => {
    await signUp(page, uniqueEmail("cancel"));
    await page.goto("/en/tasks/image-to-video");
    // Hold the upload at the server's door until it is cancelled.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route("**/api/uploads", async (route) => {
      if (route.request().method() !== "POST") return route.continue();
      await held;
      await route.abort().catch(() => {});
    });
    await page.getByTestId("i2v-image-input").setInputFiles({ name: "slow.jpg", mimeType: "image/jpeg", buffer: await photo() });
    await expect(page.getByTestId("i2v-image-progress")).toBeVisible();
    await page.getByTestId("i2v-image-cancel").click();
    release();
    await expect(page.getByTestId("i2v-image-notice")).toBeVisible();
    await expect(page.getByTestId("i2v-image-preview")).toHaveCount(0);
    await expect(page.getByTestId("i2v-image-input")).toHaveCount(1);
    await expect(page.getByTestId("i2v-submit")).toBeDisabled();
  });
});

test("speech-to-text: a 30-second recording costs 1 credit; the result shows timestamps and downloads .txt and .srt", async ({ page }) => {
  await signUp(page, uniqueEmail("stt"));
  await page.goto("/en/tasks/speech-to-text");
  await page.getByTestId("stt-audio-input").setInputFiles({ name: "interview.mp3", mimeType: "audio/mpeg", buffer: MP3_30 });
  const preview = page.getByTestId("stt-audio-preview");
  await expect(preview).toContainText("interview.mp3");
  await expect(preview).toContainText("0:30");
  await expect(page.getByTestId("stt-cost")).toHaveAttribute("data-credits", "1");
  await page.getByTestId("stt-submit").click();

  await expect(page.getByTestId("stt-task")).toHaveAttribute("data-status", "succeeded", { timeout: 30_000 });
  const segments = page.getByTestId("stt-segment");
  await expect(segments).toHaveCount(7); // 5-second segments over 30.1 s
  await expect(segments.first()).toContainText("0:00");
  await expect(segments.nth(1)).toContainText("0:05");
  await expect(segments.last()).toContainText("0:30");
  const lines = await segments.locator("span").allTextContents();

  const txt = page.waitForEvent("download");
  await page.getByTestId("stt-download-txt").click();
  const txtFile = await txt;
  expect(txtFile.suggestedFilename()).toMatch(/^transcript-[0-9a-f]{8}\.txt$/);
  expect(fs.readFileSync((await txtFile.path())!, "utf8")).toBe(lines.join("\n") + "\n");

  const srt = page.waitForEvent("download");
  await page.getByTestId("stt-download-srt").click();
  const srtFile = await srt;
  expect(srtFile.suggestedFilename()).toMatch(/^transcript-[0-9a-f]{8}\.srt$/);
  const srtText = fs.readFileSync((await srtFile.path())!, "utf8");
  expect(srtText.startsWith(`1\n00:00:00,000 --> 00:00:05,000\n${lines[0]}\n\n2\n00:00:05,000 --> 00:00:10,000\n`)).toBe(true);
  expect(srtText.trim().split("\n\n")).toHaveLength(7);

  // The history card: the recording's name and length, and the transcript's download.
  await page.goto("/en/tasks");
  await expect(page.getByTestId("task-input-file").first()).toContainText("interview.mp3");
});
