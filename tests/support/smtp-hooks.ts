// Vitest hooks around tests/support/smtp.ts (kept apart so non-vitest code can import smtp.ts).
import { afterAll, beforeAll } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { startSmtp, type Received } from "./smtp";

/**
 * For an integration test file: a local SMTP server installed as SMTP_URL for the file's
 * tests (removed after). `received` fills as mail arrives.
 */
export function useSmtpServer(): { received: Received[] } {
  const box: { received: Received[]; close?: () => Promise<void> } = { received: [] };
  beforeAll(async () => {
    const smtp = await startSmtp();
    box.received = smtp.received;
    box.close = smtp.close;
    process.env.SMTP_URL = smtp.url;
    resetEnvCache();
  });
  afterAll(async () => {
    delete process.env.SMTP_URL;
    resetEnvCache();
    await box.close?.();
  });
  return box;
}
