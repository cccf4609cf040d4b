// Sign-in through GitHub and Google in a real browser, against a local fake GitHub
// (tests/support/fake-github.ts) that the app reaches as a GitHub Enterprise Server
// (AUTH_GITHUB_ENTERPRISE_URL) and a local fake Google OpenID provider
// (tests/support/fake-google.ts, AUTH_GOOGLE_ISSUER): the whole round trip runs through
// next-auth (state, PKCE, token exchange; GitHub's profile and, with no public email, the
// account's primary address; Google's discovery and signed ID token). A new user gets an
// account with the welcome credits in one click; signing in again finds the same account; an
// address Google does not vouch for waits for the confirmation mail; an address that already
// has a password account is refused with words on the sign-in page; an account made through
// GitHub alone (no password) is deleted by typing its email address.
//
// This spec starts its own `next start` (a fresh database, GitHub and Google sign-in
// configured), so the shared server of the other specs keeps its sign-in pages without OAuth
// buttons.
import type { Page } from "@playwright/test";
import { WELCOME_CREDITS } from "@/data/credits";
import { textToVideoCost } from "@/tasks/text-to-video/input";
import { freePort, startAppServer, type AppServer } from "../support/app-server";
import { startFakeGitHub, type FakeGitHub, type GitHubUser } from "../support/fake-github";
import { startFakeGoogle, type FakeGoogle, type GoogleUser } from "../support/fake-google";
import { tokenFromMail, waitForSpooledMail } from "../support/smtp";
import { freshAppDatabase } from "../support/test-database";
import { E2E_ENV } from "./env";
import { expect, test, uniqueEmail } from "./fixtures";
import { PASSWORD, createTaskViaApi } from "./helpers";

let github: FakeGitHub;
let google: FakeGoogle;
let app: AppServer;
/**
 * The app's address as the browser and next-auth see it. `localhost`, not 127.0.0.1: Next.js
 * rewrites a 127.0.0.1 host to `localhost` in the URL its route handlers get, so with
 * APP_URL on 127.0.0.1 the OAuth callback's redirect_uri would not be the one the sign-in sent
 * (GitHub and Google refuse that). README, "Sign-in with GitHub or Google", says the same for local runs.
 */
let base: string;
let dropDatabase: () => Promise<void>;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  github = await startFakeGitHub();
  google = await startFakeGoogle();
  const database = await freshAppDatabase("e2e-oauth");
  dropDatabase = database.cleanup;
  const port = await freePort();
  base = `http://localhost:${port}`;
  app = await startAppServer({ port, env: { ...E2E_ENV, ...database.env, ...github.appEnv, ...google.appEnv, APP_URL: base, AUTH_URL: base } });
});

test.afterAll(async () => {
  await app?.stop();
  await github?.close();
  await google?.close();
  await dropDatabase?.();
});

let nextId = 5000;
/** A GitHub account with no public email: the app finds the primary address through /user/emails. */
function gitHubUser(email: string, name = "Octo Cat"): GitHubUser {
  const id = nextId++;
  return {
    id,
    login: `octo-${id}`,
    name,
    email: null,
    emails: [
      { email: `${id}+octo@users.noreply.github.com`, primary: false, verified: true },
      { email, primary: true, verified: true },
    ],
  };
}

/** A Google account; `verified` is Google's `email_verified` claim. */
function googleUser(email: string, verified = true): GoogleUser {
  return { sub: String(104_000_000_000 + nextId++), email, email_verified: verified, name: "Goo Gle" };
}

/** A provider as this spec drives it: its fake, and how to make it approve the next sign-in as this address. */
interface Provider {
  id: "github" | "google";
  name: string;
  fake: () => { url: string; authorizations(): number };
  approveAs: (email: string) => void;
}
const GITHUB: Provider = { id: "github", name: "GitHub", fake: () => github, approveAs: (email: string) => github.signInAs(gitHubUser(email)) };
const GOOGLE: Provider = { id: "google", name: "Google", fake: () => google, approveAs: (email: string) => google.signInAs(googleUser(email)) };

async function continueWith(page: Page, provider: Provider) {
  const response = await page.goto(`${base}/en/auth/signin`);
  // The sign-in form may post to the provider's server (without JavaScript the redirect is the form's).
  const formAction = response?.headers()["content-security-policy"]?.split("; ").find((d) => d.startsWith("form-action "));
  expect(formAction?.split(" ")).toContain(provider.fake().url);
  await page.getByTestId(`oauth-${provider.id}`).click();
}

for (const provider of [GITHUB, GOOGLE]) {
  test(`a new ${provider.name} user: one click to an account with the welcome credits; signing in again finds the same account`, async ({ page }) => {
    const email = uniqueEmail(provider.id);
    provider.approveAs(email);
    const before = provider.fake().authorizations();

    await continueWith(page, provider);
    await expect(page).toHaveURL(`${base}/en/credits`);
    expect(provider.fake().authorizations()).toBe(before + 1);
    await expect(page.getByTestId("header-balance")).toContainText(String(WELCOME_CREDITS));
    await expect(page.getByTestId("credits-balance")).toHaveAttribute("data-balance", String(WELCOME_CREDITS));
    // The provider vouched for the address: no "confirm your email" notice.
    await expect(page.getByTestId("verify-email-notice")).toHaveCount(0);
    await page.goto(`${base}/en/account`);
    await expect(page.locator("main")).toContainText(email);

    // Signed out and back in: the same account, the welcome credits not given twice.
    await page.context().clearCookies();
    await continueWith(page, provider);
    await expect(page).toHaveURL(`${base}/en/credits`);
    await expect(page.getByTestId("credits-balance")).toHaveAttribute("data-balance", String(WELCOME_CREDITS));
    expect(provider.fake().authorizations()).toBe(before + 2);
  });
}

test("a Google address Google does not vouch for (email_verified false): signed in, the welcome credits wait for the mailed link", async ({ page }) => {
  const email = uniqueEmail("google-unverified");
  google.signInAs(googleUser(email, false));
  await continueWith(page, GOOGLE);
  await expect(page).toHaveURL(`${base}/en/credits`);
  await expect(page.getByTestId("credits-balance")).toHaveAttribute("data-balance", "0");
  const notice = page.getByTestId("verify-email-notice");
  await expect(notice).toContainText(`Confirm your email address to get your ${WELCOME_CREDITS} welcome credits`);
  await expect(notice).toContainText(email);

  // The notice mails a link; confirming it brings the credits.
  await page.getByTestId("verify-resend").click();
  await expect(page.getByTestId("verify-resend-result")).toHaveAttribute("data-state", "sent");
  const link = new URL(tokenFromMail(await waitForSpooledMail(email)).link);
  expect(link.origin).toBe(base);
  await page.goto(link.href);
  await page.getByTestId("verify-submit").click();
  await expect(page.getByTestId("verify-result")).toHaveAttribute("data-result", "done");
  await expect(page.getByTestId("header-balance")).toContainText(String(WELCOME_CREDITS));
  await expect(page.getByTestId("verify-email-notice")).toHaveCount(0);
});

test("a GitHub address that already has a password account: refused in words on the sign-in page, not signed in", async ({ page }) => {
  const email = uniqueEmail("taken");
  await page.goto(`${base}/en/auth/signup`);
  const form = page.getByTestId("signup-form");
  await form.locator("#name").fill("Password Person");
  await form.locator("#email").fill(email);
  await form.locator("#password").fill(PASSWORD);
  await page.getByTestId("signup-submit").click();
  await expect(page.getByTestId("header-balance")).toBeVisible();
  await page.context().clearCookies();

  github.signInAs(gitHubUser(email, "Someone Else"));
  await continueWith(page, GITHUB);
  await expect(page).toHaveURL(/\/en\/auth\/signin\?error=OAuthAccountNotLinked$/);
  const failed = page.getByTestId("auth-failed");
  await expect(failed).toHaveAttribute("data-error", "OAuthAccountNotLinked");
  await expect(failed).toHaveText("This email address already has an account here. Sign in with your password or an email link instead.");
  await expect(page.getByTestId("header-balance")).toHaveCount(0);
  await expect(page.getByTestId("header-signin")).toBeVisible();
});

test("an account made through GitHub alone is deleted by typing its email address; GitHub then makes a new one", async ({ page }) => {
  const email = uniqueEmail("github-delete");
  const user = gitHubUser(email);
  github.signInAs(user);
  await continueWith(page, GITHUB);
  await expect(page.getByTestId("header-balance")).toBeVisible();
  const task = await createTaskViaApi(page, "text-to-video", { prompt: "spent before leaving", seconds: 2, aspectRatio: "landscape" });
  const spent = WELCOME_CREDITS - textToVideoCost(2, "landscape");
  await page.goto(`${base}/en/credits`);
  await expect(page.getByTestId("credits-balance")).toHaveAttribute("data-balance", String(spent));

  await page.goto(`${base}/en/account`);
  await page.getByTestId("account-delete-open").click();
  const dialog = page.getByTestId("account-delete-form");
  const confirm = dialog.locator("#deleteConfirm");
  // No password to ask for: the address is typed instead (a text field, not a password field).
  await expect(confirm).toHaveAttribute("type", "text");
  await confirm.fill("someone-else@example.com");
  await page.getByTestId("account-delete-submit").click();
  await expect(page.getByTestId("deleteConfirm-error")).toBeVisible();
  await expect(confirm).toHaveValue("someone-else@example.com");

  // The right address, typed in capitals, while the task still runs: not yet.
  await confirm.fill(email.toUpperCase());
  await page.getByTestId("account-delete-submit").click();
  await expect(dialog.getByRole("alert")).toHaveText("A task is still running. Try again when it has finished.");
  await expect
    .poll(async () => ((await (await page.request.get(`${base}/api/tasks/${task}`)).json()) as { data: { task: { status: string } } }).data.task.status, { timeout: 30_000 })
    .toBe("succeeded");
  await page.getByTestId("account-delete-submit").click();
  await expect(page).toHaveURL(`${base}/en`);
  await expect(page.getByTestId("header-signin")).toBeVisible();

  // The GitHub link went with the account: the same GitHub user now gets a fresh account, with
  // nothing of the old one's history, and no welcome credits again: they are granted once per
  // address, across deletion (issue 26, item 5).
  await continueWith(page, GITHUB);
  await expect(page).toHaveURL(`${base}/en/credits`);
  await expect(page.getByTestId("credits-balance")).toHaveAttribute("data-balance", "0");
});
