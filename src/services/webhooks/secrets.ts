/**
 * Endpoint signing secrets. A secret is shown to its user once, at creation; the server
 * must keep it readable to sign every delivery (HMAC needs the key itself, a hash will not
 * do), so it is stored encrypted: AES-256-GCM with a key derived (HKDF-SHA256) from
 * AUTH_SECRET, bound to the endpoint's id (a ciphertext copied onto another row does not
 * decrypt). A database dump alone therefore reveals no secret. Changing AUTH_SECRET makes
 * stored secrets unreadable: deliveries fail until each endpoint is registered again.
 */
import crypto from "node:crypto";
import { authSecret } from "@/lib/auth/secret";

const VERSION = "v1";

function key(): Buffer {
  return Buffer.from(crypto.hkdfSync("sha256", authSecret(), "", "webhook-endpoint-secrets", 32));
}

/** A new Standard Webhooks secret: whsec_ + 32 random bytes in base64. */
export function newWebhookSecret(): string {
  return `whsec_${crypto.randomBytes(32).toString("base64")}`;
}

export function encryptWebhookSecret(secret: string, endpointId: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key(), iv);
  cipher.setAAD(Buffer.from(endpointId));
  const sealed = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString("base64")}`;
}

/** Throws when the stored value was not sealed for this endpoint with this AUTH_SECRET. */
export function decryptWebhookSecret(stored: string, endpointId: string): string {
  const [version, body] = stored.split(":", 2);
  if (version !== VERSION || !body) throw new Error("unknown webhook secret format");
  const raw = Buffer.from(body, "base64");
  const decipher = crypto.createDecipheriv("aes-256-gcm", key(), raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(endpointId));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
}
