// Credit holds (src/services/credits/holds.ts): reserve, settle or release once, expire;
// on PGlite and PostgreSQL, and under real concurrency on PostgreSQL.
import { and, count, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, openPostgres } from "@/db";
import { creditAllocations, creditGrants, creditHolds, credits, users } from "@/db/schema";
import { InsufficientCreditsError, UnauthorizedError } from "@/lib/http/errors";
import {
  HoldKeyReusedError,
  HoldResolvedError,
  UnknownHoldError,
  expireHolds,
  getHold,
  holdCredits,
  releaseHold,
  settleHold,
  withCreditHold,
} from "@/services/credits/holds";
import {
  InvalidCreditAmountError,
  decreaseCredits,
  deductCredits,
  expireCredits,
  getUserCredits,
  grantCredits,
  listCredits,
  revokeGrantCredits,
} from "@/services/credits/ledger";
import { verifyLedger } from "@/services/credits/verify";
import { insertUser } from "../support/fixtures";
import { testDb } from "../support/setup-db";

const DAY = 24 * 60 * 60 * 1000;
const inDays = (d: number) => new Date(Date.now() + d * DAY);
const creditsOf = (u: string) => getUserCredits(u);
const ledgerRowsOf = async (u: string) => (await getDb().select({ n: count() }).from(credits).where(eq(credits.userUuid, u)))[0].n;
const remainingOf = async (transNo: string) =>
  (await getDb().select({ r: creditGrants.remaining }).from(creditGrants).where(eq(creditGrants.transNo, transNo)))[0].r;
const allocationsOf = async (transNo: string) =>
  (await getDb().select().from(creditAllocations).where(eq(creditAllocations.transNo, transNo))).map((a) => [a.grantTransNo, a.credits]);
const clean = async () => expect((await verifyLedger()).offences).toEqual([]);

async function userWith(...grants: Array<{ credits: number; days?: number }>) {
  const u = await insertUser();
  const nos: string[] = [];
  for (const g of grants) {
    nos.push((await grantCredits({ userUuid: u, credits: g.credits, transType: "system_add", expiresAt: g.days ? inDays(g.days) : undefined })).transNo);
  }
  return { u, grants: nos };
}

/** Moves a grant's (or a hold's) expiry into the past, as if time had passed. */
const lapseGrant = (transNo: string) => getDb().execute(sql`UPDATE credit_grants SET expired_at = now() - interval '1 hour' WHERE trans_no = ${transNo}`);
const lapseHold = (id: string) => getDb().execute(sql`UPDATE credit_holds SET expires_at = now() - interval '1 second' WHERE id = ${id}`);

describe("holding", () => {
  it("reserves against the spendable balance in burn-down order, writing no ledger row", async () => {
    const { u, grants: [late, soon] } = await userWith({ credits: 10, days: 20 }, { credits: 5, days: 3 });
    const rows = await ledgerRowsOf(u);
    const { hold, created } = await holdCredits(u, 8, { reason: "chat reply" });
    expect(created).toBe(true);
    expect(hold).toMatchObject({ userUuid: u, credits: 8, status: "held", settledCredits: null, spendTransNo: null, transType: "usage", reason: "chat reply" });
    expect(hold.expiresAt.getTime() - Date.now()).toBeGreaterThan(14 * 60_000);
    expect([await remainingOf(soon), await remainingOf(late)]).toEqual([0, 7]);
    expect(await creditsOf(u)).toMatchObject({ balance: 7, held: 8 });
    expect(await ledgerRowsOf(u)).toBe(rows);
    // Held credits are not spendable: not by a debit, not by another hold.
    expect(await deductCredits(u, 8)).toBe(false);
    await expect(holdCredits(u, 8)).rejects.toMatchObject({ status: 402, balance: 7, required: 8 });
    await clean();
  });

  it("is refused with 402 (the balance) when it does not fit, and writes nothing", async () => {
    const { u } = await userWith({ credits: 5 });
    const err = await holdCredits(u, 6).catch((e) => e);
    expect(err).toBeInstanceOf(InsufficientCreditsError);
    expect(err).toMatchObject({ status: 402, balance: 5, required: 6 });
    expect((await getDb().select({ n: count() }).from(creditHolds).where(eq(creditHolds.userUuid, u)))[0].n).toBe(0);
    expect(await creditsOf(u)).toMatchObject({ balance: 5, held: 0 });
  });

  it("is refused for a disabled account (401) and an unknown user (404)", async () => {
    const { u } = await userWith({ credits: 5 });
    await getDb().update(users).set({ disabledAt: new Date() }).where(eq(users.id, u));
    await expect(holdCredits(u, 1)).rejects.toBeInstanceOf(UnauthorizedError);
    await expect(holdCredits("no-such-user", 1)).rejects.toMatchObject({ status: 404 });
    expect(await creditsOf(u)).toMatchObject({ balance: 5, held: 0 });
  });

  it("is idempotent by key: the same key is the same hold, reserved once; another amount is a 409", async () => {
    const { u } = await userWith({ credits: 20 });
    const first = await holdCredits(u, 6, { key: "reply:1" });
    const again = await holdCredits(u, 6, { key: "reply:1" });
    expect(again).toEqual({ hold: first.hold, created: false });
    expect(await creditsOf(u)).toMatchObject({ balance: 14, held: 6 });
    await expect(holdCredits(u, 7, { key: "reply:1" })).rejects.toBeInstanceOf(HoldKeyReusedError);
    // Keys are per user: another user's same key is their own hold.
    const other = await userWith({ credits: 6 });
    expect((await holdCredits(other.u, 6, { key: "reply:1" })).created).toBe(true);
    // A resolved hold is still the key's hold.
    await settleHold(first.hold, 2);
    expect(await holdCredits(u, 6, { key: "reply:1" })).toMatchObject({ created: false, hold: { id: first.hold.id, status: "settled", settledCredits: 2 } });
    expect(await creditsOf(u)).toMatchObject({ balance: 18, held: 0 });
    await clean();
  });
});

describe("settling and releasing", () => {
  it("a settlement spends exactly `actual` from the hold's grants in burn-down order and gives the rest back", async () => {
    const { u, grants: [late, soon] } = await userWith({ credits: 10, days: 20 }, { credits: 5, days: 3 });
    const { hold } = await holdCredits(u, 8, { reason: "chat reply", metadata: { conversation: "c1" } });
    const { hold: settled, applied } = await settleHold(hold.id, 6);
    expect(applied).toBe(true);
    expect(settled).toMatchObject({ status: "settled", settledCredits: 6, spendTransNo: hold.id });
    expect(settled.resolvedAt).toBeInstanceOf(Date);
    expect([await remainingOf(soon), await remainingOf(late)]).toEqual([0, 9]);
    const [spend] = await getDb().select().from(credits).where(eq(credits.transNo, hold.id));
    expect(spend).toMatchObject({ userUuid: u, transType: "usage", credits: -6, reason: "chat reply", metadata: { conversation: "c1", hold: hold.id, reserved: "8" } });
    expect((await allocationsOf(hold.id)).sort()).toEqual([[late, 1], [soon, 5]].sort());
    expect(await creditsOf(u)).toMatchObject({ balance: 9, held: 0 });
    // The history shows the settlement with what was reserved and what was spent.
    const [item] = (await listCredits(u)).items;
    expect(item).toMatchObject({ transNo: hold.id, credits: -6, reserved: 8 });
    await clean();
  });

  it("settling the whole hold spends it all; settling 0 spends nothing and writes no ledger row", async () => {
    const { u } = await userWith({ credits: 10 });
    const a = (await holdCredits(u, 4)).hold;
    const b = (await holdCredits(u, 3)).hold;
    const rows = await ledgerRowsOf(u);
    await settleHold(a, 4);
    expect((await settleHold(b, 0)).hold).toMatchObject({ status: "settled", settledCredits: 0, spendTransNo: null });
    expect(await ledgerRowsOf(u)).toBe(rows + 1);
    expect(await creditsOf(u)).toMatchObject({ balance: 6, held: 0 });
    await clean();
  });

  it("a release gives everything back and writes no ledger row", async () => {
    const { u, grants: [g] } = await userWith({ credits: 10 });
    const rows = await ledgerRowsOf(u);
    const { hold } = await holdCredits(u, 10);
    expect(await releaseHold(hold)).toMatchObject({ applied: true, hold: { status: "released", settledCredits: null } });
    expect(await remainingOf(g)).toBe(10);
    expect(await ledgerRowsOf(u)).toBe(rows);
    expect(await creditsOf(u)).toMatchObject({ balance: 10, held: 0 });
    await clean();
  });

  it("a hold resolves once: a repeat is a no-op, a different resolution a 409, and neither writes anything", async () => {
    const { u } = await userWith({ credits: 20 });
    const settled = (await holdCredits(u, 5)).hold;
    await settleHold(settled, 3);
    const released = (await holdCredits(u, 5)).hold;
    await releaseHold(released);
    const rows = await ledgerRowsOf(u);
    const before = await creditsOf(u);

    expect(await settleHold(settled, 3)).toMatchObject({ applied: false, hold: { status: "settled", settledCredits: 3 } });
    expect(await releaseHold(released)).toMatchObject({ applied: false, hold: { status: "released" } });
    const again = await settleHold(settled, 4).catch((e) => e);
    expect(again).toBeInstanceOf(HoldResolvedError);
    expect(again).toMatchObject({ status: 409, details: { holdId: settled.id, status: "settled", settledCredits: 3 } });
    await expect(releaseHold(settled)).rejects.toBeInstanceOf(HoldResolvedError);
    await expect(settleHold(released, 0)).rejects.toMatchObject({ status: 409, details: { status: "released" } });

    expect(await ledgerRowsOf(u)).toBe(rows);
    expect(await creditsOf(u)).toEqual(before);
    await clean();
  });
});

describe("bad input", () => {
  it.each([6, -1, 1.5, Number.NaN, "2" as unknown as number])("a settlement of %s is refused with a 400 naming `actual`; the hold stays open", async (actual) => {
    const { u } = await userWith({ credits: 10 });
    const { hold } = await holdCredits(u, 5);
    const rows = await ledgerRowsOf(u);
    await expect(settleHold(hold, actual)).rejects.toMatchObject({ status: 400, details: { field: "actual" } });
    expect(await ledgerRowsOf(u)).toBe(rows);
    expect((await getHold(hold.id))?.status).toBe("held");
    expect(await creditsOf(u)).toMatchObject({ balance: 5, held: 5 });
    await clean();
  });

  it("holds of a bad amount, expiry, key or type are refused with a 400 and write nothing", async () => {
    const { u } = await userWith({ credits: 10 });
    for (const amount of [0, -5, 1.5, Number.NaN, 10_000_001]) await expect(holdCredits(u, amount)).rejects.toBeInstanceOf(InvalidCreditAmountError);
    await expect(holdCredits(u, 1, { expiresAt: new Date(Date.now() - 1000) })).rejects.toMatchObject({ status: 400, details: { field: "expiresAt" } });
    await expect(holdCredits(u, 1, { expiresAt: inDays(8) })).rejects.toMatchObject({ status: 400, details: { field: "expiresAt" } });
    await expect(holdCredits(u, 1, { key: "" })).rejects.toMatchObject({ status: 400, details: { field: "key" } });
    await expect(holdCredits(u, 1, { key: "k".repeat(201) })).rejects.toMatchObject({ status: 400, details: { field: "key" } });
    await expect(holdCredits(u, 1, { transType: "refund" })).rejects.toMatchObject({ status: 400, details: { field: "transType" } });
    await expect(holdCredits(u, 1, { metadata: { n: 1 as unknown as string } })).rejects.toMatchObject({ status: 400, details: { field: "metadata" } });
    expect(await creditsOf(u)).toMatchObject({ balance: 10, held: 0 });
  });

  it("an unknown hold is a 404", async () => {
    await expect(settleHold("no-such-hold", 1)).rejects.toBeInstanceOf(UnknownHoldError);
    await expect(releaseHold({ id: "no-such-hold" })).rejects.toMatchObject({ status: 404 });
  });
});

describe("expiry, lapsing grants, refunds", () => {
  it("the sweeper releases holds past their expiry, once; a late settlement is a 409, a late release a no-op", async () => {
    const { u } = await userWith({ credits: 10 });
    const due = (await holdCredits(u, 4)).hold;
    const open = (await holdCredits(u, 3)).hold;
    await lapseHold(due.id);
    const swept = await expireHolds();
    expect(swept.holds).toBeGreaterThanOrEqual(1);
    expect(await getHold(due.id)).toMatchObject({ status: "expired", settledCredits: null });
    expect((await getHold(open.id))?.status).toBe("held");
    expect(await creditsOf(u)).toMatchObject({ balance: 7, held: 3 });
    await expect(settleHold(due, 2)).rejects.toMatchObject({ status: 409, details: { status: "expired" } });
    expect(await releaseHold(due)).toMatchObject({ applied: false, hold: { status: "expired" } });
    expect((await expireHolds()).holds).toBe(0);
    await clean();
  });

  it("a grant that lapses while held: the settlement still spends its reserved part; what goes back expires at once", async () => {
    const { u, grants: [late, soon] } = await userWith({ credits: 10, days: 20 }, { credits: 6, days: 2 });
    const { hold } = await holdCredits(u, 8); // soon 6, late 2
    await decreaseCredits({ userUuid: u, credits: 1, transType: "task_text_to_video" }); // late 7
    await lapseGrant(soon);
    await expireCredits(); // soon has nothing left outside the hold
    expect(await remainingOf(soon)).toBe(0);
    expect(await creditsOf(u)).toMatchObject({ balance: 7, held: 8 });

    await settleHold(hold, 4); // spends soon 4; soon's other 2 come back lapsed and expire, late's 2 come back
    expect((await allocationsOf(hold.id))).toEqual([[soon, 4]]);
    expect([await remainingOf(soon), await remainingOf(late)]).toEqual([0, 9]);
    const [expiry] = await getDb().select().from(credits).where(eq(credits.transNo, `expire:${hold.id}`));
    expect(expiry).toMatchObject({ transType: "expire", credits: -2 });
    expect(await creditsOf(u)).toMatchObject({ balance: 9, held: 0 });
    await clean();
  });

  it("a release to a lapsed grant expires at once too", async () => {
    const { u, grants: [g] } = await userWith({ credits: 5, days: 2 });
    const { hold } = await holdCredits(u, 5);
    await lapseGrant(g);
    await releaseHold(hold);
    expect(await remainingOf(g)).toBe(0);
    expect(await creditsOf(u)).toMatchObject({ balance: 0, held: 0 });
    await clean();
  });

  it("a refund cannot take held credits; what the settlement gives back goes to the refund's claim", async () => {
    const u = await insertUser();
    const grant = (await grantCredits({ userUuid: u, credits: 100, transType: "order_pay", validityDays: 365, orderNo: "ord_h", key: "order_pay:ord_h" })).transNo;
    const { hold } = await holdCredits(u, 60);
    // The whole bundle is refunded while 60 are held: 40 are taken now, the held 60 are not.
    expect(await revokeGrantCredits({ grantTransNo: grant, transType: "order_refund", key: "order_refund:ch_h:1000" })).toMatchObject({ credits: 40 });
    expect(await creditsOf(u)).toMatchObject({ balance: 0, held: 60 });
    // The work used 25: they stay spent (the user got the service); the other 35 go to the refund.
    await settleHold(hold, 25);
    const [claim] = await getDb().select().from(credits).where(eq(credits.transNo, `revoke:${grant}:${hold.id}`));
    expect(claim).toMatchObject({ transType: "order_refund", credits: -35 });
    expect(await creditsOf(u)).toMatchObject({ balance: 0, held: 0 });
    await clean();
  });

  it("a dispute opened while held: a release gives the credits to the dispute", async () => {
    const u = await insertUser();
    const grant = (await grantCredits({ userUuid: u, credits: 50, transType: "order_pay", validityDays: 365, orderNo: "ord_d", key: "order_pay:ord_d" })).transNo;
    const { hold } = await holdCredits(u, 50);
    expect(await revokeGrantCredits({ grantTransNo: grant, transType: "dispute", key: "dispute:dp_h" })).toMatchObject({ credits: 0 });
    await releaseHold(hold);
    expect(await creditsOf(u)).toMatchObject({ balance: 0, held: 0 });
    const [claim] = await getDb().select().from(credits).where(eq(credits.transNo, `revoke:${grant}:${hold.id}`));
    expect(claim).toMatchObject({ transType: "dispute", credits: -50 });
    await clean();
  });

  it("resolving inside the caller's transaction applies the same rules", async () => {
    const { u, grants: [g] } = await userWith({ credits: 5, days: 2 });
    const { hold } = await holdCredits(u, 5);
    await lapseGrant(g);
    await getDb().transaction(async (tx) => {
      await settleHold(hold, 1, tx);
    });
    expect(await creditsOf(u)).toMatchObject({ balance: 0, held: 0 });
    await clean();
  });
});

describe("withCreditHold", () => {
  it("holds, runs the work, settles what it returns", async () => {
    const { u } = await userWith({ credits: 10 });
    let seen: number | undefined;
    const hold = await withCreditHold(u, 6, async (h) => {
      seen = (await creditsOf(u)).held;
      expect(h.status).toBe("held");
      return 4;
    }, { reason: "summary" });
    expect(seen).toBe(6);
    expect(hold).toMatchObject({ status: "settled", credits: 6, settledCredits: 4, reason: "summary" });
    expect(await creditsOf(u)).toMatchObject({ balance: 6, held: 0 });
    await clean();
  });

  it("releases when the work throws, and rethrows; refuses with 402 before the work runs", async () => {
    const { u } = await userWith({ credits: 10 });
    await expect(withCreditHold(u, 6, async () => { throw new Error("provider down"); })).rejects.toThrow("provider down");
    expect(await creditsOf(u)).toMatchObject({ balance: 10, held: 0 });
    let ran = false;
    await expect(withCreditHold(u, 11, async () => { ran = true; return 1; })).rejects.toMatchObject({ status: 402 });
    expect(ran).toBe(false);
    await clean();
  });

  it("a work returning more than it held, or not a whole number, is a bug: released, thrown", async () => {
    const { u } = await userWith({ credits: 10 });
    await expect(withCreditHold(u, 3, async () => 4)).rejects.toThrow(/from 0 to 3/);
    await expect(withCreditHold(u, 3, async () => 1.5)).rejects.toThrow(/whole number/);
    expect(await creditsOf(u)).toMatchObject({ balance: 10, held: 0 });
    await clean();
  });

  it("a key already used does not run the work again", async () => {
    const { u } = await userWith({ credits: 10 });
    await withCreditHold(u, 3, async () => 2, { key: "job-1" });
    let ran = false;
    await expect(withCreditHold(u, 3, async () => { ran = true; return 2; }, { key: "job-1" })).rejects.toBeInstanceOf(HoldKeyReusedError);
    expect(ran).toBe(false);
    expect(await creditsOf(u)).toMatchObject({ balance: 8, held: 0 });
  });
});

describe("credits:verify", () => {
  it("names a hold whose reservation no longer matches its grants, and a settlement above its reservation", async () => {
    const { u, grants: [g] } = await userWith({ credits: 10 });
    const { hold } = await holdCredits(u, 4);
    await clean();
    await getDb().update(creditHolds).set({ credits: 5 }).where(eq(creditHolds.id, hold.id));
    const checks = (await verifyLedger()).offences.filter((o) => o.userUuid === u).map((o) => o.check);
    expect(checks).toContain("granted = spent + expired + held + remaining");
    expect(checks).toContain("holds take their amount from their user's grants");
    await getDb().update(creditHolds).set({ credits: 4 }).where(eq(creditHolds.id, hold.id));
    await settleHold(hold, 2);
    await clean();
    // A settled hold whose ledger spend is larger than what it records (and than a part of its reservation).
    await getDb().execute(sql`UPDATE credit_allocations SET credits = 5 WHERE trans_no = ${hold.id}`);
    await getDb().execute(sql`UPDATE credits SET credits = -5 WHERE trans_no = ${hold.id}`);
    await getDb().execute(sql`UPDATE credit_grants SET remaining = 5 WHERE trans_no = ${g}`);
    const offences = (await verifyLedger()).offences.filter((o) => o.userUuid === u);
    expect(offences.map((o) => o.check)).toEqual(["a settled hold's spend never exceeds its reservation"]);
    await getDb().execute(sql`UPDATE credit_allocations SET credits = 2 WHERE trans_no = ${hold.id}`);
    await getDb().execute(sql`UPDATE credits SET credits = -2 WHERE trans_no = ${hold.id}`);
    await getDb().execute(sql`UPDATE credit_grants SET remaining = 8 WHERE trans_no = ${g}`);
    await clean();
  });

  it("names a released hold that has a spend in the ledger", async () => {
    const { u } = await userWith({ credits: 10 });
    const { hold } = await holdCredits(u, 4);
    await settleHold(hold, 1);
    await getDb().execute(sql`UPDATE credit_holds SET status = 'released', settled_credits = NULL WHERE id = ${hold.id}`);
    const checks = (await verifyLedger()).offences.filter((o) => o.userUuid === u).map((o) => o.check);
    expect(checks).toContain("no hold both settled and released");
    await getDb().execute(sql`UPDATE credit_holds SET status = 'settled', settled_credits = 1 WHERE id = ${hold.id}`);
    await clean();
  });
});

// Real concurrency needs a real server: every call below runs on its own connection.
describe.runIf(process.env.TEST_DB_KIND === "postgres")("concurrency on PostgreSQL", () => {
  it("8 users x 25 concurrent holds racing for the last credits: never negative, each winner settles once", async () => {
    const pool = openPostgres(testDb().url!, { max: 50 });
    try {
      const people = await Promise.all(Array.from({ length: 8 }, () => userWith({ credits: 30, days: 3 }, { credits: 20, days: 30 })));
      const attempts = people.flatMap(({ u }) => Array.from({ length: 25 }, () => ({ u, promise: holdCredits(u, 3, {}, pool.db) })));
      const results = await Promise.allSettled(attempts.map((a) => a.promise));
      for (const { u } of people) {
        const mine = results.filter((_, i) => attempts[i].u === u);
        const won = mine.filter((r) => r.status === "fulfilled");
        expect(won).toHaveLength(16); // 16 x 3 = 48 of 50
        for (const lost of mine.filter((r) => r.status === "rejected")) {
          expect((lost as PromiseRejectedResult).reason).toMatchObject({ status: 402, required: 3 });
          expect((lost as PromiseRejectedResult).reason.balance).toBeLessThan(3);
        }
        expect(await creditsOf(u)).toMatchObject({ balance: 2, held: 48 });
      }
      await clean();
      // Every winner resolves, concurrently: half settle 2, half release.
      const holds = results.flatMap((r) => (r.status === "fulfilled" ? [r.value.hold] : []));
      await Promise.all(holds.map((h, i) => (i % 2 ? settleHold(h, 2, pool.db) : releaseHold(h, pool.db))));
      for (const { u } of people) expect(await creditsOf(u)).toMatchObject({ balance: 50 - 8 * 2, held: 0 });
      const negative = await getDb().select({ n: count() }).from(creditGrants).where(sql`${creditGrants.remaining} < 0`);
      expect(negative[0].n).toBe(0);
      await clean();
    } finally {
      await pool.close();
    }
  });

  it("settle racing release and the sweeper's expiry: exactly one applies per hold", async () => {
    const pool = openPostgres(testDb().url!, { max: 40 });
    try {
      const { u } = await userWith({ credits: 200 });
      const holds = [];
      for (let i = 0; i < 20; i++) holds.push((await holdCredits(u, 10)).hold);
      for (const h of holds) await lapseHold(h.id);
      const outcomes = await Promise.all(
        holds.map(async (h) => {
          const [settle, release] = await Promise.allSettled([settleHold(h, 7, pool.db), releaseHold(h, pool.db), expireHolds({}, pool.db)]);
          return { settle, release };
        }),
      );
      const rows = await getDb().select().from(creditHolds).where(eq(creditHolds.userUuid, u));
      let spent = 0;
      for (const [i, h] of holds.entries()) {
        const row = rows.find((r) => r.id === h.id)!;
        const { settle, release } = outcomes[i];
        const settleApplied = settle.status === "fulfilled" && settle.value.applied;
        const releaseApplied = release.status === "fulfilled" && release.value.applied;
        if (row.status === "settled") {
          spent += 7;
          expect(settleApplied).toBe(true);
          expect(releaseApplied).toBe(false);
          expect(release.status === "rejected" && release.reason).toBeInstanceOf(HoldResolvedError);
        } else {
          expect(["released", "expired"]).toContain(row.status);
          expect(settleApplied).toBe(false);
          expect(settle.status === "rejected" && settle.reason).toBeInstanceOf(HoldResolvedError);
          expect(releaseApplied).toBe(row.status === "released");
        }
      }
      const spends = await getDb().select().from(credits).where(and(eq(credits.userUuid, u), eq(credits.transType, "usage")));
      expect(spends.reduce((s, r) => s - r.credits, 0)).toBe(spent);
      expect(await creditsOf(u)).toMatchObject({ balance: 200 - spent, held: 0 });
      await clean();
    } finally {
      await pool.close();
    }
  });

  it("20 concurrent holds with one key reserve once", async () => {
    const pool = openPostgres(testDb().url!, { max: 25 });
    try {
      const { u } = await userWith({ credits: 30 });
      const results = await Promise.all(Array.from({ length: 20 }, () => holdCredits(u, 9, { key: "msg-42" }, pool.db)));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.hold.id)).size).toBe(1);
      expect(await creditsOf(u)).toMatchObject({ balance: 21, held: 9 });
      await clean();
    } finally {
      await pool.close();
    }
  });
});
