// Issue 26, item 10: weak passwords were accepted (13 of 45 obviously weak ones: the check
// was an exact-match list). Now a password is scored with zxcvbn-ts (common and English
// dictionaries, the user's email and name as context): score >= 3 is required at sign-up,
// reset and change; a refusal is a 400 naming the field, with the estimator's feedback in
// `data`, and writes nothing (no account, no password change, the reset link still usable).
import { describe, expect, it } from "vitest";
import { useMailingAppServer } from "../support/mailing-app-server";
import { TestClient, signedInClient, uniqueEmail } from "../support/http-client";
import { tokenFromMail, waitForMail } from "../support/smtp";

// The 13 the outside tester got through (the issue names ten of them), all refused now.
const WEAK_PASSWORDS = [
  "aaaaaaaa",
  "00000000",
  "abcdefgh",
  "123123123",
  "Password123!",
  "Summer2024",
  "Winter2025!",
  "password2024",
  "credits123",
  "example1",
  "iloveyou2024",
  "Qwerty2024!",
  "letmein2025",
];

describe("password strength (zxcvbn-ts, score >= 3)", () => {
  const server = useMailingAppServer("http_passwords");

  it.each(WEAK_PASSWORDS)("sign-up with %j: 400 naming password, with feedback; no account is created", async (password) => {
    const email = uniqueEmail("weak");
    const client = new TestClient(server.url);
    const res = await client.signUp(email, password, "Weak Tester");
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 400, data: { field: "password" } });
    expect(res.body.message).toMatch(/^password: /);
    expect((res.body.data as { strength?: { score: number } }).strength?.score).toBeLessThan(3);
    // Nothing written: the address is still free.
    expect((await client.signUp(email, "a-strong-replacement-phrase-81")).status).toBe(201);
  });

  it("the user's own email and name count against the password", async () => {
    const email = uniqueEmail("marguerite");
    const local = email.split("@")[0];
    for (const password of [`${local}!`, "Marguerite Fontaine 1"]) {
      const res = await new TestClient(server.url).signUp(email, password, "Marguerite Fontaine");
      expect(res.status, password).toBe(400);
      expect(res.body.data).toMatchObject({ field: "password" });
    }
  });

  it("a password change refuses every weak one (400 naming newPassword); the password stays", async () => {
    const { client, email, password } = await signedInClient(server.url);
    for (const newPassword of WEAK_PASSWORDS) {
      const res = await client.postJson("/api/account/password", { currentPassword: password, newPassword });
      expect(res.status, newPassword).toBe(400);
      expect(res.body.data, newPassword).toMatchObject({ field: "newPassword" });
    }
    const again = new TestClient(server.url);
    await again.signIn(email, password);
    expect(again.hasSession()).toBe(true);
  });

  it("a reset refuses every weak one (400 naming password), and the link stays usable for a strong one", async () => {
    const { email, password } = await signedInClient(server.url);
    expect((await new TestClient(server.url).postJson("/api/auth/password/forgot", { email })).status).toBe(200);
    const { token } = tokenFromMail(await waitForMail(server.received, email, /reset-password\?token=/));
    // Each try from its own address (the token routes are limited per client address).
    const anon = () => new TestClient(server.url);
    for (const weak of WEAK_PASSWORDS) {
      const res = await anon().postJson("/api/auth/password/reset", { token, password: weak });
      expect(res.status, weak).toBe(400);
      expect(res.body.data, weak).toMatchObject({ field: "password" });
    }
    const old = new TestClient(server.url);
    await old.signIn(email, password);
    expect(old.hasSession()).toBe(true);
    expect((await anon().postJson("/api/auth/password/reset", { token, password: "sturdy-new-phrase-after-all-29" })).status).toBe(200);
  });
});
