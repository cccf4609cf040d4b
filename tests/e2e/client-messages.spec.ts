// Each page sends its client components only the message namespaces they read
// (src/i18n/client-messages.tsx). A namespace a page forgot to list is a missing message
// in the browser, which next-intl logs as a console error: the fixture fails the test on it.
import type { Page } from "@playwright/test";
import { signedInClient } from "../support/http-client";
import { expect, test } from "./fixtures";

const SIGNED_OUT = ["", "/auth/signin", "/auth/signup", "/auth/forgot-password", "/auth/reset-password?token=not-a-real-token", "/tasks/text-to-video"];
const SIGNED_IN = ["/tasks/text-to-video", "/tasks/text-to-image", "/tasks", "/chat", "/credits", "/orders", "/account", "/account/webhooks", "/account/api-keys"];

/** The page's inline scripts: Next's bootstrap and the RSC payload (where provider messages travel). */
const inlineScripts = (page: Page) =>
  page.evaluate(() => [...document.querySelectorAll("script:not([src])")].map((s) => s.textContent).join("\n"));

for (const locale of ["en", "zh"] as const) {
  test(`every page renders its client components without missing messages (${locale})`, async ({ page, baseURL }) => {
    for (const path of SIGNED_OUT) {
      await page.goto(`/${locale}${path}`);
      await expect(page.locator("main")).toBeVisible();
    }
    // Client-side validation messages (auth namespace) on an empty submit.
    await page.goto(`/${locale}/auth/signin`);
    await page.getByTestId("signin-submit").click();
    await expect(page.getByTestId("signin-form").locator("[role=alert], [aria-invalid=true]").first()).toBeVisible();

    const { client } = await signedInClient(baseURL!);
    await page.context().addCookies([...client.cookies].map(([name, value]) => ({ name, value, url: baseURL! })));
    for (const path of SIGNED_IN) {
      await page.goto(`/${locale}${path}`);
      await expect(page.locator("main")).toBeVisible();
    }
    // The task form and runner, with the cost line computed in the browser.
    await page.goto(`/${locale}/tasks/text-to-video`);
    await page.getByTestId("t2v-seconds").fill("3");
    await expect(page.getByTestId("t2v-cost")).toHaveAttribute("data-credits", /\d+/);
    // The custom amount's messages (billing namespace) on the credits page.
    await page.goto(`/${locale}/credits`);
    await page.getByTestId("custom-quantity").fill("1");
    await expect(page.getByTestId("buy-custom")).toBeVisible();
  });
}

test("the landing page carries only the messages its client components use", async ({ page }) => {
  await page.goto("/en");
  const payload = await inlineScripts(page);
  // The locale switch's labels (common) and the Buy button's (billing.buy) are there…
  expect(payload).toContain("中文");
  // …the operator console's, the task runner's and the sign-in form's are not.
  expect(payload).not.toContain("Operator console");
  // (The payload is JSON inside a JavaScript string: its quotes are escaped.)
  expect(payload).not.toMatch(/\\?"runner\\?":\{/);
  expect(payload).not.toMatch(/\\?"validation\\?":\{/);
});

test("the locale switch (a client component of the layout) changes the language", async ({ page }) => {
  await page.goto("/en/auth/signin");
  await page.getByRole("combobox", { name: "Language" }).selectOption("zh");
  await expect(page).toHaveURL(/\/zh\/auth\/signin$/);
  await expect(page.locator("html")).toHaveAttribute("lang", /^zh/);
});
