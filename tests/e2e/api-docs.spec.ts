// The API reference page (/<locale>/docs/api): Scalar renders GET /api/openapi.json from our own
// origin, within the pages' CSP (a violation is a console error, which fails the test through
// the fixtures' guard), with a localized title and intro, and asks no other origin for anything.
import { expect, test } from "./fixtures";

for (const [locale, title, intro, download] of [
  ["en", "API reference", "Create AI tasks", "Download OpenAPI Document"],
  ["zh", "API 参考", "创建 AI 任务", "下载 OpenAPI 文档"],
] as const) {
  test(`renders the OpenAPI document (${locale})`, async ({ page, baseURL }) => {
    const origin = new URL(baseURL!).origin;
    const foreign: string[] = [];
    page.on("request", (request) => {
      const url = new URL(request.url());
      if (url.protocol.startsWith("http") && url.origin !== origin) foreign.push(request.url());
    });
    await page.goto(`/${locale}/docs/api`);
    await expect(page).toHaveTitle(new RegExp(`^${title}`));
    await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
    await expect(page.getByTestId("api-docs")).toContainText(intro);
    const reference = page.getByTestId("api-reference");
    // The document, rendered: its title, Scalar's own UI in the page's language, the upload flow.
    await expect(reference.getByRole("heading", { name: "Credits AI Studio API" })).toBeVisible({ timeout: 60_000 }); // a 4.7 MB script on a busy machine
    await expect(reference.getByText(download).first()).toBeVisible();
    await reference.getByRole("link", { name: "Uploads", exact: true }).click();
    await expect(reference.getByText("Upload a file").first()).toBeVisible();
    await expect(reference.getByText("multipart/form-data").first()).toBeAttached();
    expect(foreign, "requests to other origins").toEqual([]);
  });
}
