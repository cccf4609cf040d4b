import crypto from "node:crypto";
import { Webhook } from "standardwebhooks";
import { BadRequestError, UnauthorizedError } from "@/lib/http/errors";

/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com/), as Replicate
 * sends them and our outgoing webhooks (src/services/webhooks) are signed: HMAC-SHA256 over `${webhook-id}.${webhook-timestamp}.${body}` keyed
 * with the base64 part of the "whsec_..." secret; `webhook-signature` holds one or
 * more space-separated "v1,<base64>" entries, any one of which may match.
 */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

function secretKey(secret: string): Buffer {
  const raw = secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret;
  const key = Buffer.from(raw, "base64");
  if (key.length === 0) throw new Error("webhook secret is empty");
  return key;
}

/** The `webhook-signature` value ("v1,<base64>") of a message, by the `standardwebhooks` package. */
export function signStandardWebhook(secret: string, id: string, timestamp: number | string, body: string): string {
  return new Webhook(secretKey(secret), { format: "raw" }).sign(id, new Date(Number(timestamp) * 1000), body);
}

/** Throws BadRequestError (missing/malformed headers) or UnauthorizedError (bad signature, stale or future timestamp). */
export function verifyStandardWebhook(input: {
  secret: string;
  headers: Headers;
  body: string;
  toleranceSeconds?: number;
  nowSeconds?: number;
}): void {
  const id = input.headers.get("webhook-id");
  const timestamp = input.headers.get("webhook-timestamp");
  const signatures = input.headers.get("webhook-signature");
  if (!id || !timestamp || !signatures) {
    throw new BadRequestError("missing webhook-id, webhook-timestamp or webhook-signature header", "webhook-signature");
  }
  if (!/^\d{1,15}$/.test(timestamp)) throw new BadRequestError("webhook-timestamp: must be seconds since the epoch", "webhook-timestamp");
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  const tolerance = input.toleranceSeconds ?? WEBHOOK_TOLERANCE_SECONDS;
  // Checked before the signature so a replayed old delivery is rejected even when authentic.
  if (Math.abs(now - Number(timestamp)) > tolerance) throw new UnauthorizedError("webhook timestamp outside the allowed window");

  const expected = Buffer.from(signStandardWebhook(input.secret, id, timestamp, input.body).slice(3), "base64");
  const matched = signatures.split(" ").some((entry) => {
    const [version, sig] = entry.split(",", 2);
    if (version !== "v1" || !sig) return false;
    const given = Buffer.from(sig, "base64");
    return given.length === expected.length && crypto.timingSafeEqual(given, expected);
  });
  if (!matched) throw new UnauthorizedError("invalid webhook signature");
}
