// Issue 16, item 7: a keyboard-only walk of sign-up -> generate -> buy at desktop size.
// Only key presses and typing move the user (no clicks); at every focus stop the focused
// element must show a visible focus indicator. Opening the mailed confirmation link with
// page.goto stands in for the mail client.
import type { Page } from "@playwright/test";
import { WELCOME_CREDITS } from "@/data/credits";
import { tokenFromMail, waitForSpooledMail } from "../support/smtp";
import { expect, test, uniqueEmail } from "./fixtures";
import { PASSWORD } from "./helpers";

test.describe.configure({ timeout: 180_000 });
test.use({ viewport: { width: 1280, height: 800 } });

interface FocusState {
  tag: string;
  testId: string | null;
  id: string;
  text: string;
  visible: boolean;
  indicator: string | null;
}

/**
 * What the focused element shows: a non-transparent outline, or a box-shadow ring (a
 * shadow with a spread, as Tailwind's `ring` draws it; a plain drop shadow does not count).
 */
async function focusState(page: Page): Promise<FocusState | null> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const transparent = (color: string) => color === "transparent" || /(,|\/)\s*0\)$/.test(color.trim());
    let indicator: string | null = null;
    if (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0 && !transparent(style.outlineColor)) {
      indicator = `outline ${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`;
    } else if (style.boxShadow !== "none") {
      // "color x y blur spread" layers; a colour may itself contain commas and spaces.
      const layers = style.boxShadow.match(/([a-z-]+\([^)]*\)|#[0-9a-f]+|[a-z]+)\s+(-?[\d.]+)px\s+(-?[\d.]+)px\s+(-?[\d.]+)px\s+(-?[\d.]+)px/gi) ?? [];
      const ring = layers.find((layer) => {
        const parts = layer.match(/(-?[\d.]+)px/g)!.map(parseFloat);
        const color = layer.slice(0, layer.search(/\s+-?[\d.]+px/));
        return parts[3] >= 1 && !transparent(color);
      });
      if (ring) indicator = `ring ${ring}`;
    }
    const rect = el.getBoundingClientRect();
    return {
      tag: el.tagName.toLowerCase(),
      testId: el.getAttribute("data-testid"),
      id: el.id,
      text: (el.textContent ?? "").trim().slice(0, 40),
      visible: rect.width > 0 && rect.height > 0 && style.visibility !== "hidden",
      indicator,
    };
  });
}

/** The focused element is visible and shows a focus indicator (waits out the ring's transition). */
async function expectVisibleFocus(page: Page): Promise<FocusState> {
  let last: FocusState | null = null;
  await expect
    .poll(async () => {
      last = await focusState(page);
      return Boolean(last?.visible && last.indicator);
    }, { message: "the focused element shows a focus indicator", timeout: 3_000 })
    .toBe(true)
    .catch((error: Error) => {
      throw new Error(`${error.message}\nfocused: ${JSON.stringify(last)}`);
    });
  return last!;
}

/** Presses Tab (Shift+Tab with `back`) until `matches` holds for the focused element, checking the focus indicator at every stop. */
async function tabTo(page: Page, matches: (focus: FocusState) => boolean, what: string, { max = 60, back = false } = {}) {
  const stops: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
    const focus = await expectVisibleFocus(page);
    stops.push(focus.testId ?? (focus.id || `${focus.tag}:${focus.text}`));
    if (matches(focus)) return focus;
  }
  throw new Error(`${what} not reached with ${max} Tab presses; stops: ${stops.join(" > ")}`);
}

const byTestId = (testId: string) => (f: FocusState) => f.testId === testId;
const byId = (id: string) => (f: FocusState) => f.id === id;

test("keyboard only: landing -> sign up -> confirm the email -> generate a video -> buy credits, with a visible focus ring at every stop", async ({ page }) => {
  const email = uniqueEmail("keyboard");
  const stripeUrl = process.env.E2E_STRIPE_URL!;

  // Landing: the first Tab stop is the skip link, visible while focused; it moves focus to the page.
  await page.goto("/en");
  await page.keyboard.press("Tab");
  await expectVisibleFocus(page);
  const skip = page.getByTestId("skip-to-content");
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press("Enter");
  await expect(page.locator("main#main")).toBeFocused();
  // The next Tab goes on from the page's content, not back to the header.
  await page.keyboard.press("Tab");
  expect(await page.evaluate(() => Boolean(document.activeElement?.closest("main")))).toBe(true);
  await expectVisibleFocus(page);

  // Back up through the header to its sign-up link.
  await tabTo(page, byTestId("header-signup"), "the header's sign-up link", { back: true });
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/en\/auth\/signup/);

  // The form: name, email, password, its show-password toggle, submit.
  await tabTo(page, byId("name"), "the name field");
  await page.keyboard.type("Keyboard Tester");
  await page.keyboard.press("Tab");
  expect((await expectVisibleFocus(page)).id).toBe("email");
  await page.keyboard.type(email);
  await page.keyboard.press("Tab");
  expect((await expectVisibleFocus(page)).id).toBe("password");
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press("Tab");
  expect((await expectVisibleFocus(page)).testId).toBe("password-toggle");
  await page.keyboard.press("Tab");
  expect((await expectVisibleFocus(page)).testId).toBe("signup-submit");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("header-balance")).toBeVisible();

  // The mailed link, then the confirm button by keyboard.
  const { link } = tokenFromMail(await waitForSpooledMail(email));
  const url = new URL(link);
  await page.goto(url.pathname + url.search);
  await tabTo(page, byTestId("verify-submit"), "the confirm button");
  await page.keyboard.press("Space");
  await expect(page.getByTestId("verify-result")).toHaveAttribute("data-result", "done");
  await expect(page.getByTestId("header-balance")).toContainText(String(WELCOME_CREDITS));

  // Back up to the header's navigation, to the text-to-video page.
  await tabTo(page, byTestId("nav-text-to-video"), "the header's text-to-video link", { back: true });
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/en\/tasks\/text-to-video/);
  await expect(page.getByTestId("t2v-form")).toBeVisible();

  // The prompt, then the aspect ratio in the native select (the arrow key picks the next
  // option of a closed select, as on Windows and Linux), then submit.
  await tabTo(page, byId("t2v-prompt"), "the prompt");
  await page.keyboard.type("A paper boat drifting down a rainy street, keyboard only");
  await tabTo(page, byTestId("t2v-aspect"), "the aspect-ratio select");
  const aspect = page.getByTestId("t2v-aspect");
  await expect(aspect).toHaveValue("landscape");
  await page.keyboard.press("ArrowDown");
  await expect(aspect).toHaveValue("portrait");
  await expect(aspect).toBeFocused();
  await expectVisibleFocus(page);
  await tabTo(page, byTestId("t2v-submit"), "the Generate button");
  await page.keyboard.press("Enter");
  const task = page.getByTestId("t2v-task");
  await expect(task).toBeVisible();
  await expect(task).toBeInViewport();
  await expect(page).toHaveURL(/[?&]task=/);

  // To the credits page through the header, then a bundle's Buy button: Stripe's page.
  let sessionId = "";
  await page.route(`${stripeUrl}/_fake/pay/**`, async (route) => {
    sessionId = new URL(route.request().url()).pathname.split("/").pop()!;
    await route.fulfill({ status: 200, contentType: "text/html", body: "<!doctype html><title>Checkout</title><h1>Fake Stripe Checkout</h1>" });
  });
  // Back from the form to the sidebar's (or the header's) Credits link.
  await tabTo(page, (f) => f.testId === "sidebar-credits" || f.testId === "nav-credits", "a Credits link", { back: true });
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/en\/credits$/);
  await expect(page.getByTestId("credits-purchase")).toBeVisible();
  await tabTo(page, byTestId("buy-creator"), "the creator bundle's Buy button");
  await page.keyboard.press("Enter");
  await page.waitForURL(`${stripeUrl}/_fake/pay/**`);
  expect(sessionId).toMatch(/^cs_/);
});

/** Tabs through the whole page from the top, checking every stop, until focus leaves the page or comes round again. */
async function everyStopShowsFocus(page: Page, { max = 120 } = {}) {
  const stops: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    const focus = await focusState(page);
    if (!focus || (i > 0 && focus.testId === "skip-to-content")) break;
    const shown = await expectVisibleFocus(page);
    stops.push(shown.testId ?? (shown.id || `${shown.tag}:${shown.text}`));
  }
  return stops;
}

test("every Tab stop of the landing page (signed out) and of the credits and task pages (signed in) shows a focus indicator", async ({ page }) => {
  await page.goto("/en");
  const landing = await everyStopShowsFocus(page);
  expect(landing).toContain("header-signup");
  expect(landing).toContain("hero-cta");
  expect(landing).toContain("footer-terms");

  await page.goto("/en/auth/signup");
  await page.getByTestId("signup-form").locator("#name").fill("Focus Tester");
  await page.getByTestId("signup-form").locator("#email").fill(uniqueEmail("focus"));
  await page.getByTestId("signup-form").locator("#password").fill(PASSWORD);
  await page.getByTestId("signup-form").locator("#password").press("Enter");
  await expect(page.getByTestId("header-balance")).toBeVisible();
  for (const path of ["/en/credits", "/en/tasks/text-to-video", "/en/tasks"]) {
    await page.goto(path);
    const stops = await everyStopShowsFocus(page);
    expect(stops, path).toContain("header-balance");
  }
});

test.describe("phone, 390×844", () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test("the menu opens from the keyboard, every stop in it shows focus, Escape closes it and focus returns to the button", async ({ page }) => {
    await page.goto("/en");
    await tabTo(page, byTestId("menu-button"), "the menu button");
    await page.keyboard.press("Enter");
    const sheet = page.getByTestId("menu-sheet");
    await expect(sheet).toBeVisible();
    // Radix traps focus in the sheet: a round of Tab stops stays inside it.
    const reached = await tabTo(page, byTestId("menu-signup"), "the menu's sign-up link");
    expect(reached.testId).toBe("menu-signup");
    expect(await page.evaluate(() => Boolean(document.activeElement?.closest("[data-testid=menu-sheet]")))).toBe(true);
    await page.keyboard.press("Escape");
    await expect(sheet).toBeHidden();
    await expect(page.getByTestId("menu-button")).toBeFocused();
    await expectVisibleFocus(page);
  });
});
