// Issue 14 (2): email verification over HTTP. The shared server sends mail through a test
// SMTP server (tests/support/app-server.ts); the mails are read as a user reads them.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { WELCOME_CREDITS } from "@/data/credits";
import { startOwnServer } from "../support/http-setup";
import { TestClient, signedInClient, uniqueEmail } from "../support/http-client";
import { startSmtp, tokenFromMail, waitForMail, waitForSpooledMail } from "../support/smtp";

const base = inject("baseUrl");

async function balance(client: TestClient) {
  const res = await client.json<{ balance: number }>("/api/credits");
  expect(res.status).toBe(200);
  return res.body.data.balance;
}

/** A new account, signed in but not confirmed yet, and the token of its confirmation mail. */
async function unverified() {
  const account = await signedInClient(base, { verify: false });
  const { link, token } = tokenFromMail(await waitForSpooledMail(account.email));
  return { ...account, link, token };
}

describe("email verification", () => {
  it("sign-up gives no credits yet and says so; the mailed link's page changes nothing; one POST confirms and brings the welcome credits once", async () => {
    const { client, link, token } = await unverified();
    expect(link.startsWith(`${base}/en/auth/verify-email?token=`)).toBe(true);
    expect(await balance(client)).toBe(0);
    const credits = await (await client.fetch("/en/credits")).text();
    expect(credits).toContain('data-testid="verify-email-notice"');
    expect(credits).toContain(`Confirm your email address to get your ${WELCOME_CREDITS} welcome credits`);
    expect(credits).toContain('data-testid="verify-resend"');
    const zh = await (await client.fetch("/zh/tasks/text-to-video")).text();
    expect(zh).toContain(`验证邮箱地址即可获得 ${WELCOME_CREDITS} 个欢迎积分`);

    // Opening the link (as a mail scanner does) shows one button and changes nothing.
    for (let i = 0; i < 2; i++) {
      const page = await new TestClient(base).fetch(new URL(link).pathname + new URL(link).search);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('data-testid="verify-submit"');
      expect(html).toContain("Confirm my email");
    }
    expect(await balance(client)).toBe(0);

    const verified = await new TestClient(base).postJson("/api/auth/verify-email", { token });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ code: 0, data: { verified: true } });
    expect(await balance(client)).toBe(WELCOME_CREDITS);
    expect(await (await client.fetch("/en/credits")).text()).not.toContain('data-testid="verify-email-notice"');

    const again = await new TestClient(base).postJson("/api/auth/verify-email", { token });
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ code: 400, data: { field: "token", reason: "used" } });
    expect(again.body.message).toMatch(/^token: /);
    expect(await balance(client)).toBe(WELCOME_CREDITS);
    // Already verified: resend answers 409.
    expect((await client.postJson("/api/auth/verify-email/resend", {})).status).toBe(409);
  });

  it("two verifications of the same link at once: one 200, one 400; the welcome credits once", async () => {
    const { client, token } = await unverified();
    const results = await Promise.all([0, 1, 2].map(() => new TestClient(base).postJson("/api/auth/verify-email", { token })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 400, 400]);
    expect(await balance(client)).toBe(WELCOME_CREDITS);
    const history = await client.json<{ items: Array<{ transType: string }> }>("/api/credits/history?page=1");
    expect(history.body.data.items.filter((r) => r.transType === "new_user")).toHaveLength(1);
  });

  it.each([
    [{}, "token"],
    [{ token: 42 }, "token"],
    [{ token: "" }, "token"],
    [{ token: "x".repeat(201) }, "token"],
  ])("bad input %j: 400 naming %s", async (body, field) => {
    const res = await new TestClient(base).postJson("/api/auth/verify-email", body);
    expect(res.status).toBe(400);
    expect(res.body.message.startsWith(`${field}:`)).toBe(true);
  });

  it("an unknown or tampered token: 400 (reason unknown), nothing changed", async () => {
    const { client, token } = await unverified();
    const tampered = token.slice(0, -2) + (token.endsWith("AA") ? "BB" : "AA");
    for (const t of [tampered, "A".repeat(43)]) {
      const res = await new TestClient(base).postJson("/api/auth/verify-email", { token: t });
      expect(res.status).toBe(400);
      expect(res.body.data).toMatchObject({ field: "token", reason: "unknown" });
    }
    expect(await balance(client)).toBe(0);
    expect((await new TestClient(base).postJson("/api/auth/verify-email", { token })).status).toBe(200);
  });

  it("resend: 401 signed out; mails a new link (the old one stops working); 429 with Retry-After beyond the limit", async () => {
    expect((await new TestClient(base).postJson("/api/auth/verify-email/resend", {})).status).toBe(401);
    const { client, email, token: first } = await unverified();
    const sent = await client.postJson("/api/auth/verify-email/resend", { locale: "zh" });
    expect(sent.status).toBe(200);
    let second = first;
    const deadline = Date.now() + 10_000;
    while (second === first && Date.now() < deadline) {
      second = tokenFromMail(await waitForSpooledMail(email)).token;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(second).not.toBe(first);
    expect(tokenFromMail(await waitForSpooledMail(email)).link).toContain("/zh/auth/verify-email?token=");
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await client.postJson("/api/auth/verify-email/resend", {})).status);
    expect(statuses).toEqual([200, 200, 429]);
    const limited = await client.postJson("/api/auth/verify-email/resend", {});
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await new TestClient(base).postJson("/api/auth/verify-email", { token: first })).body.data).toMatchObject({ reason: "used" });
  });

  it("the verify page without a token says the link is not valid; en and zh", async () => {
    const en = await (await new TestClient(base).fetch("/en/auth/verify-email")).text();
    expect(en).toContain("This link is not valid");
    const zh = await (await new TestClient(base).fetch("/zh/auth/verify-email?token=abc")).text();
    expect(zh).toContain("验证我的邮箱");
  });
});

describe("ALLOW_UNVERIFIED_SIGNIN=false", () => {
  let server: Awaited<ReturnType<typeof startOwnServer>>;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;

  beforeAll(async () => {
    smtp = await startSmtp();
    server = await startOwnServer("http_verify", { SMTP_URL: smtp.url, ALLOW_UNVERIFIED_SIGNIN: "false" });
  }, 180_000);

  afterAll(async () => {
    await server?.stopAll();
    await smtp?.close();
  });

  it("an unconfirmed account's correct password gets no session and code=email_unverified (a new link is mailed); after confirming it signs in", async () => {
    const email = uniqueEmail("strict");
    const client = new TestClient(server.url);
    expect((await client.signUp(email, "correct horse battery")).status).toBe(201);
    await waitForMail(smtp.received, email);
    smtp.received.length = 0;
    const refused = await client.signIn(email, "correct horse battery");
    expect(client.hasSession()).toBe(false);
    expect(refused.headers.get("location")).toContain("code=email_unverified");
    // A wrong password says nothing about verification.
    const wrong = await new TestClient(server.url).signIn(email, "wrong horse battery");
    expect(wrong.headers.get("location")).not.toContain("email_unverified");

    const { token } = tokenFromMail(await waitForMail(smtp.received, email));
    expect((await client.postJson("/api/auth/verify-email", { token })).status).toBe(200);
    await client.signIn(email, "correct horse battery");
    expect(client.hasSession()).toBe(true);
    expect(await balance(client)).toBe(WELCOME_CREDITS);
  });
});
