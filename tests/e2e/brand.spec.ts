// Issue 30, items 1, 6 and 9, at phone (390x844) and desktop (1280x800) size:
// - the landing page's loop is the demo generator's, and says so (en and zh); a finished task's
//   video is as long, and as shaped, as asked;
// - a brand, not a template: the logo mark in the header, the site config's tagline, support
//   address and legal entity in the footer (no template wording), a favicon set, and per page an
//   og:image and a Twitter card drawn by /api/og, which answers odd parameters with an image;
// - the generator grid has a card per registered type and no empty cells; pricing quotes each
//   type's default input (what its form starts with);
// - the operator console: an Admin link for admins only, filters chosen from the registry, and
//   tables that do not scroll sideways on a phone.
import type { APIRequestContext, Page } from "@playwright/test";
import { siteConfig } from "../../src/config/site";
import { imageSize } from "../support/media";
import { expect, test, uniqueEmail } from "./fixtures";
import { createTaskViaApi, signInAsAdmin, signUp } from "./helpers";

const SIZES = [
  { name: "phone", viewport: { width: 390, height: 844 }, isMobile: true },
  { name: "desktop", viewport: { width: 1280, height: 800 }, isMobile: false },
] as const;

interface TypeInfo {
  type: string;
  pricing: { default: { credits: number } };
}

/** The registered task types, as the public types API lists them (the registry, from outside). */
async function taskTypes(request: APIRequestContext): Promise<TypeInfo[]> {
  const res = await request.get("/api/tasks/types");
  expect(res.status()).toBe(200);
  return ((await res.json()) as { data: { types: TypeInfo[] } }).data.types;
}

async function meta(page: Page, selector: string) {
  return page.locator(selector).first().getAttribute("content");
}


for (const size of SIZES) {
  test.describe(size.name, () => {
    test.use({ viewport: size.viewport, isMobile: size.isMobile, hasTouch: size.isMobile });

    test("the landing loop is the demo generator's, captioned so, in en and zh", async ({ page }) => {
      for (const [locale, caption] of [
        ["en", "demo generator"],
        ["zh", "演示生成器"],
      ]) {
        await page.goto(`/${locale}`);
        const video = page.getByTestId("hero-video");
        await expect(video).toHaveAttribute("src", "/demo/hero.mp4");
        await expect(video).toHaveAttribute("poster", "/demo/hero-poster.jpg");
        await expect(page.getByTestId("hero-caption")).toContainText(caption);
      }
    });

    test("header logo, footer in the product's voice, favicon set, social cards per page", async ({ page, request }) => {
      await page.goto("/en");
      await expect(page.getByTestId("brand").locator("svg")).toBeVisible();
      await expect(page.getByTestId("brand")).toContainText(siteConfig.name);
      const footer = page.getByTestId("site-footer");
      await expect(page.getByTestId("footer-support")).toHaveText(siteConfig.supportEmail);
      await expect(page.getByTestId("footer-rights")).toContainText(siteConfig.legalEntity);
      await expect(page.getByTestId("footer-rights")).not.toContainText(/\.\./);
      // The terms end a sentence with the entity too: one full stop after "Ltd.", not two.
      const terms = await (await request.get("/en/terms")).text();
      expect(terms).toContain(`a service of ${siteConfig.legalEntity} By creating`);
      await expect(footer).not.toContainText(/example\.com|MIT license|open starter/i);

      // Favicon set (Next's file conventions): the SVG mark, the Apple touch icon, a manifest.
      const icons = await page.locator('link[rel="icon"], link[rel="apple-touch-icon"], link[rel="manifest"]').evaluateAll((links) => links.map((l) => `${l.getAttribute("rel")} ${l.getAttribute("href")}`));
      expect(icons.some((i) => i.startsWith("icon /icon.svg"))).toBe(true);
      const apple = icons.find((i) => i.startsWith("apple-touch-icon"))!.split(" ")[1];
      const appleRes = await request.get(apple);
      expect(appleRes.headers()["content-type"]).toBe("image/png");
      expect(imageSize(await appleRes.body())).toMatchObject({ width: 180, height: 180 });
      expect(icons.some((i) => i.startsWith("manifest"))).toBe(true);
      // Browsers and feed readers still ask for /favicon.ico before (or without) reading the head.
      const ico = await request.get("/favicon.ico");
      expect(ico.status()).toBe(200);
      expect(ico.headers()["content-type"]).toBe("image/x-icon");

      // Each page has its card: og:image and twitter:card, the image a 1200x630 PNG.
      for (const [url, card] of [
        ["/en", "home"],
        ["/en/pricing", "pricing"],
        ["/en/tasks/text-to-image", "tasks/text-to-image"],
        ["/zh/terms", "terms"],
      ] as const) {
        await page.goto(url);
        const image = await meta(page, 'meta[property="og:image"]');
        expect(image, url).toContain(`/api/og?page=${encodeURIComponent(card)}`);
        expect(await meta(page, 'meta[name="twitter:card"]'), url).toBe("summary_large_image");
        expect(await meta(page, 'meta[name="twitter:image"]'), url).toBe(image);
        expect(await meta(page, 'meta[property="og:title"]'), url).toContain(siteConfig.name);
        const res = await request.get(new URL(image!).pathname + new URL(image!).search);
        expect(res.status(), url).toBe(200);
        expect(imageSize(await res.body())).toEqual({ type: "png", width: 1200, height: 630 });
      }
    });

    test("the generator grid has one card per type and no empty cells", async ({ page, request }) => {
      await page.goto("/en");
      const cards = page.getByTestId("generators").locator(":scope > li");
      await expect(cards).toHaveCount((await taskTypes(request)).length);
      const list = await page.getByTestId("generators").boundingBox();
      const boxes = await cards.evaluateAll((els) => els.map((el) => el.getBoundingClientRect()).map((r) => ({ top: Math.round(r.top), left: r.left, right: r.right })));
      // Every row is filled from edge to edge: its last card ends where the list ends.
      for (const top of new Set(boxes.map((b) => b.top))) {
        const row = boxes.filter((b) => b.top === top);
        expect(Math.max(...row.map((b) => b.right))).toBeGreaterThan(list!.x + list!.width - 2);
        expect(Math.min(...row.map((b) => b.left))).toBeLessThan(list!.x + 2);
      }
    });

    test("pricing quotes what each form starts with", async ({ page, request }) => {
      await page.goto("/en/pricing");
      for (const type of await taskTypes(request)) {
        const n = type.pricing.default.credits;
        await expect(page.getByTestId("bundle-starter")).toContainText(`(${n} ${n === 1 ? "credit" : "credits"} each)`);
      }
      await expect(page.getByTestId("bundle-starter")).not.toContainText("16 credits each");
    });
  });
}

test.describe("social cards with odd parameters", () => {
  test("never answer 500: an unknown, repeated, overlong or broken parameter gets an image", async ({ request }) => {
    for (const query of [
      "",
      "page=nope&locale=xx",
      "page=../../etc/passwd",
      "page=pricing&page=terms",
      `page=${"a".repeat(5000)}`,
      "page=%00&locale=%00",
      "page=tasks%2Ftext-to-video&locale=zh",
      "locale=en&extra=<script>",
    ]) {
      const res = await request.get(`/api/og?${query}`);
      expect(res.status(), query).toBeLessThan(500);
      if (res.status() === 200) expect(imageSize(await res.body()), query).toMatchObject({ type: "png", width: 1200, height: 630 });
    }
  });
});

test.describe("operator console", () => {
  test("an Admin link for admins only; filters from the registry; tables fit a phone", async ({ page, request }) => {
    test.setTimeout(120_000);
    // Not an admin: no link.
    await page.setViewportSize({ width: 1280, height: 800 });
    await signUp(page, uniqueEmail("not-admin"));
    await expect(page.getByTestId("header-admin")).toHaveCount(0);
    await page.context().clearCookies();

    await signInAsAdmin(page);
    await createTaskViaApi(page, "text-to-video", { prompt: "A paper boat", seconds: 2, aspectRatio: "portrait" });
    await page.goto("/en");
    await page.getByTestId("header-admin").click();
    await expect(page).toHaveURL(/\/en\/admin$/);
    await page.goto("/en/admin/tasks");
    const types = await page.getByTestId("admin-filter-type").locator("option").evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value));
    expect(types).toEqual(["", ...(await taskTypes(request)).map((t) => t.type)]);
    const providers = await page.getByTestId("admin-filter-provider").locator("option").evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value));
    expect(providers).toContain("mock");
    expect(providers).toContain("replicate");
    await page.getByTestId("admin-filter-type").selectOption("text_to_video");
    await page.getByRole("button", { name: /filter/i }).click();
    await expect(page).toHaveURL(/type=text_to_video/);
    await expect(page.getByTestId("admin-tasks")).toBeVisible();

    // A phone: the menu carries the Admin link; no console table scrolls sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/en");
    await page.getByTestId("menu-button").click();
    await expect(page.getByTestId("menu-admin")).toBeVisible();
    for (const url of ["/en/admin/tasks", "/en/admin/users", "/en/admin/orders", "/en/admin/audit"]) {
      await page.goto(url);
      const widths = await page.locator("[data-slot=table-container]").evaluateAll((els) => els.map((el) => el.scrollWidth - el.clientWidth));
      for (const overflow of widths) expect(overflow, `${url}: the table is wider than its container`).toBeLessThanOrEqual(1);
      expect(await page.evaluate(() => document.scrollingElement!.scrollWidth), url).toBeLessThanOrEqual(390);
    }
  });
});
