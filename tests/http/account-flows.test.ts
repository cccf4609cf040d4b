// Issue 14 (items 4, 5): magic-link sign-in, change email and delete account over HTTP,
// against a server of its own that sends mail over SMTP to a real local SMTP server.
import { describe, expect, it } from "vitest";
import { useMailingAppServer } from "../support/mailing-app-server";
import { TestClient, signedInClient, uniqueEmail } from "../support/http-client";
import { bodyOf, subjectOf, tokenFromMail, waitForMail } from "../support/smtp";

describe("accounts over HTTP: magic links, change email, delete", () => {
  const server = useMailingAppServer("http_account_flows");

  const path = (link: string) => new URL(link).pathname + new URL(link).search;

  describe("magic links", () => {
    /** The landing page's button: the token to Auth.js's email callback with the CSRF token, the redirect as JSON. */
    const clickLink = async (client: TestClient, token: string, callbackUrl = "/en/tasks") => {
      const csrfToken = ((await client.json<never>("/api/auth/csrf")).body as unknown as { csrfToken: string }).csrfToken;
      return client.json<never>(`/api/auth/callback/email?${new URLSearchParams({ token, callbackUrl })}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "X-Auth-Return-Redirect": "1" },
        body: new URLSearchParams({ csrfToken }).toString(),
      });
    };

    it("asks -> mail -> the page signs nobody in -> one click signs in, once; an unknown address gets the same answer", async () => {
      const email = uniqueEmail("magic");
      expect((await new TestClient(server.url).signUp(email, "correct horse battery")).status).toBe(201);
      const anon = new TestClient(server.url);
      const asked = await anon.postJson("/api/auth/magic-link", { email: `  ${email.toUpperCase()} `, locale: "en", callbackUrl: "/en/tasks" });
      expect(asked.status).toBe(200);
      expect(asked.body).toEqual({ code: 0, message: "ok", data: { sent: true, minutes: 15 } });
      const unknown = await anon.postJson("/api/auth/magic-link", { email: uniqueEmail("nobody"), locale: "en", callbackUrl: "/en/tasks" });
      expect(unknown.body).toEqual(asked.body);

      // The newest mail with a sign-in link (the sign-up's confirmation mail may land after it).
      const mail = await waitForMail(server.received, email, /\/auth\/magic-link\?token=/);
      expect(subjectOf(mail.raw)).toBe("Your sign-in link");
      const { link, token } = tokenFromMail(mail);
      expect(link.startsWith(`${server.url}/en/auth/magic-link?token=`)).toBe(true);
      const browser = new TestClient(server.url);
      const page = await browser.fetch(path(link));
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('data-testid="magic-link-confirm"');
      expect(browser.hasSession()).toBe(false); // opening the link (as a mail scanner does) signs nobody in

      const used = await clickLink(browser, token);
      expect(used.status).toBe(200);
      expect(new URL((used.body as unknown as { url: string }).url).pathname).toBe("/en/tasks");
      expect(browser.hasSession()).toBe(true);
      const credits = await browser.json("/api/credits");
      expect(credits.status).toBe(200);

      const again = await clickLink(new TestClient(server.url), token);
      expect((again.body as unknown as { url: string }).url).toMatch(/error=Verification/);
      // A magic-link session ends with "sign out everywhere" like any other.
      expect((await browser.postJson("/api/account/sign-out-everywhere", {})).status).toBe(200);
    });

    it("bad input is a 400 naming the field; Auth.js's own endpoint is closed; requests are rate-limited per address", async () => {
      const anon = new TestClient(server.url);
      for (const body of [{ email: "not-an-email" }, { email: "x".repeat(300) + "@example.com" }, {}]) {
        const res = await anon.postJson("/api/auth/magic-link", body);
        expect(res.status).toBe(400);
        expect(res.body.message).toMatch(/^email:/);
      }
      const csrf = (await anon.json<never>("/api/auth/csrf")).body as unknown as { csrfToken: string };
      const native = await anon.fetch("/api/auth/signin/email", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ csrfToken: csrf.csrfToken, email: "someone@example.com" }).toString(),
      });
      expect(native.status).toBe(404);
      const email = uniqueEmail("limited");
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await new TestClient(server.url).postJson("/api/auth/magic-link", { email })).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    });
  });

  describe("change email", () => {
    it("link to the new address -> the page changes nothing -> one click: new email, this session kept, the others end, the old address told", async () => {
      const { client, email, password } = await signedInClient(server.url);
      const laptop = new TestClient(server.url);
      await laptop.signIn(email, password);
      const copied = client.cookieHeader();
      const newEmail = uniqueEmail("moved");

      const wrong = await client.postJson("/api/account/email", { email: newEmail, currentPassword: "not-the-password" });
      expect(wrong.status).toBe(400);
      expect(wrong.body.data).toEqual({ field: "currentPassword" });
      const asked = await client.postJson("/api/account/email", { email: newEmail.toUpperCase(), currentPassword: password, locale: "en" });
      expect(asked.status).toBe(200);
      expect(asked.body.data).toEqual({ sent: true, email: newEmail });

      const { link, token } = tokenFromMail(await waitForMail(server.received, newEmail));
      expect(link.startsWith(`${server.url}/en/account/confirm-email?token=`)).toBe(true);
      const page = await new TestClient(server.url).fetch(path(link));
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('data-testid="confirm-email-form"');
      expect((await laptop.json("/api/credits")).status).toBe(200); // nothing changed yet

      const confirmed = await client.postJson("/api/account/email/confirm", { token, locale: "en" });
      expect(confirmed.status).toBe(200);
      expect(confirmed.body.data).toEqual({ changed: true, email: newEmail });
      expect((await client.json("/api/credits")).status).toBe(200);
      expect(await (await client.fetch("/en/account")).text()).toContain(newEmail);
      expect((await laptop.json("/api/credits")).status).toBe(401);
      expect((await new TestClient(server.url).json("/api/credits", { headers: { cookie: copied } })).status).toBe(401);
      const notice = await waitForMail(server.received, email, /changed/);
      expect(subjectOf(notice.raw)).toBe("Your email address was changed");
      expect(bodyOf(notice.raw)).toContain(newEmail);
      const fresh = new TestClient(server.url);
      await fresh.signIn(newEmail, password);
      expect(fresh.hasSession()).toBe(true);

      const again = await client.postJson("/api/account/email/confirm", { token });
      expect(again.status).toBe(400);
      expect(again.body).toMatchObject({ code: 400, data: { field: "token" } });
    });

    it("a taken address is a 409; bad input a 400 naming the field; without a session a 401", async () => {
      const other = await signedInClient(server.url);
      const { client, password } = await signedInClient(server.url);
      const taken = await client.postJson("/api/account/email", { email: other.email.toUpperCase(), currentPassword: password });
      expect(taken.status).toBe(409);
      expect(taken.body.message).toMatch(/^email:/);
      for (const [body, field] of [
        [{ email: "nope", currentPassword: password }, "email"],
        [{ email: uniqueEmail(), currentPassword: "x".repeat(10_000) }, "currentPassword"],
      ] as const) {
        const res = await client.postJson("/api/account/email", body);
        expect(res.status).toBe(400);
        expect(res.body.message.startsWith(`${field}:`)).toBe(true);
      }
      expect((await new TestClient(server.url).postJson("/api/account/email", { email: uniqueEmail() })).status).toBe(401);
      expect((await new TestClient(server.url).postJson("/api/account/email/confirm", { token: "x".repeat(43) })).status).toBe(400);
    });
  });

  describe("delete account", () => {
    const del = (client: TestClient, body: object, headers: Record<string, string> = {}) => client.sendJson("DELETE", "/api/account", body, headers);

    it("asks the password; then every session is dead (401), the address is free again", async () => {
      const { client, email, password } = await signedInClient(server.url);
      const laptop = new TestClient(server.url);
      await laptop.signIn(email, password);
      const copied = client.cookieHeader();

      for (const [body, field] of [
        [{}, "currentPassword"],
        [{ currentPassword: "not-the-password" }, "currentPassword"],
        [{ currentPassword: "x".repeat(10_000) }, "currentPassword"],
      ] as const) {
        const res = await del(client, body);
        expect(res.status).toBe(400);
        expect(res.body.data).toEqual({ field });
      }
      expect((await client.json("/api/credits")).status).toBe(200);
      // From another origin: refused before anything happens.
      expect((await del(client, { currentPassword: password }, { origin: "https://evil.example" })).status).toBe(403);

      const deleted = await del(client, { currentPassword: password });
      expect(deleted.status).toBe(200);
      expect(deleted.body.data).toMatchObject({ deleted: true });
      expect(client.hasSession()).toBe(false);
      expect((await laptop.json("/api/credits")).status).toBe(401);
      expect((await new TestClient(server.url).json("/api/credits", { headers: { cookie: copied } })).status).toBe(401);
      const signIn = new TestClient(server.url);
      await signIn.signIn(email, password);
      expect(signIn.hasSession()).toBe(false);
      expect((await new TestClient(server.url).signUp(email, password)).status).toBe(201);
    });

    it("without a session: 401", async () => {
      expect((await del(new TestClient(server.url), { currentPassword: "whatever-1" })).status).toBe(401);
    });
  });

  describe("sign-in with a huge password", () => {
    it("is refused like a wrong one (no 500), and a huge currentPassword is a 400", async () => {
      const { email } = await signedInClient(server.url);
      const client = new TestClient(server.url);
      const res = await client.signIn(email, "x".repeat(50_000));
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toMatch(/error=CredentialsSignin/);
      expect(client.hasSession()).toBe(false);
    });
  });

  describe("pages", () => {
    it.each([
      ["/en/auth/signin", 'data-testid="signin-with-link"', "Email me a sign-in link"],
      ["/zh/auth/signin", 'data-testid="signin-with-link"', "通过邮件发送登录链接"],
      ["/en/auth/magic-link?token=abc", 'data-testid="magic-link-confirm"', "Sign in with your link"],
      ["/zh/auth/magic-link?token=abc", 'data-testid="magic-link-confirm"', "使用链接登录"],
      ["/en/auth/magic-link", "", "This page needs the link from the mail."],
      ["/en/account/confirm-email?token=abc", 'data-testid="confirm-email-form"', "Confirm your new email address"],
      ["/zh/account/confirm-email?token=abc", 'data-testid="confirm-email-form"', "确认您的新邮箱地址"],
    ])("%s renders, translated", async (pathname, marker, text) => {
      const res = await new TestClient(server.url).fetch(pathname);
      const html = await res.text();
      expect(res.status).toBe(200);
      expect(html).toContain(marker);
      expect(html).toContain(text);
    });

    it("the account page offers change email and delete, in both languages", async () => {
      const { client } = await signedInClient(server.url);
      for (const [pathname, text] of [
        ["/en/account", "Delete account"],
        ["/zh/account", "删除账户"],
      ]) {
        const html = await (await client.fetch(pathname)).text();
        expect(html).toContain('data-testid="account-email-form"');
        expect(html).toContain('data-testid="account-delete-open"');
        expect(html).toContain(text);
      }
    });
  });
});
