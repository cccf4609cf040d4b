// Playwright globalSetup: one production build, a local fake Stripe API, and one
// `next start` on a fresh database (PostgreSQL when TEST_DATABASE_URL is set,
// else PGlite in a temporary folder). Workers read the URLs from process.env.
// The fake Stripe delivers no webhooks by itself: the browser test signs and
// posts checkout.session.completed with the Stripe SDK, as Stripe would.
import fs from "node:fs";
import { ensureBuild, startAppServer, type AppServer } from "../support/app-server";
import { startFakeStripe } from "../support/fake-stripe";
import { freshAppDatabase } from "../support/test-database";
import { E2E_ENV } from "./env";

export default async function globalSetup() {
  ensureBuild();
  const cleanups: Array<() => Promise<void> | void> = [];
  const env: Record<string, string> = { ...E2E_ENV };
  const runCleanups = async () => {
    for (const c of cleanups.reverse()) await c();
  };
  try {
    const database = await freshAppDatabase("e2e");
    cleanups.push(database.cleanup);
    Object.assign(env, database.env);
    if (database.env.DATABASE_URL) process.env.E2E_DATABASE_URL = database.env.DATABASE_URL;
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
