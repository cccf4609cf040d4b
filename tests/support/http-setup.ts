// Vitest globalSetup for tests/http: one production build, one `next start`
// on a fresh database (PostgreSQL when TEST_DATABASE_URL is set, else PGlite in
// a temporary folder), with local fake servers standing in for remote APIs.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { ensureBuild, startAppServer, type AppServer } from "./app-server";
import { startFakeStripe } from "./fake-stripe";
import { freshAppDatabase } from "./test-database";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    databaseUrl: string;
    /** The fake Stripe API the app talks to (control API under /_fake/, see fake-stripe.ts). */
    stripeApiBase: string;
    stripeWebhookSecret: string;
    /** The app's local storage folder (STORAGE_LOCAL_DIR) and signing secret. */
    storageDir: string;
    storageSigningSecret: string;
  }
}

export const HTTP_TEST_ENV: Record<string, string> = {
  AUTH_SECRET: "http-test-secret-http-test-secret-0123456789",
  STORAGE_SIGNING_SECRET: "http-test-storage-secret-0123456789",
  TEXT2VIDEO_MOCK_DELAY_MS: "1500",
  TEXT2IMAGE_MOCK_DELAY_MS: "1500",
  TASK_SWEEP_INTERVAL_MS: "500",
  CRON_SECRET: "http-test-cron-secret",
  // TestClient sends X-Forwarded-For as the one proxy in front of the app would.
  TRUSTED_PROXY_HOPS: "1",
  // Hundreds of sign-ups a minute from the tests; security-signup.test.ts runs its own server with the defaults.
  SIGNUP_RATE_LIMIT_GLOBAL: "100000",
  // Sessions ended behind the app's back (rows deleted) are noticed within 2 s.
  SESSION_CHECK_INTERVAL_SECONDS: "2",
  // Refused tokens answer at once (the reliability suite keeps the default 1 s wait).
  TOKEN_REFUSAL_DELAY_MS: "0",
  // Operator console: these accounts are admins (tests/http/admin*.test.ts sign them up).
  ADMIN_EMAILS: "http-admin@example.com, HTTP-Admin-2@Example.com",
  // Chat (tests/http/chat.test.ts): priced so that a reply's tokens show in whole credits
  // (60 mock tokens cost 7, a Stop after a few costs 1) while a reply holds at most ~21 of the 50 welcome credits.
  CHAT_CREDITS_PER_1K_OUTPUT_TOKENS: "100",
  CHAT_MAX_OUTPUT_TOKENS: "200",
  REPLICATE_WEBHOOK_SECRET: `whsec_${Buffer.from("http-test-replicate-signing-key").toString("base64")}`,
};

export default async function setup(project: TestProject) {
  ensureBuild();
  const cleanups: Array<() => Promise<void>> = [];
  const env: Record<string, string> = { ...HTTP_TEST_ENV };
  const database = await freshAppDatabase("http");
  cleanups.push(database.cleanup);
  Object.assign(env, database.env);
  const databaseUrl = database.env.DATABASE_URL;
  // Storage: the local driver in a temporary folder the tests can also write to.
  const storageDir = fs.mkdtempSync(path.join(os.tmpdir(), "http-storage-"));
  env.STORAGE_LOCAL_DIR = storageDir;
  cleanups.push(async () => fs.rmSync(storageDir, { recursive: true, force: true }));
  // Payments: the app talks to a local fake Stripe API (tests/support/fake-stripe.ts).
  const stripe = await startFakeStripe();
  cleanups.push(stripe.close);
  Object.assign(env, stripe.appEnv);
  let server: AppServer | undefined;
  try {
    server = await startAppServer({ env });
    stripe.setWebhookUrl(`${server.url}/api/stripe/webhook`);
  } catch (e) {
    for (const c of cleanups.reverse()) await c();
    throw e;
  }
  project.provide("baseUrl", server.url);
  project.provide("databaseUrl", databaseUrl);
  project.provide("stripeApiBase", stripe.url);
  project.provide("stripeWebhookSecret", stripe.webhookSecret);
  project.provide("storageDir", storageDir);
  project.provide("storageSigningSecret", env.STORAGE_SIGNING_SECRET);
  return async () => {
    await server!.stop();
    for (const c of cleanups.reverse()) await c();
  };
}

/**
 * An app server of a test file's own, on its own fresh database, with HTTP_TEST_ENV and
 * `env` (the sweeper off unless `env` says otherwise). `stop` also drops the database.
 */
export async function startOwnServer(name: string, env: Record<string, string> = {}): Promise<AppServer & { stopAll(): Promise<void> }> {
  const database = await freshAppDatabase(name);
  try {
    const server = await startAppServer({ env: { ...HTTP_TEST_ENV, TASK_SWEEP_INTERVAL_MS: "0", ...env, ...database.env } });
    return {
      ...server,
      async stopAll() {
        await server.stop();
        await database.cleanup();
      },
    };
  } catch (error) {
    await database.cleanup();
    throw error;
  }
}
