import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { count, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, openPostgres } from "@/db";
import { creditGrants, credits } from "@/db/schema";
import { InsufficientCreditsError } from "@/lib/http/errors";
import {
  InvalidCreditAmountError,
  NotASpendError,
  UnknownTransactionError,
  UnknownUserError,
  decreaseCredits,
  deductCredits,
  expireCredits,
  getUserCredits,
  grantCredits,
  listCredits,
  refundCredits,
  revokeGrantCredits,
  revokeOrderCredits,
} from "@/services/credits/ledger";
import { verifyLedger } from "@/services/credits/verify";
import { insertUser } from "../support/fixtures";
import { testDb } from "../support/setup-db";

const DAY = 24 * 60 * 60 * 1000;
const inDays = (d: number) => new Date(Date.now() + d * DAY);
const balanceOf = async (u: string) => (await getUserCredits(u)).balance;
const ledgerRows = async () => (await getDb().select({ n: count() }).from(credits))[0].n;
const remainingOf = async (transNo: string) =>
  (await getDb().select({ r: creditGrants.remaining }).from(creditGrants).where(eq(creditGrants.transNo, transNo)))[0].r;

/** Moves a grant's expiry into the past, as if time had passed. */
async function lapse(transNo: string) {
  await getDb().execute(sql`UPDATE credit_grants SET expired_at = now() - interval '1 hour' WHERE trans_no = ${transNo}`);
}

describe("grants and balance", () => {
  it("grants credits and reports balance and next expiry", async () => {
    const u = await insertUser();
    await grantCredits({ userUuid: u, credits: 30, transType: "system_add", validityDays: 10 });
    await grantCredits({ userUuid: u, credits: 20, transType: "system_add", expiresAt: inDays(5) });
    await grantCredits({ userUuid: u, credits: 7, transType: "system_add" });
    const c = await getUserCredits(u);
    expect(c.balance).toBe(57);
    expect(c.nextExpiry?.credits).toBe(20);
    expect(Math.abs(new Date(c.nextExpiry!.expiresAt).getTime() - inDays(5).getTime())).toBeLessThan(5000);
  });

  it("a keyed grant replayed grants nothing", async () => {
    const u = await insertUser();
    const first = await grantCredits({ userUuid: u, credits: 50, transType: "new_user", validityDays: 30, key: `new_user:${u}` });
    const again = await grantCredits({ userUuid: u, credits: 50, transType: "new_user", validityDays: 30, key: `new_user:${u}` });
    expect(first).toEqual({ transNo: `new_user:${u}`, granted: true });
    expect(again).toEqual({ transNo: `new_user:${u}`, granted: false });
    expect(await balanceOf(u)).toBe(50);
  });

  it("a user with nothing has balance 0 and no expiry", async () => {
    const u = await insertUser();
    expect(await getUserCredits(u)).toEqual({ balance: 0, held: 0, nextExpiry: null });
  });
});

describe("spending", () => {
  it("burns the grant that expires first, then the oldest, never-expiring last", async () => {
    const u = await insertUser();
    const never = (await grantCredits({ userUuid: u, credits: 10, transType: "system_add" })).transNo;
    const late = (await grantCredits({ userUuid: u, credits: 10, transType: "system_add", expiresAt: inDays(20) })).transNo;
    const soon = (await grantCredits({ userUuid: u, credits: 10, transType: "system_add", expiresAt: inDays(5) })).transNo;
    await decreaseCredits({ userUuid: u, credits: 15, transType: "task_text_to_video" });
    expect(await remainingOf(soon)).toBe(0);
    expect(await remainingOf(late)).toBe(5);
    expect(await remainingOf(never)).toBe(10);
    await decreaseCredits({ userUuid: u, credits: 8, transType: "task_text_to_video" });
    expect(await remainingOf(late)).toBe(0);
    expect(await remainingOf(never)).toBe(7);
  });

  it("among grants with the same expiry, the oldest goes first", async () => {
    const u = await insertUser();
    const at = inDays(9);
    const older = (await grantCredits({ userUuid: u, credits: 5, transType: "system_add", expiresAt: at })).transNo;
    const newer = (await grantCredits({ userUuid: u, credits: 5, transType: "system_add", expiresAt: at })).transNo;
    await decreaseCredits({ userUuid: u, credits: 3, transType: "task_text_to_video" });
    expect(await remainingOf(older)).toBe(2);
    expect(await remainingOf(newer)).toBe(5);
  });

  it("never spends expired credits", async () => {
    const u = await insertUser();
    const old = (await grantCredits({ userUuid: u, credits: 100, transType: "system_add", validityDays: 1 })).transNo;
    await grantCredits({ userUuid: u, credits: 5, transType: "system_add", validityDays: 10 });
    await lapse(old);
    expect(await balanceOf(u)).toBe(5);
    const err = await decreaseCredits({ userUuid: u, credits: 6, transType: "task_text_to_video" }).catch((e) => e);
    expect(err).toBeInstanceOf(InsufficientCreditsError);
    expect(err.balance).toBe(5);
    expect(await remainingOf(old)).toBe(100);
  });

  it("throws InsufficientCredits with the balance and writes nothing", async () => {
    const u = await insertUser();
    await grantCredits({ userUuid: u, credits: 3, transType: "system_add" });
    const before = await ledgerRows();
    const err = await decreaseCredits({ userUuid: u, credits: 4, transType: "task_text_to_video" }).catch((e) => e);
    expect(err).toBeInstanceOf(InsufficientCreditsError);
    expect(err).toMatchObject({ balance: 3, required: 4, status: 402 });
    expect(await ledgerRows()).toBe(before);
    expect(await balanceOf(u)).toBe(3);
  });

  it("deductCredits answers true when taken and false when the balance is short", async () => {
    const u = await insertUser();
    await grantCredits({ userUuid: u, credits: 10, transType: "system_add" });
    expect(await deductCredits(u, 6)).toBe(true);
    expect(await deductCredits(u, 6)).toBe(false);
    expect(await balanceOf(u)).toBe(4);
  });

  it("a refused debit inside the caller's transaction leaves that transaction usable", async () => {
    const u = await insertUser();
    await grantCredits({ userUuid: u, credits: 10, transType: "system_add" });
    await getDb().transaction(async (tx) => {
      expect(await deductCredits(u, 11, tx)).toBe(false);
      expect(await deductCredits(u, 4, tx)).toBe(true);
    });
    expect(await balanceOf(u)).toBe(6);
  });
});

describe("refunds, revocation and expiry", () => {
  it("a refund restores exactly what the spend took, to the same grants, once", async () => {
    const u = await insertUser();
    const a = (await grantCredits({ userUuid: u, credits: 4, transType: "system_add", expiresAt: inDays(2) })).transNo;
    const b = (await grantCredits({ userUuid: u, credits: 10, transType: "system_add", expiresAt: inDays(9) })).transNo;
    const spend = await decreaseCredits({ userUuid: u, credits: 6, transType: "task_text_to_video" });
    expect([await remainingOf(a), await remainingOf(b)]).toEqual([0, 8]);
    const r1 = await refundCredits({ transNo: spend });
    expect(r1).toEqual({ transNo: `refund:${spend}`, credits: 6, refunded: true });
    expect([await remainingOf(a), await remainingOf(b)]).toEqual([4, 10]);
    const r2 = await refundCredits({ transNo: spend });
    expect(r2.refunded).toBe(false);
    expect(await balanceOf(u)).toBe(14);
  });

  it("credits refunded to a lapsed grant expire again at once", async () => {
    const u = await insertUser();
    const a = (await grantCredits({ userUuid: u, credits: 10, transType: "system_add", validityDays: 1 })).transNo;
    const spend = await decreaseCredits({ userUuid: u, credits: 10, transType: "task_text_to_video" });
    await lapse(a);
    await refundCredits({ transNo: spend });
    expect(await balanceOf(u)).toBe(0);
    expect(await remainingOf(a)).toBe(0);
    expect((await verifyLedger()).offences).toEqual([]);
  });

  it("refusing to refund unknown transactions and non-spends, writing nothing", async () => {
    const u = await insertUser();
    const g = (await grantCredits({ userUuid: u, credits: 10, transType: "system_add" })).transNo;
    const before = await ledgerRows();
    await expect(refundCredits({ transNo: "nope" })).rejects.toBeInstanceOf(UnknownTransactionError);
    await expect(refundCredits({ transNo: g })).rejects.toBeInstanceOf(NotASpendError);
    const spend = await decreaseCredits({ userUuid: u, credits: 2, transType: "task_text_to_video" });
    const refund = await refundCredits({ transNo: spend });
    await expect(refundCredits({ transNo: refund.transNo })).rejects.toBeInstanceOf(NotASpendError);
    expect(await ledgerRows()).toBe(before + 2);
  });

  it("expireCredits writes one expire row per lapsed grant with credits left, once", async () => {
    const u = await insertUser();
    const a = (await grantCredits({ userUuid: u, credits: 10, transType: "system_add", validityDays: 1 })).transNo;
    const b = (await grantCredits({ userUuid: u, credits: 5, transType: "system_add", validityDays: 1 })).transNo;
    await grantCredits({ userUuid: u, credits: 3, transType: "system_add", validityDays: 5 });
    await decreaseCredits({ userUuid: u, credits: 5, transType: "task_text_to_video" }); // a expires a moment before b
    await lapse(a);
    await lapse(b);
    await expireCredits(); // other tests' lapsed grants are expired here too
    const second = await expireCredits();
    expect(second).toEqual({ grants: 0, credits: 0 });
    const expires = await getDb().select().from(credits).where(eq(credits.transType, "expire"));
    expect(expires.filter((r) => r.userUuid === u).map((r) => [r.refTransNo, r.credits]).sort()).toEqual(
      [[a, -5], [b, -5]].sort(),
    );
    expect(await balanceOf(u)).toBe(3);
    expect((await verifyLedger()).offences).toEqual([]);
  });

  it("revoking an order takes back only the unspent part, once", async () => {
    const u = await insertUser();
    await grantCredits({ userUuid: u, credits: 100, transType: "order_pay", validityDays: 365, orderNo: "ord_1", key: "order_pay:ord_1" });
    await decreaseCredits({ userUuid: u, credits: 30, transType: "task_text_to_video" });
    expect(await revokeOrderCredits({ orderNo: "ord_1" })).toMatchObject({ credits: 70 });
    expect(await revokeOrderCredits({ orderNo: "ord_1" })).toMatchObject({ credits: 70 });
    expect(await balanceOf(u)).toBe(0);
    expect(await revokeOrderCredits({ orderNo: "unknown" })).toEqual({ transNo: null, credits: 0 });
    expect((await verifyLedger()).offences).toEqual([]);
  });

  it("credits:verify names a grant that lost more to refunds and disputes than they claim", async () => {
    const u = await insertUser();
    await grantCredits({ userUuid: u, credits: 100, transType: "order_pay", validityDays: 365, orderNo: "ord_claim", key: "order_pay:ord_claim" });
    await revokeGrantCredits({ grantTransNo: "order_pay:ord_claim", transType: "order_refund", key: "order_refund:ch_claim:300", total: 30 });
    expect((await verifyLedger()).offences).toEqual([]);
    await getDb().update(creditGrants).set({ revokeTarget: 20 }).where(eq(creditGrants.transNo, "order_pay:ord_claim"));
    expect((await verifyLedger()).offences).toEqual([
      { check: "revocations stay within their claim", userUuid: u, detail: "grant order_pay:ord_claim: 30 taken back, claim 20" },
    ]);
    await getDb().update(creditGrants).set({ revokeTarget: 30 }).where(eq(creditGrants.transNo, "order_pay:ord_claim"));
  });
});

describe("bad input", () => {
  it.each([0, -5, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 10_000_001, "5" as unknown as number])(
    "rejects amount %s with a typed error and writes nothing",
    async (amount) => {
      const u = await insertUser();
      await grantCredits({ userUuid: u, credits: 10, transType: "system_add" });
      const before = await ledgerRows();
      await expect(grantCredits({ userUuid: u, credits: amount, transType: "system_add" })).rejects.toBeInstanceOf(InvalidCreditAmountError);
      await expect(decreaseCredits({ userUuid: u, credits: amount, transType: "task_text_to_video" })).rejects.toBeInstanceOf(
        InvalidCreditAmountError,
      );
      expect(await ledgerRows()).toBe(before);
    },
  );

  it("rejects an unknown user, a past expiry and an internal trans_type", async () => {
    const before = await ledgerRows();
    await expect(grantCredits({ userUuid: "no-such-user", credits: 5, transType: "system_add" })).rejects.toBeInstanceOf(UnknownUserError);
    await expect(decreaseCredits({ userUuid: "no-such-user", credits: 5, transType: "x_y" })).rejects.toBeInstanceOf(UnknownUserError);
    const u = await insertUser();
    await expect(grantCredits({ userUuid: u, credits: 5, transType: "system_add", expiresAt: new Date(Date.now() - 1000) })).rejects.toThrow(
      /expiresAt/,
    );
    await expect(grantCredits({ userUuid: u, credits: 5, transType: "refund" })).rejects.toThrow(/transType/);
    await expect(grantCredits({ userUuid: u, credits: 5, transType: "system_add", validityDays: 0 })).rejects.toThrow(/validityDays/);
    expect(await ledgerRows()).toBe(before);
  });
});

describe("history and verification", () => {
  it("lists the ledger newest first, paged", async () => {
    const u = await insertUser();
    for (let i = 1; i <= 5; i++) await grantCredits({ userUuid: u, credits: i, transType: "system_add" });
    const p1 = await listCredits(u, { page: 1, pageSize: 2 });
    expect(p1.items.map((r) => r.credits)).toEqual([5, 4]);
    expect(p1.hasMore).toBe(true);
    const p3 = await listCredits(u, { page: 3, pageSize: 2 });
    expect(p3.items.map((r) => r.credits)).toEqual([1]);
    expect(p3.hasMore).toBe(false);
    await expect(listCredits(u, { page: 0 })).rejects.toThrow(/page/);
  });

  it("the checker finds a tampered ledger", async () => {
    const u = await insertUser();
    const g = (await grantCredits({ userUuid: u, credits: 10, transType: "system_add" })).transNo;
    expect((await verifyLedger()).offences).toEqual([]);
    await getDb().execute(sql`UPDATE credit_grants SET remaining = 9 WHERE trans_no = ${g}`);
    const { offences } = await verifyLedger();
    expect(offences.length).toBeGreaterThan(0);
    expect(offences.every((o) => o.userUuid === u)).toBe(true);
    await getDb().execute(sql`UPDATE credit_grants SET remaining = 10 WHERE trans_no = ${g}`);
  });
});

// Real concurrency needs a real server: every spend below runs on its own connection.
describe.runIf(process.env.TEST_DB_KIND === "postgres")("concurrency on PostgreSQL", () => {
  it("200 concurrent spends of 1 against a balance of 50: exactly 50 win", async () => {
    const pool = openPostgres(testDb().url!, { max: 60 });
    try {
      const u = await insertUser();
      await grantCredits({ userUuid: u, credits: 30, transType: "system_add", validityDays: 3 });
      await grantCredits({ userUuid: u, credits: 20, transType: "system_add", validityDays: 30 });
      const results = await Promise.allSettled(
        Array.from({ length: 200 }, () => decreaseCredits({ userUuid: u, credits: 1, transType: "task_text_to_video" }, pool.db)),
      );
      const won = results.filter((r) => r.status === "fulfilled");
      const lost = results.filter((r) => r.status === "rejected");
      expect(won).toHaveLength(50);
      expect(lost).toHaveLength(150);
      for (const l of lost) expect((l as PromiseRejectedResult).reason).toBeInstanceOf(InsufficientCreditsError);
      expect(await balanceOf(u)).toBe(0);
      expect((await verifyLedger()).offences).toEqual([]);
      // And the operator's checker, run as the operator runs it, agrees.
      const verify = await promisify(execFile)("npm", ["run", "-s", "credits:verify"], {
        env: { ...process.env, DATABASE_URL: testDb().url },
      });
      expect(verify.stdout).toContain("ledger consistent");
    } finally {
      await pool.close();
    }
  });

  it("concurrent refunds of one spend and concurrent keyed grants each apply once", async () => {
    const pool = openPostgres(testDb().url!, { max: 30 });
    try {
      const u = await insertUser();
      const grants = await Promise.all(
        Array.from({ length: 20 }, () => grantCredits({ userUuid: u, credits: 40, transType: "new_user", validityDays: 30, key: `new_user:${u}` }, pool.db)),
      );
      expect(grants.filter((g) => g.granted)).toHaveLength(1);
      const spend = await decreaseCredits({ userUuid: u, credits: 25, transType: "task_text_to_video" }, pool.db);
      const refunds = await Promise.all(Array.from({ length: 20 }, () => refundCredits({ transNo: spend }, pool.db)));
      expect(refunds.filter((r) => r.refunded)).toHaveLength(1);
      expect(await balanceOf(u)).toBe(40);
      expect((await verifyLedger()).offences).toEqual([]);
    } finally {
      await pool.close();
    }
  });
});
