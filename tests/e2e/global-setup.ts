// Playwright globalSetup: one production build, a local fake Stripe API, and one
// `next start` on a fresh database (PostgreSQL when TEST_DATABASE_URL is set,
// else PGlite in a temporary folder). Workers read the URLs from process.env.
// The fake Stripe delivers no webhooks by itself: the browser test signs and
// posts checkout.session.completed with the Stripe SDK, as Stripe would.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureBuild, startAppServer, type AppServer } from "../support/app-server";
import { startFakeStripe } from "../support/fake-stripe";
import { createPostgresDatabase, testDatabaseUrl } from "../support/test-database";
import { E2E_ENV } from "./env";

export default async function globalSetup() {
  ensureBuild();
  const cleanups: Array<() => Promise<void> | void> = [];
  const env: Record<string, string> = { ...E2E_ENV };
  const runCleanups = async () => {
    for (const c of cleanups.reverse()) await c();
  };
  try {
    if (testDatabaseUrl()) {
      const fresh = await createPostgresDatabase("e2e");
      env.DATABASE_URL = fresh.url;
      process.env.E2E_DATABASE_URL = fresh.url;
      cleanups.push(fresh.drop);
    } else {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-pglite-"));
      env.PGLITE_DATA_DIR = path.join(dir, "db");
      cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    }
    const stripe = await startFakeStripe();
    cleanups.push(stripe.close);
    Object.assign(env, stripe.appEnv);
    process.env.E2E_STRIPE_URL = stripe.url;
    process.env.E2E_STRIPE_WEBHOOK_SECRET = stripe.webhookSecret;
    const server: AppServer = await startAppServer({ env });
    cleanups.push(() => server.stop());
    process.env.E2E_BASE_URL = server.url;
    if (process.env.E2E_SERVER_LOG) {
      cleanups.push(() => fs.writeFileSync(process.env.E2E_SERVER_LOG!, server.output()));
    }
  } catch (error) {
    await runCleanups();
    throw error;
  }
  return runCleanups;
}
