import { cookies } from "next/headers";
import { decode } from "next-auth/jwt";
import { auth } from "@/auth";
import { authSecret } from "./env";
import { UnauthorizedError } from "./errors";

export interface CurrentUser {
  uuid: string;
  email: string;
  name: string | null;
}

// next-auth's session cookie, by its two possible names (Secure-prefixed over https).
const SESSION_COOKIES = ["__Secure-authjs.session-token", "authjs.session-token"] as const;

// Decrypting the session JWT (HKDF + AES) is the most expensive part of an
// authenticated API request, so a verified token is remembered for a short while.
// A token is a bearer credential whatever we do: caching its decoded claims until
// min(its own expiry, 5 minutes) grants nothing the token does not already grant.
const CACHE_MS = 5 * 60 * 1000;
const CACHE_MAX = 10_000;
const verified = new Map<string, { user: CurrentUser; until: number }>();

async function userFromToken(token: string, cookieName: string): Promise<CurrentUser | null> {
  const hit = verified.get(token);
  if (hit && hit.until > Date.now()) return hit.user;
  verified.delete(token);
  let claims: Record<string, unknown> | null = null;
  try {
    claims = await decode({ token, secret: authSecret(), salt: cookieName });
  } catch {
    return null; // forged, tampered, expired or signed with another secret
  }
  if (!claims || typeof claims.uid !== "string" || typeof claims.email !== "string") return null;
  const user = { uuid: claims.uid, email: claims.email, name: typeof claims.name === "string" ? claims.name : null };
  const exp = typeof claims.exp === "number" ? claims.exp * 1000 : Date.now();
  if (verified.size >= CACHE_MAX) verified.clear();
  verified.set(token, { user, until: Math.min(exp, Date.now() + CACHE_MS) });
  return user;
}

/** The signed-in user, in route handlers and server components alike, or null. */
export async function getCurrentUser(): Promise<CurrentUser | null> {
  const store = await cookies();
  for (const name of SESSION_COOKIES) {
    const token = store.get(name)?.value;
    if (token) return userFromToken(token, name);
    // A session too large for one cookie is split into chunks: let next-auth reassemble it.
    if (store.has(`${name}.0`)) return fromNextAuth();
  }
  return null;
}

async function fromNextAuth(): Promise<CurrentUser | null> {
  const user = (await auth())?.user;
  if (!user?.id || !user.email) return null;
  return { uuid: user.id, email: user.email, name: user.name ?? null };
}

/** The signed-in user, or an UnauthorizedError (401 envelope in route handlers). */
export async function requireUser(): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) throw new UnauthorizedError();
  return user;
}
