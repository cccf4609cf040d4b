// Issue 14 (e, in part): the account page and its JSON routes — name, password change
// (asks the current one, ends the other sessions, keeps this one), sign out everywhere.
import { describe, expect, inject, it } from "vitest";
import { TestClient, signedInClient } from "../support/http-client";

const base = inject("baseUrl");
const NEW = "a-brand-new-secret-9";

describe("POST /api/account/password", () => {
  it("a wrong current password: 400 naming it, nothing changes", async () => {
    const { client, email, password } = await signedInClient(base);
    const res = await client.postJson("/api/account/password", { currentPassword: "not-the-password", newPassword: NEW });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 400, data: { field: "currentPassword" } });
    const again = new TestClient(base);
    await again.signIn(email, password);
    expect(again.hasSession()).toBe(true);
  });

  it.each([
    ["password1", /too easy to guess/],
    ["short", /at least 8/],
  ])("a refused new password (%s): 400 naming newPassword", async (newPassword, message) => {
    const { client, password } = await signedInClient(base);
    const res = await client.postJson("/api/account/password", { currentPassword: password, newPassword });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^newPassword:/);
    expect(res.body.message).toMatch(message);
  });

  it("changes it: this session goes on, the others (and a copied cookie) end, the new password signs in", async () => {
    const { client, email, password } = await signedInClient(base);
    const laptop = new TestClient(base);
    await laptop.signIn(email, password);
    const copied = client.cookieHeader();
    const res = await client.postJson("/api/account/password", { currentPassword: password, newPassword: NEW });
    expect(res.status).toBe(200);
    expect((await client.json("/api/credits")).status).toBe(200);
    expect((await laptop.json("/api/credits")).status).toBe(401);
    expect((await new TestClient(base).json("/api/credits", { headers: { cookie: copied } })).status).toBe(401);
    const fresh = new TestClient(base);
    await fresh.signIn(email, NEW);
    expect(fresh.hasSession()).toBe(true);
  });

  it("without a session: 401", async () => {
    expect((await new TestClient(base).postJson("/api/account/password", { currentPassword: "x", newPassword: NEW })).status).toBe(401);
  });
});

describe("PATCH /api/account", () => {
  it("sets the name (trimmed), 400 for a too long one", async () => {
    const { client } = await signedInClient(base);
    const res = await client.sendJson("PATCH", "/api/account", { name: "  Ada  " });
    expect(res.status).toBe(200);
    expect(res.body.data.user.name).toBe("Ada");
    const bad = await client.sendJson("PATCH", "/api/account", { name: "n".repeat(101) });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^name:/);
  });
});

describe("/[locale]/account", () => {
  it("signed in: the settings, translated; the header links to it", async () => {
    const { client, email } = await signedInClient(base);
    for (const [path, title] of [["/en/account", "Your account"], ["/zh/account", "我的账户"]]) {
      const res = await client.fetch(path);
      const html = await res.text();
      expect(res.status).toBe(200);
      expect(html).toContain(title);
      expect(html).toContain(email);
      expect(html).toContain('data-testid="account-password-form"');
      expect(html).toContain('data-testid="account-signout-everywhere"');
    }
    expect(await (await client.fetch("/en")).text()).toContain('data-testid="header-account"');
  });

  it("signed out: a redirect to sign-in that comes back", async () => {
    const res = await new TestClient(base).fetch("/en/account");
    expect(res.status).toBe(307);
    expect(res.headers.get("location")).toMatch(/\/en\/auth\/signin\?callbackUrl=%2Fen%2Faccount$/);
  });
});
