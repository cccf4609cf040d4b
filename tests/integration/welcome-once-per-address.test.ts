// Issue 26, item 5: welcome credits were recycled through deletion (sign up, confirm, spend,
// DELETE /api/account, sign up again with the same address: 50 more credits each cycle), and
// five plus-addressed accounts of one mailbox got 250. Now they are granted once per
// confirmed mailbox, across deletion, checked in the grant's own transaction.
import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { credits, users, welcomeGrants } from "@/db/schema";
import { WELCOME_CREDITS } from "@/data/credits";
import { deleteAccount } from "@/services/accounts/deletion";
import { markEmailVerified } from "@/services/accounts/email-verification";
import { createUser, signUpInput } from "@/services/accounts/users";
import { welcomeAddress, welcomeAddressHash } from "@/services/accounts/welcome";
import { getUserCredits } from "@/services/credits/ledger";
import { verifyLedger } from "@/services/credits/verify";

const PASSWORD = "horse-battery-42";
const signUp = (email: string) => createUser(signUpInput.parse({ email, password: PASSWORD }));
const balance = async (userUuid: string) => (await getUserCredits(userUuid)).balance;
const welcomeGrantsOf = async (userUuids: string[]) => {
  let n = 0;
  for (const uuid of userUuids) {
    const [row] = await getDb().select({ n: count() }).from(credits).where(eq(credits.transNo, `new_user:${uuid}`));
    n += row.n;
  }
  return n;
};

describe("welcomeAddress: the mailbox an address reaches", () => {
  const defaults = {
    WELCOME_CREDITS_PLUS_TAG_DOMAINS: ["gmail.com", "googlemail.com", "outlook.com"],
    WELCOME_CREDITS_DOTLESS_DOMAINS: ["gmail.com", "googlemail.com"],
  };

  it("case and Unicode forms, +tags at listed domains, Gmail's dots and googlemail.com", () => {
    expect(welcomeAddress("  Alice@Example.COM ", defaults)).toBe("alice@example.com");
    expect(welcomeAddress("Ａｌｉｃｅ@example.com", defaults)).toBe("alice@example.com");
    expect(welcomeAddress("a.b+promo@GoogleMail.com", defaults)).toBe("ab@gmail.com");
    expect(welcomeAddress("a.b.+x+y@gmail.com", defaults)).toBe("ab@gmail.com");
    expect(welcomeAddress("first.last+news@outlook.com", defaults)).toBe("first.last@outlook.com");
    // Not listed: the tag and the dots are part of the address.
    expect(welcomeAddress("a.b+1@example.com", defaults)).toBe("a.b+1@example.com");
    // "*": every domain; an address that is only a tag keeps it.
    expect(welcomeAddress("a+1@example.com", { ...defaults, WELCOME_CREDITS_PLUS_TAG_DOMAINS: ["*"] })).toBe("a@example.com");
    expect(welcomeAddress("+1@gmail.com", defaults)).toBe("+1@gmail.com");
    expect(welcomeAddressHash("A.B+x@gmail.com", defaults)).toBe(welcomeAddressHash("ab@googlemail.com", defaults));
    expect(welcomeAddressHash("ab@gmail.com", defaults)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("welcome credits once per confirmed address", () => {
  it("sign up, confirm, delete, sign up again (three cycles): 50 credits in all, and the address is not kept in clear", async () => {
    const address = "Recycler@Example.com";
    const accounts: string[] = [];
    for (let cycle = 0; cycle < 3; cycle++) {
      const user = await signUp(address);
      accounts.push(user.id);
      await markEmailVerified(user.id);
      expect(await balance(user.id), `cycle ${cycle}`).toBe(cycle === 0 ? WELCOME_CREDITS : 0);
      await deleteAccount({ userUuid: user.id, currentPassword: PASSWORD });
    }
    expect(await welcomeGrantsOf(accounts)).toBe(1);
    const rows = await getDb().select().from(welcomeGrants).where(eq(welcomeGrants.userUuid, accounts[0]));
    expect(rows).toEqual([expect.objectContaining({ addressHash: welcomeAddressHash(address) })]);
    expect(JSON.stringify(await getDb().select().from(welcomeGrants))).not.toContain("recycler");
    expect((await verifyLedger()).offences).toEqual([]);
  });

  it("five plus-addressed (and dotted) accounts of one Gmail mailbox: one grant", async () => {
    const forms = ["pat.doe@gmail.com", "patdoe+1@gmail.com", "Pat.Doe+2@gmail.com", "p.a.t.d.o.e+3@googlemail.com", "PATDOE@gmail.com"];
    const made = [];
    for (const email of forms) {
      const user = await signUp(email);
      await markEmailVerified(user.id);
      made.push(user.id);
    }
    expect(await welcomeGrantsOf(made)).toBe(1);
    expect(await balance(made[0])).toBe(WELCOME_CREDITS);
  });

  it("plus-tags at an unlisted domain are separate mailboxes; a retry and a second confirmation grant nothing more", async () => {
    const a = await signUp("team+a@example.org");
    const b = await signUp("team+b@example.org");
    await markEmailVerified(a.id);
    await markEmailVerified(a.id);
    await markEmailVerified(b.id);
    expect([await balance(a.id), await balance(b.id)]).toEqual([WELCOME_CREDITS, WELCOME_CREDITS]);
  });

  it("concurrent confirmations of one mailbox's accounts (and re-sign-ups): exactly one grant", async () => {
    for (let round = 0; round < 3; round++) {
      const made = await Promise.all(Array.from({ length: 8 }, (_, i) => signUp(`racer${round}+${i}@gmail.com`)));
      await Promise.all(made.flatMap((user) => [markEmailVerified(user.id), markEmailVerified(user.id)]));
      expect(await welcomeGrantsOf(made.map((u) => u.id)), `round ${round}`).toBe(1);
      // Delete them all and sign up again, concurrently: still none.
      await Promise.all(made.map((user) => deleteAccount({ userUuid: user.id, currentPassword: PASSWORD })));
      const again = await Promise.all(Array.from({ length: 8 }, (_, i) => signUp(`racer${round}+${i}@gmail.com`)));
      await Promise.all(again.map((user) => markEmailVerified(user.id)));
      expect(await welcomeGrantsOf([...made, ...again].map((u) => u.id)), `round ${round} again`).toBe(1);
    }
    expect((await verifyLedger()).offences).toEqual([]);
  });

  it("the user row keeps no trace of the deleted address either", async () => {
    const user = await signUp("gone-for-good@example.com");
    await markEmailVerified(user.id);
    await deleteAccount({ userUuid: user.id, currentPassword: PASSWORD });
    const [row] = await getDb().select({ email: users.email }).from(users).where(eq(users.id, user.id));
    expect(row.email).not.toContain("gone-for-good");
  });
});
