// Issue 26, item 7: login CSRF through a magic link. A page that navigated a victim's
// browser to /api/auth/callback/email?token=<the attacker's own token> signed the victim in
// as the attacker (a plain GET set the session). Now the callback signs in only from the
// confirmation page's POST, which carries Auth.js's CSRF token and comes from the app's own
// origin: a GET signs nobody in (it leads to that page, the token unused), and a POST from
// another origin or without the CSRF token is refused.
import { describe, expect, it } from "vitest";
import { useMailingAppServer } from "../support/mailing-app-server";
import { TestClient, signedInClient } from "../support/http-client";
import { tokenFromMail, waitForMail } from "../support/smtp";

describe("the magic-link callback never signs in from a cross-site navigation", () => {
  const server = useMailingAppServer("http_magic_csrf");

  async function attackerToken(): Promise<{ token: string; email: string }> {
    const { email } = await signedInClient(server.url);
    expect((await new TestClient(server.url).postJson("/api/auth/magic-link", { email, locale: "en" })).status).toBe(200);
    const { token } = tokenFromMail(await waitForMail(server.received, email, /\/auth\/magic-link\?token=/));
    return { token, email };
  }

  const csrfOf = async (client: TestClient) => ((await client.json<never>("/api/auth/csrf")).body as unknown as { csrfToken: string }).csrfToken;

  /** The confirmation page's button: a same-origin form POST with the CSRF token. */
  const confirm = async (client: TestClient, token: string, init: { csrfToken?: string; headers?: Record<string, string> } = {}) =>
    client.fetch(`/api/auth/callback/email?${new URLSearchParams({ token, callbackUrl: "/en/tasks" })}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "X-Auth-Return-Redirect": "1", "sec-fetch-site": "same-origin", ...init.headers },
      body: init.csrfToken === undefined ? "" : new URLSearchParams({ csrfToken: init.csrfToken }).toString(),
    });

  it("a GET with a valid token sets no session and leaves the token usable by the page's POST", async () => {
    const { token } = await attackerToken();
    const victim = new TestClient(server.url);
    const res = await victim.fetch(`/api/auth/callback/email?${new URLSearchParams({ token, callbackUrl: "/en/tasks" })}`, {
      headers: { "sec-fetch-site": "cross-site", "sec-fetch-mode": "navigate" },
    });
    expect(res.headers.getSetCookie().some((c) => /session-token=[^;]/.test(c))).toBe(false);
    expect(victim.hasSession()).toBe(false);
    // It leads to the confirmation page (the token is not used up), which signs nobody in either.
    expect([302, 303, 307]).toContain(res.status);
    const location = new URL(res.headers.get("location")!, server.url);
    expect(location.pathname).toMatch(/^\/(en|zh)\/auth\/magic-link$/);
    expect(location.searchParams.get("token")).toBe(token);
    const page = await victim.fetch(location.pathname + location.search);
    expect(page.status).toBe(200);
    expect(victim.hasSession()).toBe(false);
    // The owner, on the page, presses the button: signed in.
    const owner = new TestClient(server.url);
    const used = await confirm(owner, token, { csrfToken: await csrfOf(owner) });
    expect(used.status).toBe(200);
    expect(owner.hasSession()).toBe(true);
    expect((await owner.json("/api/credits")).status).toBe(200);
  });

  it("a POST from another origin (a login-CSRF form) is refused and the token survives", async () => {
    const { token } = await attackerToken();
    const victim = new TestClient(server.url);
    const attackerJar = new TestClient(server.url);
    const crossSite = { origin: "https://evil.example", "sec-fetch-site": "cross-site" };
    const cross = await confirm(victim, token, { csrfToken: await csrfOf(attackerJar), headers: crossSite });
    expect(cross.status).toBe(403);
    expect(victim.hasSession()).toBe(false);
    // Same origin but no CSRF token (or another browser's): refused too.
    const bare = new TestClient(server.url);
    expect((await confirm(bare, token)).status).toBe(403);
    expect(bare.hasSession()).toBe(false);
    const foreign = new TestClient(server.url);
    await csrfOf(foreign);
    expect((await confirm(foreign, token, { csrfToken: await csrfOf(attackerJar) })).status).toBe(403);
    expect(foreign.hasSession()).toBe(false);
    // The token was not used by any of these.
    const owner = new TestClient(server.url);
    expect((await confirm(owner, token, { csrfToken: await csrfOf(owner) })).status).toBe(200);
    expect(owner.hasSession()).toBe(true);
  });
});
