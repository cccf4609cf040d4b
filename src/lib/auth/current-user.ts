import { cookies, headers } from "next/headers";
import type { NextResponse } from "next/server";
import { decode, encode } from "next-auth/jwt";
import { auth } from "@/auth";
import { isSessionActive, sessionClaims, type SessionClaims } from "@/services/accounts/sessions";
import { authSecret } from "./secret";
import { ForbiddenError, UnauthorizedError } from "../http/errors";
import { bearerToken } from "../http/bearer";

export interface CurrentUser {
  uuid: string;
  email: string;
  name: string | null;
}

// next-auth's session cookie, by its two possible names (Secure-prefixed over https).
const SESSION_COOKIES = ["__Secure-authjs.session-token", "authjs.session-token"] as const;

// Decrypting the session JWT (HKDF + AES) is the most expensive part of an
// authenticated API request, so a verified token's claims are remembered for a short
// while, keyed by the cookie's name and the token (the name is the decryption salt).
// Whether the session is still active (signed out, signed out everywhere, disabled,
// deleted) is asked of isSessionActive on every request; it reads the database at most
// every SESSION_CHECK_INTERVAL_SECONDS per session.
const CACHE_MS = 5 * 60 * 1000;
const CACHE_MAX = 10_000;
const verified = new Map<string, { user: CurrentUser; claims: SessionClaims; until: number }>();

async function userFromToken(token: string, cookieName: string): Promise<CurrentUser | null> {
  const key = `${cookieName}\n${token}`;
  let hit = verified.get(key);
  if (!hit || hit.until <= Date.now()) {
    verified.delete(key);
    let decoded: Record<string, unknown> | null = null;
    try {
      decoded = await decode({ token, secret: authSecret(), salt: cookieName });
    } catch {
      return null; // forged, tampered, expired or signed with another secret
    }
    const claims = sessionClaims(decoded);
    if (!decoded || !claims || typeof decoded.email !== "string") return null;
    const user = { uuid: claims.uid, email: decoded.email, name: typeof decoded.name === "string" ? decoded.name : null };
    const exp = claims.exp ? claims.exp * 1000 : Date.now();
    if (verified.size >= CACHE_MAX) verified.clear();
    hit = { user, claims, until: Math.min(exp, Date.now() + CACHE_MS) };
    verified.set(key, hit);
  }
  return (await isSessionActive(hit.claims)) ? hit.user : null;
}

/**
 * The signed-in user, in route handlers and server components alike, or null. A request
 * with `Authorization: Bearer ...` gets a 403 here: an API key reaches only the routes that
 * ask for the caller through requireApiCaller (./api-caller.ts), never the session-only ones
 * (account, billing, key management, admin), even with a session cookie sent along.
 */
export async function getCurrentUser(): Promise<CurrentUser | null> {
  if (bearerToken((await headers()).get("authorization")) !== null) {
    throw new ForbiddenError("API keys are not accepted here: this route needs a signed-in session");
  }
  const store = await cookies();
  for (const name of SESSION_COOKIES) {
    const token = store.get(name)?.value;
    if (token) return userFromToken(token, name);
    // A session too large for one cookie is split into chunks: let next-auth reassemble it
    // (its jwt callback runs the same isSessionActive check).
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

/**
 * After the user's session version was bumped by this very request (password change), a
 * new session cookie for the current browser, so only the *other* sessions end. Null when
 * the request has no plain (unchunked) session cookie.
 */
export async function renewedSessionCookie(
  sessionVersion: number,
  changed: { email?: string } = {},
): Promise<{ name: string; value: string; maxAge: number } | null> {
  const store = await cookies();
  for (const name of SESSION_COOKIES) {
    const token = store.get(name)?.value;
    if (!token) continue;
    const claims = await decode({ token, secret: authSecret(), salt: name }).catch(() => null);
    if (!claims) return null;
    const maxAge = 30 * 24 * 60 * 60;
    const value = await encode({ token: { ...claims, ...changed, sid: crypto.randomUUID(), sv: sessionVersion }, secret: authSecret(), salt: name, maxAge });
    return { name, value, maxAge };
  }
  return null;
}

type SessionCookie = { name: string; value: string; maxAge: number };
/** Where a session cookie is written: a route's response, or a Server Action's `cookies()`. */
type CookieJar = { set(name: string, value: string, options: Record<string, unknown>): unknown };

function writeSessionCookie(jar: CookieJar, cookie: SessionCookie) {
  jar.set(cookie.name, cookie.value, {
    maxAge: cookie.maxAge,
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure: cookie.name.startsWith("__Secure-"),
  });
}

/** Sets a renewed session cookie (renewedSessionCookie) on a response. */
export function setSessionCookie(res: NextResponse, cookie: SessionCookie | null) {
  if (cookie) writeSessionCookie(res.cookies, cookie);
}

/** Clears the session cookie, by both its names (this browser is signed out). */
export function clearSessionCookies(res: NextResponse) {
  for (const name of SESSION_COOKIES) writeSessionCookie(res.cookies, { name, value: "", maxAge: 0 });
}

/** setSessionCookie for a Server Action (the cookie goes out with the action's answer). */
export async function setActionSessionCookie(cookie: SessionCookie | null) {
  if (cookie) writeSessionCookie(await cookies(), cookie);
}

/** clearSessionCookies for a Server Action. */
export async function clearActionSessionCookies() {
  const jar = await cookies();
  for (const name of SESSION_COOKIES) writeSessionCookie(jar, { name, value: "", maxAge: 0 });
}
