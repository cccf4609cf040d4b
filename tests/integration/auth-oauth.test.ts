// The OAuth side of accounts, through the app's own next-auth configuration: the
// Drizzle adapter (the project's tables, normalized email) and the events that give
// an OAuth account its welcome credits exactly once (more in email-verification.test.ts).
import { count, eq } from "drizzle-orm";
import type { AdapterUser } from "next-auth/adapters";
import { afterEach, describe, expect, it } from "vitest";
import { authConfig, oauthProviders } from "@/auth.config";
import { getDb } from "@/db";
import { credits, users } from "@/db/schema";
import { WELCOME_CREDITS } from "@/data/credits";
import { resetEnvCache } from "@/lib/env";
import { getUserCredits } from "@/services/credits/ledger";
import { createUser, signUpInput } from "@/services/accounts/users";

const OAUTH_ENV = ["AUTH_GITHUB_ID", "AUTH_GITHUB_SECRET", "AUTH_GOOGLE_ID", "AUTH_GOOGLE_SECRET", "APP_URL"];
const saved = Object.fromEntries(OAUTH_ENV.map((k) => [k, process.env[k]]));

afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
});

async function ledgerRows(userUuid: string) {
  const [{ n }] = await getDb().select({ n: count() }).from(credits).where(eq(credits.userUuid, userUuid));
  return n;
}

describe("OAuth accounts through the next-auth configuration", () => {
  it("the adapter stores the email normalized in the project's users table", async () => {
    const adapter = authConfig().adapter!;
    const user = await adapter.createUser!({ id: "", email: "  OAuth.Person@Example.COM ", emailVerified: null, name: "O" });
    expect(user.email).toBe("oauth.person@example.com");
    const [row] = await getDb().select().from(users).where(eq(users.id, user.id));
    expect(row.email).toBe("oauth.person@example.com");
    expect(row.passwordHash).toBeNull();
    expect((await adapter.getUserByEmail!("OAUTH.person@example.com "))?.id).toBe(user.id);
  });

  it("a GitHub sign-in grants the welcome credits (GitHub vouches for the email); repeats and races grant nothing more", async () => {
    const config = authConfig();
    const user = (await config.adapter!.createUser!({ id: "", email: "gh-user@example.com", emailVerified: null })) as AdapterUser;
    expect(await ledgerRows(user.id)).toBe(0);
    const account = { provider: "github", providerAccountId: "42", type: "oauth" as const };
    await Promise.all([config.events!.signIn!({ user, account }), config.events!.signIn!({ user, account })]);
    await config.events!.signIn!({ user, account });
    expect((await getUserCredits(user.id)).balance).toBe(WELCOME_CREDITS);
    expect(await ledgerRows(user.id)).toBe(1);
  });

  it("an email + password account gets nothing at sign-in (its credits come with the confirmed email)", async () => {
    const user = await createUser(signUpInput.parse({ email: "pw@example.com", password: "horse-battery-42" }));
    const adapterUser = { id: user.id, email: user.email, emailVerified: null };
    await authConfig().events!.signIn!({ user: adapterUser, account: { provider: "credentials", providerAccountId: user.id, type: "credentials" } });
    expect(await ledgerRows(user.id)).toBe(0);
  });

  it("offers GitHub and Google only when both their variables are set", () => {
    for (const k of OAUTH_ENV.slice(0, 4)) delete process.env[k];
    resetEnvCache();
    expect(oauthProviders()).toEqual([]);
    expect(authConfig().providers.map((p) => (typeof p === "function" ? p().id : p.id))).toEqual(["credentials", "email"]);
    process.env.AUTH_GITHUB_ID = "gh-id";
    resetEnvCache();
    expect(oauthProviders()).toEqual([]);
    process.env.AUTH_GITHUB_SECRET = "gh-secret";
    process.env.AUTH_GOOGLE_ID = "g-id";
    process.env.AUTH_GOOGLE_SECRET = "g-secret";
    resetEnvCache();
    expect(oauthProviders()).toEqual(["github", "google"]);
    expect(authConfig().providers.map((p) => (typeof p === "function" ? p().id : p.id))).toEqual(["credentials", "email", "github", "google"]);
  });

  it("session cookies are Secure exactly when the site is served over https", () => {
    process.env.APP_URL = "https://studio.example.com";
    resetEnvCache();
    expect(authConfig().useSecureCookies).toBe(true);
    process.env.APP_URL = "http://localhost:3000";
    resetEnvCache();
    // Plain http (local runs): next-auth decides from the request's protocol.
    expect(authConfig().useSecureCookies).toBeUndefined();
  });
});
