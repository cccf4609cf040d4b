// Account → Webhooks in a real browser: add an endpoint (the secret shown once), send a test
// event that a local receiver verifies with that secret (standardwebhooks), see it in the
// delivery log, then delete the endpoint.
import { Webhook } from "standardwebhooks";
import { expect, test, uniqueEmail } from "./fixtures";
import { signUp } from "./helpers";
import { startWebhookReceiver } from "../support/webhook-receiver";

test.describe.configure({ timeout: 120_000 });
// The bad URL's 400 (asked for on purpose) is logged by the browser.
test.use({ allowConsoleErrors: [/status of 400 .*\/api\/webhooks\/endpoints\)/] });

test("add an endpoint, send a test event, read the log, delete it", async ({ page }) => {
  const receiver = await startWebhookReceiver();
  try {
    await signUp(page, uniqueEmail("webhooks"), "Hook Tester", { verify: false });
    await page.goto("/en/account");
    await page.getByTestId("account-webhooks-link").click();
    await expect(page).toHaveURL(/\/en\/account\/webhooks$/);

    // A bad URL is named at the field, nothing is created.
    await page.locator("#webhook-url").fill("https://user:pw@example.com/hook");
    await page.getByTestId("webhook-create-submit").click();
    await expect(page.locator("#webhook-url")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByTestId("webhook-endpoint")).toHaveCount(0);

    await page.locator("#webhook-url").fill(receiver.url);
    await page.getByTestId("webhook-create-submit").click();
    const secret = (await page.getByTestId("webhook-secret-value").textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);
    await expect(page.getByTestId("webhook-endpoint")).toHaveCount(1);
    await expect(page.getByTestId("webhook-endpoint")).toContainText(receiver.url);

    await page.getByTestId("webhook-test").click();
    const [delivery] = await receiver.waitFor(1);
    expect(new Webhook(secret).verify(delivery.raw, delivery.headers)).toMatchObject({ type: "webhook.test" });
    await expect(page.getByTestId("webhook-log")).toContainText("Delivered", { timeout: 10_000 });
    await expect(page.getByTestId("webhook-log")).toContainText("200");

    // The secret is not shown again after a reload.
    await page.reload();
    await expect(page.getByTestId("webhook-secret")).toHaveCount(0);
    await page.getByTestId("webhook-delete").click();
    await page.getByTestId("webhook-delete-confirm").click();
    await expect(page.getByTestId("webhook-endpoint")).toHaveCount(0);
  } finally {
    await receiver.close();
  }
});
