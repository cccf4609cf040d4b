import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { credits, users } from "@/db/schema";
import { WELCOME_CREDITS } from "@/data/credits";
import { ConflictError } from "@/lib/http/errors";
import { getUserCredits } from "@/services/credits/ledger";
import { authenticate, createUser, signUpInput } from "@/services/accounts/users";
import { grantWelcomeCredits } from "@/services/accounts/welcome";

const newUser = (email: string) => signUpInput.parse({ email, password: "horse-battery-42" });

describe("users", () => {
  it("stores the email normalized and the password hashed, never in clear", async () => {
    const user = await createUser(newUser("  Mixed.Case@Example.COM "));
    expect(user.email).toBe("mixed.case@example.com");
    expect(user.passwordHash).toMatch(/^scrypt\$/);
    expect(user.passwordHash).not.toContain("horse-battery-42");
  });

  it("sign-up grants nothing while the email is unconfirmed; the welcome grant is keyed, so it happens exactly once", async () => {
    const user = await createUser(newUser("welcome@example.com"));
    expect((await getUserCredits(user.id)).balance).toBe(0); // EMAIL_VERIFICATION on (the default)
    // Verification, OAuth sign-ins and retries use the same key.
    await grantWelcomeCredits(user.id);
    await Promise.all([grantWelcomeCredits(user.id), grantWelcomeCredits(user.id)]);
    expect((await getUserCredits(user.id)).balance).toBe(WELCOME_CREDITS);
    const [{ n }] = await getDb().select({ n: count() }).from(credits).where(eq(credits.userUuid, user.id));
    expect(n).toBe(1);
  });

  it("refuses a second account for the same email (409) and writes nothing", async () => {
    await createUser(newUser("twice@example.com"));
    await expect(createUser(newUser("TWICE@example.com"))).rejects.toBeInstanceOf(ConflictError);
    const [{ n }] = await getDb().select({ n: count() }).from(users).where(eq(users.email, "twice@example.com"));
    expect(n).toBe(1);
  });

  it("authenticates the right password only; an unknown email answers the same null", async () => {
    await createUser(newUser("auth@example.com"));
    expect((await authenticate("AUTH@example.com", "horse-battery-42"))?.email).toBe("auth@example.com");
    expect(await authenticate("auth@example.com", "wrong-password")).toBeNull();
    expect(await authenticate("nobody@example.com", "horse-battery-42")).toBeNull();
  });

  it("validates sign-up input, naming the field", () => {
    expect(signUpInput.safeParse({ email: "x", password: "horse-battery-42" }).error?.issues[0].path).toEqual(["email"]);
    expect(signUpInput.safeParse({ email: "a@b.co", password: "short" }).error?.issues[0].path).toEqual(["password"]);
  });
});
