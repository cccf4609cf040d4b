// The local fake Stripe API (tests/support/fake-stripe.ts) for reliability servers.
import { startFakeStripe } from "../support/fake-stripe";

export interface StripeForApp {
  /** Env for the app server: STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET, STRIPE_API_BASE. */
  env: Record<string, string>;
  url: string;
  checkoutSessionsCreated(): number;
  stop(): Promise<void>;
}

export async function startStripeForApp(): Promise<StripeForApp> {
  const fake = await startFakeStripe();
  return { env: fake.appEnv, url: fake.url, checkoutSessionsCreated: () => fake.sessionsCreated(), stop: () => fake.close() };
}
