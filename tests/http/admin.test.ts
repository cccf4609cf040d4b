// Operator console (issue 17, item 1) over HTTP against `next start`: every /api/admin/*
// route answers 401 signed out, 403 to a non-admin (changing nothing) and 200 to an admin
// (ADMIN_EMAILS in HTTP_TEST_ENV); grants and deducts write ledger and audit rows; a
// deduct larger than the balance is refused; bad input is a 400 naming the field;
// disabling a user ends their existing session; admin pages are a 404 for non-admins.
import { beforeAll, describe, expect, it, inject } from "vitest";
import { TestClient, signedInClient, uniqueEmail } from "../support/http-client";

const base = inject("baseUrl");
let admin: TestClient;
let adminEmail: string;
let target: { client: TestClient; userUuid: string; email: string };
let outsider: { client: TestClient; userUuid: string };

beforeAll(async () => {
  // The second admin email is listed in mixed case: the check normalizes both sides.
  const a = await signedInClient(base, { email: "http-admin-2@example.com" });
  admin = a.client;
  adminEmail = a.email;
  target = await signedInClient(base);
  outsider = await signedInClient(base);
});

const uuidRoute = (suffix: string) => () => `/api/admin/users/${target.userUuid}${suffix}`;
const ROUTES: Array<{ method: "GET" | "POST"; path: () => string; body?: unknown }> = [
  { method: "GET", path: () => "/api/admin/overview" },
  { method: "GET", path: () => "/api/admin/users?q=example&page=1" },
  { method: "GET", path: uuidRoute("") },
  { method: "POST", path: uuidRoute("/credits"), body: { credits: 5, reason: "probe" } },
  { method: "POST", path: uuidRoute("/disable"), body: {} },
  { method: "POST", path: uuidRoute("/enable"), body: {} },
  { method: "GET", path: () => "/api/admin/orders?status=paid" },
  { method: "GET", path: () => "/api/admin/tasks?status=failed&type=text_to_video&provider=mock" },
  { method: "GET", path: () => "/api/admin/audit?page=1" },
];

const call = (c: TestClient, r: (typeof ROUTES)[number]) =>
  r.method === "GET" ? c.json(r.path()) : c.postJson(r.path(), r.body);

const detail = async (uuid = target.userUuid) => (await admin.json(`/api/admin/users/${uuid}`)).body.data;
const auditCount = async () => (await admin.json("/api/admin/audit?pageSize=100")).body.data.items.length as number;

describe("authorization of every /api/admin route", () => {
  it("signed out: 401 envelope", async () => {
    for (const r of ROUTES) {
      const res = await call(new TestClient(base), r);
      expect(res.status, `${r.method} ${r.path()}`).toBe(401);
      expect(res.body).toMatchObject({ code: 401, data: null });
    }
  });

  it("signed in, not an admin: 403 envelope, and nothing changes", async () => {
    const before = await detail();
    const audits = await auditCount();
    for (const r of ROUTES) {
      const res = await call(outsider.client, r);
      expect(res.status, `${r.method} ${r.path()}`).toBe(403);
      expect(res.body).toMatchObject({ code: 403, data: null });
    }
    // Also with a body that would be invalid: authorization comes first.
    expect((await outsider.client.postJson(`/api/admin/users/${outsider.userUuid}/credits`, { credits: 1_000 })).status).toBe(403);
    const after = await detail();
    expect(after.balance).toBe(before.balance);
    expect(after.ledger).toEqual(before.ledger);
    expect(after.user.disabledAt).toBeNull();
    expect((await detail(outsider.userUuid)).balance).toBe(before.balance);
    expect(await auditCount()).toBe(audits);
    expect((await target.client.json("/api/credits")).status).toBe(200);
  });

  it("admin: 200 envelope on every route", async () => {
    for (const r of ROUTES) {
      const res = await call(admin, r);
      expect(res.status, `${r.method} ${r.path()} ${JSON.stringify(res.body)}`).toBe(200);
      expect(res.body.code).toBe(0);
    }
    // The probe above granted 5 and disabled then re-enabled the user: re-sign in the target.
    target.client = new TestClient(base);
    await target.client.signIn(target.email, "correct horse battery");
    expect(target.client.hasSession()).toBe(true);
  });
});

describe("overview and lists", () => {
  it("overview carries users, paying users, 30 days of revenue, credits and task figures", async () => {
    const { body } = await admin.json("/api/admin/overview");
    expect(body.data.users).toBeGreaterThanOrEqual(3);
    expect(typeof body.data.payingUsers).toBe("number");
    expect(body.data.revenueByDay.length).toBeGreaterThanOrEqual(30);
    expect(body.data.credits).toEqual(expect.objectContaining({ granted: expect.any(Number), spent: expect.any(Number), outstanding: expect.any(Number) }));
    expect(body.data.tasks).toEqual(expect.objectContaining({ byStatus: expect.any(Object), byType: expect.any(Array), failureRate: expect.any(Number) }));
  });

  it("searches users by a part of the email, paged", async () => {
    const part = target.email.split("@")[0].slice(-8).toUpperCase();
    const { body } = await admin.json(`/api/admin/users?q=${encodeURIComponent(part)}&page=1`);
    expect(body.data.items.map((u: { uuid: string }) => u.uuid)).toEqual([target.userUuid]);
    expect(body.data).toMatchObject({ page: 1, hasMore: false });
  });

  it("unknown user: 404 envelope", async () => {
    const res = await admin.json(`/api/admin/users/${crypto.randomUUID()}`);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe(404);
  });
});

describe("grant and deduct credits", () => {
  it("grant and deduct write ledger rows (system_add / system_deduct) naming the admin, and audit rows", async () => {
    const start = (await detail()).balance;
    const grant = await admin.postJson(`/api/admin/users/${target.userUuid}/credits`, { credits: 100, reason: "support ticket 42" });
    expect(grant.status).toBe(200);
    expect(grant.body.data).toMatchObject({ credits: 100, balanceBefore: start, balanceAfter: start + 100 });
    const deduct = await admin.postJson(`/api/admin/users/${target.userUuid}/credits`, { credits: -40, reason: "chargeback" });
    expect(deduct.status).toBe(200);
    expect(deduct.body.data).toMatchObject({ balanceAfter: start + 60 });
    // The user sees it in their own balance and history.
    expect((await target.client.json("/api/credits")).body.data.balance).toBe(start + 60);
    const d = await detail();
    expect(d.ledger.slice(0, 2).map((r: { transType: string; credits: number; reason: string }) => [r.transType, r.credits, r.reason])).toEqual([
      ["system_deduct", -40, `chargeback (admin ${adminEmail})`],
      ["system_add", 100, `support ticket 42 (admin ${adminEmail})`],
    ]);
    const audit = (await admin.json("/api/admin/audit?page=1")).body.data.items;
    expect(audit[0]).toMatchObject({
      adminEmail,
      action: "credits.deduct",
      targetType: "user",
      targetId: target.userUuid,
      before: { balance: start + 100 },
      after: { balance: start + 60, credits: -40, transNo: deduct.body.data.transNo },
      reason: "chargeback",
    });
    expect(audit[1]).toMatchObject({ action: "credits.grant", reason: "support ticket 42" });
  });

  it("a deduct larger than the spendable balance is refused (402): nothing written", async () => {
    const before = await detail();
    const audits = await auditCount();
    const res = await admin.postJson(`/api/admin/users/${target.userUuid}/credits`, { credits: -(before.balance + 1), reason: "too much" });
    expect(res.status).toBe(402);
    expect(res.body).toMatchObject({ code: 402, data: { balance: before.balance, required: before.balance + 1 } });
    const after = await detail();
    expect(after.balance).toBe(before.balance);
    expect(after.ledger).toEqual(before.ledger);
    expect(await auditCount()).toBe(audits);
  });

  it("bad input: 400 naming the field, nothing written", async () => {
    const before = await detail();
    const cases: Array<[unknown, string]> = [
      [{ credits: 10 }, "reason"],
      [{ credits: 10, reason: "" }, "reason"],
      [{ credits: 10, reason: "x".repeat(501) }, "reason"],
      [{ credits: 0, reason: "r" }, "credits"],
      [{ credits: 2.5, reason: "r" }, "credits"],
      [{ credits: "10", reason: "r" }, "credits"],
      [{ reason: "r" }, "credits"],
      [{ credits: 99_999_999, reason: "r" }, "credits"],
    ];
    for (const [body, field] of cases) {
      const res = await admin.postJson(`/api/admin/users/${target.userUuid}/credits`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.data).toEqual({ field });
      expect(res.body.message.startsWith(`${field}:`)).toBe(true);
    }
    expect((await admin.postJson(`/api/admin/users/${target.userUuid}/credits`, "{not json")).status).toBe(400);
    expect((await admin.postJson(`/api/admin/users/${target.userUuid}/disable`, { reason: 5 })).body.data).toEqual({ field: "reason" });
    const queries: Array<[string, string]> = [
      ["/api/admin/orders?status=bogus", "status"],
      ["/api/admin/tasks?status=done", "status"],
      ["/api/admin/tasks?provider=a%20b", "provider"],
      ["/api/admin/users?page=0", "page"],
      ["/api/admin/audit?pageSize=1000", "pageSize"],
      ["/api/admin/orders?page=x", "page"],
    ];
    for (const [path, field] of queries) {
      const res = await admin.json(path);
      expect(res.status, path).toBe(400);
      expect(res.body.data).toEqual({ field });
    }
    const after = await detail();
    expect(after.balance).toBe(before.balance);
    expect(after.ledger).toEqual(before.ledger);
    expect(after.user.disabledAt).toBeNull();
  });
});

describe("disable and enable", () => {
  it("disabling a user ends their existing session (401) and sign-in; enabling lets them sign in again", async () => {
    const victim = await signedInClient(base);
    expect((await victim.client.json("/api/credits")).status).toBe(200);
    const res = await admin.postJson(`/api/admin/users/${victim.userUuid}/disable`, { reason: "fraud" });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ disabled: true, changed: true });
    expect((await victim.client.json("/api/credits")).status).toBe(401);
    const again = new TestClient(base);
    await again.signIn(victim.email, victim.password);
    expect(again.hasSession()).toBe(false);
    expect((await detail(victim.userUuid)).user.disabledAt).not.toBeNull();
    const audit = (await admin.json("/api/admin/audit?page=1")).body.data.items[0];
    expect(audit).toMatchObject({ action: "user.disable", targetId: victim.userUuid, reason: "fraud", before: { disabledAt: null } });

    expect((await admin.postJson(`/api/admin/users/${victim.userUuid}/enable`, {})).status).toBe(200);
    expect((await victim.client.json("/api/credits")).status).toBe(401); // old sessions stay ended
    await again.signIn(victim.email, victim.password);
    expect(again.hasSession()).toBe(true);
  });

  it("an admin cannot disable their own account (409)", async () => {
    const me = (await admin.json(`/api/admin/users?q=${encodeURIComponent(adminEmail)}`)).body.data.items[0];
    expect((await admin.postJson(`/api/admin/users/${me.uuid}/disable`, {})).status).toBe(409);
  });
});

describe("admin pages", () => {
  const PAGES = ["/en/admin", "/zh/admin", "/en/admin/users?q=example", "/en/admin/orders?status=paid", "/en/admin/tasks", "/en/admin/audit"];

  it("non-admins and signed-out visitors get the 404 page", async () => {
    for (const path of [...PAGES, `/en/admin/users/${target.userUuid}`]) {
      for (const c of [outsider.client, new TestClient(base)]) {
        const res = await c.fetch(path);
        expect(res.status, path).toBe(404);
        const html = await res.text();
        expect(html).not.toContain('data-testid="admin-console"');
      }
    }
  });

  it("admins see the console (en and zh), the user detail with its form, and filtered lists", async () => {
    for (const path of PAGES) {
      const res = await admin.fetch(path);
      expect(res.status, path).toBe(200);
      expect(await res.text()).toContain('data-testid="admin-console"');
    }
    expect(await (await admin.fetch("/zh/admin")).text()).toContain("运营控制台");
    const user = await (await admin.fetch(`/en/admin/users/${target.userUuid}`)).text();
    expect(user).toContain('data-testid="adjust-credits-form"');
    expect(user).toContain(target.email);
    const search = await (await admin.fetch(`/en/admin/users?q=${encodeURIComponent(uniqueEmail("nobody"))}`)).text();
    expect(search).not.toContain('data-testid="admin-user-row"');
  });
});

describe("API keys in the console", () => {
  it("an admin lists any user's keys and revokes one (audited); the key stops at once; others get 403 / 404", async () => {
    const created = await target.client.postJson("/api/keys", { name: "leaked key" });
    expect(created.status).toBe(201);
    const { key, apiKey } = created.body.data;
    const listed = await admin.json(`/api/admin/users/${target.userUuid}/keys`);
    expect(listed.status).toBe(200);
    expect(listed.body.data.apiKeys.map((k: { id: string }) => k.id)).toContain(apiKey.id);
    expect(JSON.stringify(listed.body)).not.toContain(key);
    expect(await (await admin.fetch(`/en/admin/users/${target.userUuid}`)).text()).toContain("leaked key");
    expect((await outsider.client.json(`/api/admin/users/${target.userUuid}/keys`)).status).toBe(403);
    expect((await outsider.client.postJson(`/api/admin/keys/${apiKey.id}/revoke`, {})).status).toBe(403);
    expect((await admin.postJson("/api/admin/keys/no-such-key/revoke", {})).status).toBe(404);

    const audits = await auditCount();
    const revoked = await admin.postJson(`/api/admin/keys/${apiKey.id}/revoke`, { reason: "found in a public repo" });
    expect(revoked.status).toBe(200);
    expect(revoked.body.data).toMatchObject({ changed: true, apiKey: { id: apiKey.id, status: "revoked" } });
    expect(await auditCount()).toBe(audits + 1);
    const res = await fetch(`${base}/api/credits`, { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(401);
  });
});
