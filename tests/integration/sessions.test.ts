import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { revokedSessions, users } from "@/db/schema";
import { describeError } from "@/lib/log-safe";
import {
  bumpSessionVersion,
  disableUser,
  enableUser,
  isSessionActive,
  revokeSession,
  sessionVersionForSignIn,
} from "@/services/accounts/sessions";
import { authenticate, createUser, signUpInput } from "@/services/accounts/users";

const PASSWORD = "horse-battery-42";

async function userWithSession(email: string) {
  const user = await createUser(signUpInput.parse({ email, password: PASSWORD }));
  const sv = (await sessionVersionForSignIn(user.id))!;
  const session = (sid = randomUUID()) => ({ uid: user.id, sid, sv, exp: Math.floor(Date.now() / 1000) + 3600 });
  return { user, session };
}

describe("sessions", () => {
  it("a new session is active; revoking it ends that one only, and the revocation is stored", async () => {
    const { session } = await userWithSession("revoke@example.com");
    const a = session();
    const b = session();
    expect(await isSessionActive(a)).toBe(true);
    await revokeSession(a);
    await revokeSession(a); // twice is fine
    expect(await isSessionActive(a)).toBe(false);
    expect(await isSessionActive(b)).toBe(true);
    const rows = await getDb().select().from(revokedSessions).where(eq(revokedSessions.sid, a.sid));
    expect(rows).toHaveLength(1);
  });

  it("bumping the session version ends every session at once; a new sign-in gets the new version", async () => {
    const { user, session } = await userWithSession("bump@example.com");
    const a = session();
    expect(await isSessionActive(a)).toBe(true); // cached as active ...
    await bumpSessionVersion(user.id);
    expect(await isSessionActive(a)).toBe(false); // ... and forgotten by the bump
    expect(await sessionVersionForSignIn(user.id)).toBe(a.sv + 1);
  });

  it("a disabled user cannot sign in and their sessions end; enabling lets them sign in again", async () => {
    const { user, session } = await userWithSession("disabled@example.com");
    const a = session();
    await disableUser(user.id);
    expect(await isSessionActive(a)).toBe(false);
    expect(await sessionVersionForSignIn(user.id)).toBeNull();
    expect(await authenticate("disabled@example.com", PASSWORD)).toBeNull();
    await enableUser(user.id);
    expect((await authenticate("disabled@example.com", PASSWORD))?.id).toBe(user.id);
    expect(await isSessionActive(a)).toBe(false);
  });

  it("an unknown (deleted) user's session is not active", async () => {
    expect(await isSessionActive({ uid: randomUUID(), sid: randomUUID(), sv: 0 })).toBe(false);
  });

  it("expired revocations are pruned", async () => {
    const { session } = await userWithSession("prune@example.com");
    const old = { ...session(), exp: Math.floor(Date.now() / 1000) - 10 };
    await getDb().insert(revokedSessions).values({ sid: old.sid, userUuid: old.uid, expiresAt: new Date(old.exp * 1000) });
    await revokeSession(session());
    expect(await getDb().select().from(revokedSessions).where(eq(revokedSessions.sid, old.sid))).toHaveLength(0);
  });
});

describe("describeError (what the API logs for an unexpected error)", () => {
  it("keeps the SQL state and the query, drops the parameters and quoted values", async () => {
    let caught: unknown;
    try {
      await getDb()
        .update(users)
        .set({ passwordHash: "scrypt$secret-hash", email: "leak@example.com" })
        .where(sql`${users.id}::uuid = ${"not-a-uuid-leak"}::uuid`);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeDefined();
    const text = describeError(caught);
    expect(text).toMatch(/update "users"/);
    expect(text).toMatch(/SQLSTATE 22P02/);
    expect(text).not.toContain("leak");
    expect(text).not.toContain("scrypt$");
  });
});
