// A conversation on /en/chat at phone and desktop size: a reply streams in as Markdown and
// shows what it cost; the header balance follows; Stop cuts the next reply short and it costs
// less; regenerate answers again; the conversation is listed, renamed, reloaded and deleted.
import { expect, test, uniqueEmail } from "./fixtures";
import { signUp } from "./helpers";
import { WELCOME_CREDITS } from "@/data/credits";

const VIEWPORTS = [
  { name: "phone", width: 390, height: 844 },
  { name: "desktop", width: 1280, height: 800 },
];

const headerBalance = async (page: import("@playwright/test").Page) => Number((await page.getByTestId("header-balance").first().innerText()).replace(/\D+/g, ""));

for (const viewport of VIEWPORTS) {
  test(`a conversation with Stop, regenerate, rename and delete (${viewport.name} ${viewport.width}x${viewport.height})`, async ({ page }) => {
    test.setTimeout(240_000);
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    await signUp(page, uniqueEmail(`chat-${viewport.name}`));
    await page.goto("/en/chat");

    // A whole reply: streamed, rendered as Markdown (the mock's **mock** is bold), then its cost.
    await page.getByTestId("chat-input").fill("Hello, who are you?");
    await page.getByTestId("chat-send").click();
    await expect(page.getByTestId("chat-stop")).toBeVisible();
    const first = page.getByTestId("chat-message-assistant").first();
    await expect(first.locator("strong")).toHaveText("mock");
    const firstCost = first.getByTestId("chat-reply-credits");
    await expect(firstCost).toBeVisible({ timeout: 30_000 });
    const full = Number(await firstCost.getAttribute("data-credits"));
    expect(full).toBeGreaterThan(0);
    await expect.poll(() => headerBalance(page)).toBe(WELCOME_CREDITS - full);
    await expect(page.getByTestId("chat-conversation")).toHaveCount(1);
    await expect(page).toHaveURL(/\/en\/chat\?c=[0-9a-f-]{36}$/);

    // Stop in the middle: the reply stays as far as it got, and costs less than a whole one.
    await page.getByTestId("chat-input").fill("Tell me more, at length.");
    await page.getByTestId("chat-send").click();
    const second = page.getByTestId("chat-message-assistant").nth(1);
    await expect(second).toContainText("mock");
    await page.getByTestId("chat-stop").click();
    const secondCost = second.getByTestId("chat-reply-credits");
    await expect(secondCost).toBeVisible({ timeout: 15_000 });
    await expect(second.getByTestId("chat-reply-stopped")).toBeVisible();
    const stopped = Number(await secondCost.getAttribute("data-credits"));
    expect(stopped).toBeGreaterThan(0);
    expect(stopped).toBeLessThan(full);
    await expect.poll(() => headerBalance(page)).toBe(WELCOME_CREDITS - full - stopped);

    // Regenerate the stopped reply: it is answered again in full.
    await page.getByTestId("chat-regenerate").click();
    await expect(page.getByTestId("chat-stop")).toBeVisible();
    await expect(page.getByTestId("chat-message-assistant").nth(1).getByTestId("chat-reply-stopped")).toHaveCount(0, { timeout: 30_000 });
    await expect(page.getByTestId("chat-message-assistant").nth(1).getByTestId("chat-reply-credits")).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId("chat-message-assistant")).toHaveCount(2);

    // Rename, then a reload keeps the conversation open with its messages and costs.
    await page.getByTestId("chat-rename").click();
    await page.getByTestId("chat-rename-input").fill("Getting to know the mock");
    await page.getByTestId("chat-rename-save").click();
    await expect(page.getByTestId("chat-conversation-open")).toHaveText("Getting to know the mock");
    await page.reload();
    await expect(page.getByTestId("chat-message-user")).toHaveCount(2);
    await expect(page.getByTestId("chat-reply-credits")).toHaveCount(2);

    // A new conversation, then delete the first one.
    await page.getByTestId("chat-new").click();
    await expect(page.getByTestId("chat-message-user")).toHaveCount(0);
    await page.getByTestId("chat-delete").click();
    await page.getByTestId("chat-delete-confirm").click();
    await expect(page.getByTestId("chat-conversation")).toHaveCount(0);
  });
}
