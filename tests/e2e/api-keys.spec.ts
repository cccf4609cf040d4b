// Account → API keys in a real browser: create a key (its secret shown this once), use it
// from outside the browser, see it listed, and find the secret gone after a reload.
import { expect, test, uniqueEmail } from "./fixtures";
import { signUp } from "./helpers";

test("create a key, call the API with it, and the secret is not shown again", async ({ page, baseURL }) => {
  await signUp(page, uniqueEmail("api-keys"), "Key Maker", { verify: false });
  await page.goto("/en/account/api-keys");
  const form = page.getByTestId("create-api-key-form");
  await form.locator('input[name="name"]').fill("build server");
  await form.getByRole("button").click();

  const secret = (await page.getByTestId("api-key-secret-value").textContent())!.trim();
  expect(secret).toMatch(/^sk_(live|test)_/);
  await expect(page.getByTestId("api-keys")).toContainText("build server");
  // The key works without the browser's cookie.
  const res = await fetch(`${baseURL}/api/credits`, { headers: { authorization: `Bearer ${secret}` } });
  expect(res.status).toBe(200);

  await page.reload();
  await expect(page.getByTestId("api-key-secret")).toHaveCount(0);
  await expect(page.getByTestId("api-keys")).toContainText("build server");
});
