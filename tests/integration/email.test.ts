import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { outbox, sendMail } from "@/services/email";
import { bodyOf, startSmtp, subjectOf } from "../support/smtp";

describe("email over SMTP (a real local SMTP server)", () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  beforeAll(async () => {
    smtp = await startSmtp();
    process.env.SMTP_URL = smtp.url;
    process.env.EMAIL_FROM = "Studio <no-reply@studio.test>";
    resetEnvCache();
  });
  afterAll(async () => {
    delete process.env.SMTP_URL;
    delete process.env.EMAIL_FROM;
    resetEnvCache();
    await smtp.close();
  });

  it("delivers a localized mail with its link to the recipient", async () => {
    const link = "http://localhost:3000/en/auth/reset-password?token=abc123";
    await sendMail({ kind: "passwordReset", to: "reader@example.com", locale: "en", link, values: { minutes: 60 } });
    const mail = smtp.received.at(-1)!;
    expect(mail.to).toEqual(["reader@example.com"]);
    expect(mail.from).toBe("no-reply@studio.test");
    expect(subjectOf(mail.raw)).toBe("Reset your password");
    expect(bodyOf(mail.raw)).toContain(link);
    expect(bodyOf(mail.raw)).toContain("60 minutes");
  });

  it("in Chinese for a zh user", async () => {
    await sendMail({ kind: "verifyEmail", to: "zh@example.com", locale: "zh", link: "http://x/zh/auth/verify-email?token=t", values: { hours: 24 } });
    const mail = smtp.received.at(-1)!;
    expect(subjectOf(mail.raw)).toBe("请确认您的邮箱地址");
    expect(bodyOf(mail.raw)).toContain("24 小时后失效");
  });

  it("nothing goes to the dev outbox when a transport is configured", async () => {
    const before = outbox().length;
    await sendMail({ kind: "test", to: "a@example.com", link: "http://x/" });
    expect(outbox()).toHaveLength(before);
  });
});

describe("email without a transport (zero-config)", () => {
  it("is kept in the dev outbox, newest first, and logged with its link", async () => {
    delete process.env.SMTP_URL;
    resetEnvCache();
    const logged: string[] = [];
    const original = console.log;
    console.log = (...args: unknown[]) => void logged.push(args.join(" "));
    try {
      await sendMail({ kind: "magicLink", to: "first@example.com", link: "http://x/1", values: { minutes: 10 } });
      await sendMail({ kind: "magicLink", to: "second@example.com", link: "http://x/2", values: { minutes: 10 } });
    } finally {
      console.log = original;
    }
    const [latest, previous] = outbox();
    expect(latest).toMatchObject({ to: "second@example.com", link: "http://x/2", subject: "Your sign-in link", transport: "log" });
    expect(previous.to).toBe("first@example.com");
    expect(logged.some((l) => l.includes("http://x/2"))).toBe(true);
  });
});
