import crypto from "node:crypto";

/**
 * HMAC-SHA256 signatures for local-storage read URLs: the signature covers the
 * key and the expiry (unix seconds), so neither can be changed.
 */
function mac(secret: string, key: string, expires: number) {
  return crypto.createHmac("sha256", secret).update(`${key}\n${expires}`).digest("base64url");
}

export function signKey(secret: string, key: string, expires: number): string {
  return mac(secret, key, expires);
}

export type SignatureCheck = "ok" | "missing" | "expired" | "invalid";

/** Checks a signature in constant time; `now` in milliseconds. */
export function verifyKeySignature(
  secret: string,
  key: string,
  expires: string | null,
  signature: string | null,
  now = Date.now(),
): SignatureCheck {
  if (!expires || !signature) return "missing";
  if (!/^\d{1,12}$/.test(expires)) return "invalid";
  const exp = Number(expires);
  const expected = Buffer.from(mac(secret, key, exp));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return "invalid";
  if (exp * 1000 <= now) return "expired";
  return "ok";
}
