import Stripe from "stripe";
import { env, type Env } from "@/lib/env";
import { AppError, BadRequestError, ServiceUnavailableError } from "@/lib/http/errors";

/** Thrown when a payment is requested but STRIPE_SECRET_KEY is not set (503, with a reason the UI can explain). */
export class StripeNotConfiguredError extends AppError {
  constructor() {
    super(503, "payments are not configured: set STRIPE_SECRET_KEY (see docs/payments.md)", {
      reason: "stripe_not_configured",
    });
  }
}

export function isStripeConfigured(e: Env = env()): boolean {
  return !!e.STRIPE_SECRET_KEY;
}

/**
 * SDK options. STRIPE_API_BASE (e.g. http://127.0.0.1:12111 for stripe-mock, or a
 * test's fake server) replaces api.stripe.com; unset means the real API.
 */
export function stripeConfig(apiBase: string | undefined): Stripe.StripeConfig {
  const config: Stripe.StripeConfig = { maxNetworkRetries: 2, timeout: 20_000, appInfo: { name: "credits-ai-studio" } };
  if (!apiBase) return config;
  const url = new URL(apiBase);
  const protocol = url.protocol.replace(":", "");
  if (protocol !== "http" && protocol !== "https") throw new Error(`STRIPE_API_BASE must be an http(s) URL, got ${apiBase}`);
  return {
    ...config,
    host: url.hostname,
    port: url.port || (protocol === "https" ? 443 : 80),
    protocol,
  };
}

// One client per (key, base); tests change the environment between files.
let cached: { key: string; base: string | undefined; client: Stripe } | undefined;

/** The Stripe client, or StripeNotConfiguredError. */
export function getStripe(e: Env = env()): Stripe {
  const key = e.STRIPE_SECRET_KEY;
  if (!key) throw new StripeNotConfiguredError();
  if (!cached || cached.key !== key || cached.base !== e.STRIPE_API_BASE) {
    cached = { key, base: e.STRIPE_API_BASE, client: new Stripe(key, stripeConfig(e.STRIPE_API_BASE)) };
  }
  return cached.client;
}

/**
 * Verifies a webhook delivery's `Stripe-Signature` on the exact raw body and parses
 * the event. Forged, tampered or stale (older than Stripe's default 300 s tolerance)
 * deliveries throw a 400; without STRIPE_WEBHOOK_SECRET the endpoint answers 503.
 */
export function verifyStripeWebhook(rawBody: string, signature: string | null, e: Env = env()): Stripe.Event {
  const secret = e.STRIPE_WEBHOOK_SECRET;
  if (!secret) throw new ServiceUnavailableError("Stripe webhooks are not configured: set STRIPE_WEBHOOK_SECRET");
  if (!signature) throw new BadRequestError("missing Stripe-Signature header", "stripe-signature");
  let event: Stripe.Event;
  try {
    event = Stripe.webhooks.constructEvent(rawBody, signature, secret);
  } catch (error) {
    if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
      throw new BadRequestError("invalid Stripe signature", "stripe-signature");
    }
    // A correctly signed but unparsable body is still bad input.
    throw new BadRequestError("malformed Stripe event", "body");
  }
  // Signed is not well-formed: a correctly signed event without an object (e.g. `data: null`) is bad input too.
  const data = (event as { data?: unknown }).data as { object?: unknown } | null | undefined;
  if (
    typeof event.id !== "string" ||
    typeof event.type !== "string" ||
    !data ||
    typeof data !== "object" ||
    !data.object ||
    typeof data.object !== "object"
  ) {
    throw new BadRequestError("malformed Stripe event", "body");
  }
  return event;
}

export { Stripe };
