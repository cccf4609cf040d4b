import { eq, lt, sql } from "drizzle-orm";
import { getDb, type Executor } from "@/db";
import { revokedSessions, users } from "@/db/schema";
import { env } from "@/lib/env";

/**
 * Sessions that can end. A session is a signed JWT cookie; it carries the user (`uid`), a
 * session id (`sid`, fixed for the session's life) and the user's session version at
 * sign-in (`sv`). It is active while
 *   - the user exists and is not disabled,
 *   - the user's `session_version` still equals `sv` (bumpSessionVersion ends them all),
 *   - its `sid` is not in `revoked_sessions` (revokeSession ends one: sign-out).
 * That costs one indexed query per session at most every SESSION_CHECK_INTERVAL_SECONDS
 * (default 30, at most 60) per app instance; changes made through this module take effect
 * at once on the instance that made them, and within that interval on the others.
 */
export interface SessionClaims {
  uid: string;
  sid: string;
  sv: number;
  /** Expiry, seconds since the epoch (the JWT's `exp`). */
  exp?: number;
}

/** The claims a session JWT must carry; null for tokens from before revocable sessions. */
export function sessionClaims(token: Record<string, unknown> | null | undefined): SessionClaims | null {
  if (!token || typeof token.uid !== "string" || typeof token.sid !== "string" || typeof token.sv !== "number") return null;
  return { uid: token.uid, sid: token.sid, sv: token.sv, exp: typeof token.exp === "number" ? token.exp : undefined };
}

const CHECKS_MAX = 10_000;
// sid -> the last answer and when it was read from the database. An ended session never
// becomes active again, so a "no" is kept until the entry is evicted.
const checks = new Map<string, { uid: string; active: boolean; at: number }>();

function remember(claims: SessionClaims, active: boolean) {
  if (checks.size >= CHECKS_MAX) checks.clear();
  checks.set(claims.sid, { uid: claims.uid, active, at: Date.now() });
}

/** Forgets this instance's cached answers for a user, so their next request reads the database. */
export function forgetUserSessions(userUuid: string) {
  for (const [sid, entry] of checks) if (entry.uid === userUuid && entry.active) checks.delete(sid);
}

/** The user's current session version, for a new session; null when the user cannot sign in. */
export async function sessionVersionForSignIn(userUuid: string, db: Executor = getDb()): Promise<number | null> {
  const [row] = await db
    .select({ version: users.sessionVersion, disabledAt: users.disabledAt })
    .from(users)
    .where(eq(users.id, userUuid));
  return row && !row.disabledAt ? row.version : null;
}

/** True while the session may be used (see above). */
export async function isSessionActive(claims: SessionClaims, db: Executor = getDb()): Promise<boolean> {
  const hit = checks.get(claims.sid);
  if (hit && (!hit.active || Date.now() - hit.at < env().SESSION_CHECK_INTERVAL_SECONDS * 1000)) return hit.active;
  const [row] = await db
    .select({
      version: users.sessionVersion,
      disabledAt: users.disabledAt,
      revoked: sql<boolean>`exists (select 1 from ${revokedSessions} where ${revokedSessions.sid} = ${claims.sid})`,
    })
    .from(users)
    .where(eq(users.id, claims.uid));
  const active = !!row && row.version === claims.sv && !row.disabledAt && !row.revoked;
  remember(claims, active);
  return active;
}

/** Ends one session (sign-out): its token stops working, on every instance. */
export async function revokeSession(claims: SessionClaims, db: Executor = getDb()) {
  // Kept until the token would have expired anyway; expired entries are pruned here.
  const expiresAt = new Date((claims.exp ?? Date.now() / 1000 + 30 * 24 * 3600) * 1000);
  await db.insert(revokedSessions).values({ sid: claims.sid, userUuid: claims.uid, expiresAt }).onConflictDoNothing();
  await db.delete(revokedSessions).where(lt(revokedSessions.expiresAt, new Date()));
  remember(claims, false);
}

/**
 * Ends every session of a user: sign out everywhere, password change or reset, disable,
 * delete. Inside a transaction, call forgetUserSessions(userUuid) again after it commits.
 */
export async function bumpSessionVersion(userUuid: string, db: Executor = getDb()): Promise<void> {
  await db
    .update(users)
    .set({ sessionVersion: sql`${users.sessionVersion} + 1`, updatedAt: new Date() })
    .where(eq(users.id, userUuid));
  forgetUserSessions(userUuid);
}

/** Disables an account (for an admin console): no sign-in, every session ends. */
export async function disableUser(userUuid: string, db: Executor = getDb()): Promise<void> {
  await db
    .update(users)
    .set({ disabledAt: new Date(), sessionVersion: sql`${users.sessionVersion} + 1`, updatedAt: new Date() })
    .where(eq(users.id, userUuid));
  forgetUserSessions(userUuid);
}

/** Lets a disabled account sign in again (its old sessions stay ended). */
export async function enableUser(userUuid: string, db: Executor = getDb()): Promise<void> {
  await db.update(users).set({ disabledAt: null, updatedAt: new Date() }).where(eq(users.id, userUuid));
}
