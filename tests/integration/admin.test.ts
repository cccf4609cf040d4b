// Operator console services (issue 17, item 1) on PGlite and PostgreSQL: grants and
// deducts through the ledger with an audit row each, no overdraft, disable/enable,
// lists and filters, the overview's figures, and an append-only audit log.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { and, count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, openPostgres } from "@/db";
import { adminAuditLog, credits, orders, tasks } from "@/db/schema";
import { BadRequestError, ConflictError, InsufficientCreditsError, NotFoundError } from "@/lib/http/errors";
import { listAudit, type AdminActor } from "@/services/admin/audit";
import { listAllOrders, listAllTasks } from "@/services/admin/lists";
import { getOverview } from "@/services/admin/overview";
import { adjustUserCredits, getUserDetail, searchUsers, setUserDisabled } from "@/services/admin/users";
import { getUserCredits, grantCredits } from "@/services/credits/ledger";
import { verifyLedger } from "@/services/credits/verify";
import { isSessionActive, sessionVersionForSignIn } from "@/services/accounts/sessions";
import { insertUser } from "../support/fixtures";
import { testDb } from "../support/setup-db";

const balanceOf = async (u: string) => (await getUserCredits(u)).balance;
const auditRows = async (targetId: string) =>
  getDb().select().from(adminAuditLog).where(eq(adminAuditLog.targetId, targetId)).orderBy(adminAuditLog.id);

async function newAdmin(): Promise<AdminActor> {
  const email = `admin-${crypto.randomUUID()}@example.com`;
  return { uuid: await insertUser(email), email };
}

describe("grant and deduct credits", () => {
  it("grants (system_add) and deducts (system_deduct) with the admin and reason in the ledger and the audit log", async () => {
    const admin = await newAdmin();
    const u = await insertUser();
    const grant = await adjustUserCredits(admin, u, { credits: 100, reason: "goodwill" });
    expect(grant).toMatchObject({ credits: 100, balanceBefore: 0, balanceAfter: 100 });
    const deduct = await adjustUserCredits(admin, u, { credits: -30, reason: "  abuse  " });
    expect(deduct).toMatchObject({ credits: -30, balanceBefore: 100, balanceAfter: 70 });
    expect(await balanceOf(u)).toBe(70);

    const ledger = await getDb().select().from(credits).where(eq(credits.userUuid, u)).orderBy(credits.id);
    expect(ledger.map((r) => [r.transType, r.credits, r.transNo])).toEqual([
      ["system_add", 100, grant.transNo],
      ["system_deduct", -30, deduct.transNo],
    ]);
    expect(ledger[0].reason).toBe(`goodwill (admin ${admin.email})`);
    expect(ledger[1].reason).toBe(`abuse (admin ${admin.email})`);

    const audit = await auditRows(u);
    expect(audit.map((r) => [r.action, r.adminUuid, r.adminEmail, r.targetType, r.reason])).toEqual([
      ["credits.grant", admin.uuid, admin.email, "user", "goodwill"],
      ["credits.deduct", admin.uuid, admin.email, "user", "abuse"],
    ]);
    expect(JSON.parse(audit[1].before!)).toEqual({ balance: 100 });
    expect(JSON.parse(audit[1].after!)).toEqual({ balance: 70, credits: -30, transNo: deduct.transNo });
    expect((await verifyLedger()).offences).toEqual([]);
  });

  it("refuses a deduct larger than the spendable balance: nothing written, no audit row", async () => {
    const admin = await newAdmin();
    const u = await insertUser();
    await adjustUserCredits(admin, u, { credits: 10, reason: "start" });
    await expect(adjustUserCredits(admin, u, { credits: -11, reason: "too much" })).rejects.toBeInstanceOf(InsufficientCreditsError);
    expect(await balanceOf(u)).toBe(10);
    expect((await getDb().select({ n: count() }).from(credits).where(eq(credits.userUuid, u)))[0].n).toBe(1);
    expect(await auditRows(u)).toHaveLength(1);
    expect((await verifyLedger()).offences).toEqual([]);
  });

  it("validates: reason required (1-500), credits a non-zero whole number, known user", async () => {
    const admin = await newAdmin();
    const u = await insertUser();
    const field = async (input: unknown) => {
      const e = await adjustUserCredits(admin, u, input).catch((x) => x);
      expect(e).toBeInstanceOf(BadRequestError);
      return (e as BadRequestError).field;
    };
    expect(await field({ credits: 5 })).toBe("reason");
    expect(await field({ credits: 5, reason: "   " })).toBe("reason");
    expect(await field({ credits: 5, reason: "x".repeat(501) })).toBe("reason");
    expect(await field({ credits: 0, reason: "r" })).toBe("credits");
    expect(await field({ credits: 1.5, reason: "r" })).toBe("credits");
    expect(await field({ credits: "5", reason: "r" })).toBe("credits");
    expect(await field({ credits: 10_000_001, reason: "r" })).toBe("credits");
    await expect(adjustUserCredits(admin, crypto.randomUUID(), { credits: 5, reason: "r" })).rejects.toBeInstanceOf(NotFoundError);
    expect(await balanceOf(u)).toBe(0);
    expect(await auditRows(u)).toHaveLength(0);
  });
});

describe("disable and enable", () => {
  it("disabling ends the user's sessions and sign-in; enabling allows sign-in again; both audited once", async () => {
    const admin = await newAdmin();
    const u = await insertUser();
    const claims = { uid: u, sid: crypto.randomUUID(), sv: (await sessionVersionForSignIn(u))! };
    expect(await isSessionActive(claims)).toBe(true);
    expect(await setUserDisabled(admin, u, true, { reason: "fraud" })).toMatchObject({ disabled: true, changed: true });
    expect(await isSessionActive(claims)).toBe(false);
    expect(await sessionVersionForSignIn(u)).toBeNull();
    expect((await setUserDisabled(admin, u, true)).changed).toBe(false);
    expect((await getUserDetail(u)).user.disabledAt).not.toBeNull();
    await setUserDisabled(admin, u, false);
    expect(await sessionVersionForSignIn(u)).not.toBeNull();
    expect(await isSessionActive(claims)).toBe(false); // old sessions stay ended
    const audit = await auditRows(u);
    expect(audit.map((r) => r.action)).toEqual(["user.disable", "user.enable"]);
    expect(audit[0].reason).toBe("fraud");
    expect(JSON.parse(audit[0].before!)).toEqual({ disabledAt: null });
  });

  it("an admin cannot disable their own account", async () => {
    const admin = await newAdmin();
    await expect(setUserDisabled(admin, admin.uuid, true)).rejects.toBeInstanceOf(ConflictError);
  });
});

describe("the audit log is append-only", () => {
  it("the database refuses UPDATE and DELETE", async () => {
    const admin = await newAdmin();
    const u = await insertUser();
    await adjustUserCredits(admin, u, { credits: 1, reason: "r" });
    await expect(getDb().update(adminAuditLog).set({ reason: "changed" }).where(eq(adminAuditLog.targetId, u))).rejects.toThrow();
    await expect(getDb().delete(adminAuditLog).where(eq(adminAuditLog.targetId, u))).rejects.toThrow();
    expect((await auditRows(u))[0].reason).toBe("r");
    const page = await listAudit({ pageSize: 100 });
    expect(page.items.find((i) => i.targetId === u)).toMatchObject({ action: "credits.grant", adminEmail: admin.email, after: { balance: 1 } });
  });
});

describe("lists, search and overview", () => {
  it("searches users by a part of the email (wildcards literal), paged", async () => {
    const tag = crypto.randomUUID().slice(0, 8);
    for (let i = 0; i < 3; i++) await insertUser(`find-${tag}-${i}@example.com`);
    await insertUser(`other_${tag}@example.com`);
    const page1 = await searchUsers({ q: `FIND-${tag}`, pageSize: 2 });
    expect(page1.items).toHaveLength(2);
    expect(page1.hasMore).toBe(true);
    expect((await searchUsers({ q: `find-${tag}`, page: 2, pageSize: 2 })).items).toHaveLength(1);
    expect((await searchUsers({ q: `%${tag}` })).items).toHaveLength(0);
    expect((await searchUsers({ q: `r_${tag}` })).items.map((u) => u.email)).toEqual([`other_${tag}@example.com`]);
  });

  it("filters orders and tasks by the schema's values; 400 naming the field otherwise", async () => {
    const u = await insertUser();
    await getDb().insert(orders).values([
      { orderNo: `o-${u}-1`, userUuid: u, credits: 10, amount: 100, currency: "usd", status: "paid", paidAt: new Date() },
      { orderNo: `o-${u}-2`, userUuid: u, credits: 10, amount: 100, currency: "usd", status: "created" },
    ]);
    await getDb().insert(tasks).values([
      { uuid: `t-${u}-1`, userUuid: u, type: "text_to_video", status: "failed", creditsUsed: 5, userInput: "{}", provider: "mock", errorMessage: "boom", outputJson: '{"error":"raw"}', refundTransNo: "refund:x" },
      { uuid: `t-${u}-2`, userUuid: u, type: "text_to_video", status: "succeeded", creditsUsed: 5, userInput: "{}", provider: "replicate" },
    ]);
    const paid = await listAllOrders({ status: "paid", pageSize: 100 });
    expect(paid.items.every((o) => o.status === "paid")).toBe(true);
    expect(paid.items.find((o) => o.orderNo === `o-${u}-1`)?.userUuid).toBe(u);
    const failed = await listAllTasks({ status: "failed", provider: "mock", pageSize: 100 });
    expect(failed.items.find((t) => t.uuid === `t-${u}-1`)).toMatchObject({ errorMessage: "boom", outputJson: '{"error":"raw"}', refundTransNo: "refund:x" });
    expect(failed.items.some((t) => t.uuid === `t-${u}-2`)).toBe(false);
    const field = async (p: Promise<unknown>) => ((await p.catch((e) => e)) as BadRequestError).field;
    expect(await field(listAllOrders({ status: "bogus" }))).toBe("status");
    expect(await field(listAllTasks({ status: "done" }))).toBe("status");
    expect(await field(listAllTasks({ provider: "x y" }))).toBe("provider");
    expect(await field(listAllTasks({ page: 0 }))).toBe("page");
  });

  it("overview: users, paying users, revenue by day, credits, tasks and failure rate", async () => {
    const before = await getOverview();
    const admin = await newAdmin();
    const u = await insertUser();
    await grantCredits({ userUuid: u, credits: 50, transType: "system_add" });
    await adjustUserCredits(admin, u, { credits: -20, reason: "r" });
    await getDb().insert(orders).values({ orderNo: `ov-${u}`, userUuid: u, credits: 10, amount: 500, currency: "usd", status: "paid", paidAt: new Date() });
    await getDb().insert(tasks).values({ uuid: `ov-${u}`, userUuid: u, type: "ov_type", status: "failed", creditsUsed: 1, userInput: "{}", provider: "mock" });
    const after = await getOverview();
    expect(after.users - before.users).toBe(2);
    expect(after.payingUsers - before.payingUsers).toBe(1);
    expect(after.revenueByDay.length).toBeGreaterThanOrEqual(30);
    const today = new Date().toISOString().slice(0, 10);
    const todayUsd = (o: typeof after) => o.revenueByDay.find((d) => d.day === today && d.currency === "usd")?.amount ?? 0;
    expect(todayUsd(after) - todayUsd(before)).toBe(500);
    expect(after.credits.granted - before.credits.granted).toBe(50);
    expect(after.credits.spent - before.credits.spent).toBe(20);
    expect(after.credits.outstanding - before.credits.outstanding).toBe(30);
    expect(after.tasks.byType.find((t) => t.type === "ov_type")).toEqual({ type: "ov_type", total: 1, failed: 1 });
    expect(after.tasks.byStatus.failed - (before.tasks.byStatus.failed ?? 0)).toBe(1);
    expect(after.tasks.failureRate).toBeCloseTo(after.tasks.failed / after.tasks.finished);
  });

  it("user detail: balance, grants, ledger, tasks, orders; 404 for an unknown user", async () => {
    const admin = await newAdmin();
    const u = await insertUser();
    await adjustUserCredits(admin, u, { credits: 40, reason: "r" });
    const d = await getUserDetail(u);
    expect(d.balance).toBe(40);
    expect(d.grants).toHaveLength(1);
    expect(d.ledger[0]).toMatchObject({ transType: "system_add", credits: 40 });
    expect(d.user.disabledAt).toBeNull();
    await expect(getUserDetail(crypto.randomUUID())).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe.runIf(process.env.TEST_DB_KIND === "postgres")("concurrency on PostgreSQL", () => {
  it("20 concurrent deducts of 10 against a balance of 100: exactly 10 succeed, never overdrawn", async () => {
    const pool = openPostgres(testDb().url!, { max: 25 });
    try {
      const admin = await newAdmin();
      const u = await insertUser();
      await adjustUserCredits(admin, u, { credits: 100, reason: "start" });
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, () => adjustUserCredits(admin, u, { credits: -10, reason: "concurrent" }, pool.db)),
      );
      const won = results.filter((r) => r.status === "fulfilled");
      const lost = results.filter((r) => r.status === "rejected");
      expect(won).toHaveLength(10);
      for (const l of lost) expect((l as PromiseRejectedResult).reason).toBeInstanceOf(InsufficientCreditsError);
      expect(await balanceOf(u)).toBe(0);
      const deducts = await getDb()
        .select({ n: count() })
        .from(adminAuditLog)
        .where(and(eq(adminAuditLog.targetId, u), eq(adminAuditLog.action, "credits.deduct")));
      expect(deducts[0].n).toBe(10);
      expect((await verifyLedger()).offences).toEqual([]);
      // The operator's checker, run as the operator runs it, agrees.
      const verify = await promisify(execFile)("npm", ["run", "-s", "credits:verify"], { env: { ...process.env, DATABASE_URL: testDb().url } });
      expect(verify.stdout).toContain("ledger consistent");
    } finally {
      await pool.close();
    }
  });
});
