import crypto from "node:crypto";
import { authSecret } from "./secret";

// Auth.js's CSRF token: its cookie (`authjs.csrf-token`, `__Host-` prefixed over https)
// holds `<token>|sha256(<token><secret>)`, GET /api/auth/csrf hands the page `<token>`,
// and a POST proves it came from a page of this app by sending it back in the body
// (double submit, signed). Auth.js checks it on its sign-in, sign-out, session and
// credentials callback POSTs, not on the email provider's callback; the magic-link callback
// checks it here (src/app/api/auth/[...nextauth]/route.ts), with the same format.
const COOKIE_NAMES = ["__Host-authjs.csrf-token", "authjs.csrf-token"];

function cookieValue(header: string | null, name: string): string | null {
  for (const part of (header ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i > 0 && part.slice(0, i).trim() === name) {
      try {
        return decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

const sameText = (a: string, b: string) => a.length === b.length && crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** True when `bodyToken` is the CSRF token of the request's own, server-signed, CSRF cookie. */
export function isValidAuthCsrfToken(cookieHeader: string | null, bodyToken: string | null | undefined): boolean {
  if (!bodyToken) return false;
  for (const name of COOKIE_NAMES) {
    const value = cookieValue(cookieHeader, name);
    if (!value) continue;
    const [token, hash] = value.split("|");
    if (!token || !hash) return false;
    const expected = crypto.createHash("sha256").update(`${token}${authSecret()}`).digest("hex");
    return sameText(hash, expected) && sameText(token, bodyToken);
  }
  return false;
}
