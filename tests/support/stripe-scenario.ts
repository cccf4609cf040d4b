// Shared by the payment integration tests: a fake Stripe server for the file, the app's
// env pointed at it, buyers, checkouts and signed event delivery (verified exactly as
// the webhook route verifies them).
import crypto from "node:crypto";
import { afterAll, afterEach, beforeAll } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { verifyStripeWebhook } from "@/lib/stripe";
import { getUserCredits } from "@/services/credits/ledger";
import { verifyLedger } from "@/services/credits/verify";
import { createCreditsCheckout, handleStripeEvent, type CheckoutRequest } from "@/services/payments";
import { signedEvent, startFakeStripe, stripeEvent, type FakeStripe } from "./fake-stripe";
import { insertUser } from "./fixtures";

const TOUCHED = ["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_API_BASE", "CREDIT_PRICE_USD", "APP_URL", "ALERT_WEBHOOK_URL"];

export function stripeScenario() {
  const saved = { ...process.env };
  let stripe: FakeStripe | undefined;
  let overrides: Record<string, string | undefined> = {};

  const overridden = new Set<string>();
  function applyEnv() {
    const next: Record<string, string | undefined> = { ...stripe!.appEnv, CREDIT_PRICE_USD: "0.10", APP_URL: "https://app.example.com", ALERT_WEBHOOK_URL: undefined };
    for (const k of overridden) next[k] = saved[k];
    Object.assign(next, overrides);
    for (const k of Object.keys(overrides)) overridden.add(k);
    for (const [k, v] of Object.entries(next)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    resetEnvCache();
  }

  beforeAll(async () => {
    stripe = await startFakeStripe();
    applyEnv();
  });
  afterEach(() => {
    overrides = {};
    applyEnv();
  });
  afterAll(async () => {
    for (const k of new Set([...TOUCHED, ...overridden])) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    resetEnvCache();
    await stripe?.close();
  });

  const api = {
    get stripe(): FakeStripe {
      return stripe!;
    },
    /** Env for the current test (reset after each). */
    setEnv(values: Record<string, string | undefined>) {
      overrides = { ...overrides, ...values };
      applyEnv();
    },
    async newBuyer() {
      const email = `buyer-${crypto.randomUUID()}@example.com`;
      return { uuid: await insertUser(email), email };
    },
    checkout(user: { uuid: string; email: string }, request: CheckoutRequest) {
      return createCreditsCheckout({ userUuid: user.uuid, request });
    },
    /**
     * Delivers an event the way the webhook route does: verify the signed raw body, then
     * handle. `created` (seconds) dates the event, for one delivered late.
     */
    deliver(type: string, object: unknown, eventId?: string, created?: number) {
      const { payload, header } = signedEvent(stripeEvent(type, object, eventId, created), stripe!.webhookSecret);
      return handleStripeEvent(verifyStripeWebhook(payload, header));
    },
    /** A buyer whose checkout is paid at Stripe and fulfilled by the webhook. */
    async paidOrder(request: CheckoutRequest = { quantity: 100 }) {
      const user = await api.newBuyer();
      const result = await api.checkout(user, request);
      const session = await stripe!.pay(result.sessionId);
      const outcome = await api.deliver("checkout.session.completed", session);
      if (outcome.action !== "fulfilled") throw new Error(`expected fulfilment, got ${outcome.action}`);
      return { user, result, session };
    },
    balanceOf: async (userUuid: string) => (await getUserCredits(userUuid)).balance,
    async ledgerOffences() {
      return (await verifyLedger()).offences;
    },
  };
  return api;
}
