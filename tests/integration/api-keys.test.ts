// API keys at the service level: creation (secret once, hash only), authentication (one
// 401 for every bad key, disabled/deleted accounts), revocation (operator: audited), and
// the monthly cap checked in the task's creation statement: 20 concurrent tasks never
// overspend it on PostgreSQL.
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, openPostgres } from "@/db";
import { adminAuditLog, apiKeys, tasks } from "@/db/schema";
import { UnauthorizedError, BadRequestError } from "@/lib/http/errors";
import { disableUser } from "@/services/accounts/sessions";
import { adminRevokeApiKey } from "@/services/admin/api-keys";
import { ApiKeyCapReachedError, authenticateApiKey, createApiKey, hashApiKey, holdCreditsAs, listApiKeys, revokeApiKey } from "@/services/api-keys";
import { releaseHold, settleHold } from "@/services/credits/holds";
import { verifyLedger } from "@/services/credits/verify";
import { createTask, failTask } from "@/services/tasks";
import { textToImage } from "@/tasks/text-to-image";
import { testDb } from "../support/setup-db";
import { startFakeProvider, type FakeProvider } from "../support/fake-provider";
import { balanceOf, collector, userWith } from "../support/task-helpers";

const isPostgres = process.env.TEST_DB_KIND === "postgres";
const input = { prompt: "A lighthouse at dusk", size: "512x512" };
let fake: FakeProvider;
let cost = 0;

beforeAll(async () => {
  fake = await startFakeProvider();
  cost = textToImage.cost(textToImage.input.parse(input), {});
});
afterAll(() => fake.close());

async function expectUnauthorized(secret: string) {
  await expect(authenticateApiKey(secret)).rejects.toBeInstanceOf(UnauthorizedError);
}

describe("API keys", () => {
  it("creates a key shown once, stored as its hash, with a scannable prefix", async () => {
    const u = await userWith(0);
    const { key, apiKey } = await createApiKey(u, { name: "  CI  ", monthlyCreditCap: 100 });
    expect(key).toMatch(/^sk_(live|test)_[A-Za-z0-9_-]{43}$/);
    expect(apiKey).toMatchObject({ name: "CI", prefix: key.slice(0, 14), status: "active", monthlyCreditCap: 100, spentThisMonth: 0, lastUsedAt: null });
    const [row] = await getDb().select().from(apiKeys).where(eq(apiKeys.id, apiKey.id));
    expect(row.keyHash).toBe(hashApiKey(key));
    expect(JSON.stringify(row)).not.toContain(key);
    expect((await listApiKeys(u)).map((k) => k.id)).toEqual([apiKey.id]);
    expect(await authenticateApiKey(key)).toMatchObject({ uuid: u, apiKeyId: apiKey.id });
  });

  it("refuses bad input naming the field", async () => {
    const u = await userWith(0);
    await expect(createApiKey(u, { name: "" })).rejects.toMatchObject({ field: "name" });
    await expect(createApiKey(u, { name: "x", expiresAt: "2001-01-01T00:00:00Z" })).rejects.toMatchObject({ field: "expiresAt" });
    await expect(createApiKey(u, { name: "x", monthlyCreditCap: 0 })).rejects.toBeInstanceOf(BadRequestError);
    expect(await listApiKeys(u)).toEqual([]);
  });

  it("one 401 for malformed, unknown, revoked and expired keys and for disabled accounts", async () => {
    const u = await userWith(0);
    const { key, apiKey } = await createApiKey(u, { name: "a" });
    await expectUnauthorized("");
    await expectUnauthorized("sk_live_short");
    await expectUnauthorized(`sk_test_${"A".repeat(43)}`);
    await revokeApiKey(apiKey.id, u);
    await expectUnauthorized(key);
    expect((await listApiKeys(u))[0].status).toBe("revoked");

    const soon = await createApiKey(u, { name: "b", expiresAt: new Date(Date.now() + 1500).toISOString() });
    await authenticateApiKey(soon.key);
    await new Promise((r) => setTimeout(r, 1600));
    await expectUnauthorized(soon.key);

    const other = await userWith(0);
    const live = await createApiKey(other, { name: "c" });
    await authenticateApiKey(live.key);
    await disableUser(other);
    await expectUnauthorized(live.key);
  });

  it("another user's key cannot be revoked by them (404); the operator's revocation is audited", async () => {
    const u = await userWith(0);
    const { apiKey } = await createApiKey(u, { name: "a" });
    const stranger = await userWith(0);
    await expect(revokeApiKey(apiKey.id, stranger)).rejects.toMatchObject({ status: 404 });
    const admin = { uuid: stranger, email: "ops@example.com" };
    const first = await adminRevokeApiKey(admin, apiKey.id, { reason: "leaked" });
    const again = await adminRevokeApiKey(admin, apiKey.id, {});
    expect([first.changed, again.changed]).toEqual([true, false]);
    const audit = await getDb().select().from(adminAuditLog).where(eq(adminAuditLog.targetId, apiKey.id));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "api_key.revoke", targetType: "api_key", reason: "leaked" });
  });

  it("the monthly cap counts the key's tasks, not refunded ones, and refuses past it (402, nothing charged)", async () => {
    const u = await userWith(1000);
    const { apiKey } = await createApiKey(u, { name: "capped", monthlyCreditCap: cost * 2 });
    const bg = collector();
    const create = () => createTask(textToImage, { userUuid: u, apiKeyId: apiKey.id, input }, { background: bg.background });
    const first = await create();
    await create();
    const before = await balanceOf(u);
    await expect(create()).rejects.toBeInstanceOf(ApiKeyCapReachedError);
    expect(await balanceOf(u)).toBe(before);
    expect((await listApiKeys(u))[0].spentThisMonth).toBe(cost * 2);
    // A browser session is not capped by the key.
    await createTask(textToImage, { userUuid: u, input }, { background: bg.background });
    // A failed (refunded) task gives its room back.
    await bg.settle();
    await failTask(first.task.uuid, "test");
    expect((await listApiKeys(u))[0].spentThisMonth).toBe(cost);
    await create();
    // A key revoked meanwhile charges nothing.
    await revokeApiKey(apiKey.id, u);
    await expect(create()).rejects.toBeInstanceOf(UnauthorizedError);
    await bg.settle();
    expect((await verifyLedger()).offences).toEqual([]);
  });

  it.runIf(isPostgres)("20 concurrent tasks never overspend the cap (PostgreSQL)", async () => {
    const pool = openPostgres(testDb().url!, { max: 25 });
    try {
      const u = await userWith(10_000);
      const capTasks = 7;
      const { apiKey } = await createApiKey(u, { name: "race", monthlyCreditCap: cost * capTasks + cost - 1 });
      const bg = collector();
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, () => createTask(textToImage, { userUuid: u, apiKeyId: apiKey.id, input }, { db: pool.db, background: bg.background })),
      );
      await bg.settle();
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(capTasks);
      for (const r of results.filter((r) => r.status === "rejected")) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ApiKeyCapReachedError);
      const [{ n }] = await getDb().select({ n: sql<number>`count(*)::int` }).from(tasks).where(eq(tasks.apiKeyId, apiKey.id));
      expect(n).toBe(capTasks);
      expect(await balanceOf(u)).toBe(10_000 - cost * capTasks);
      expect((await listApiKeys(u))[0].spentThisMonth).toBe(cost * capTasks);
    } finally {
      await pool.close();
    }
  });

  it("a hold made with a key outside a task (a chat reply) counts against its cap: held, then what it settled", async () => {
    const u = await userWith(1000);
    const { apiKey } = await createApiKey(u, { name: "chat", monthlyCreditCap: 10 });
    const hold = (credits: number) => holdCreditsAs(apiKey.id, u, credits, { reason: "chat reply" }).then((r) => r.hold);
    const first = await hold(6);
    const before = await balanceOf(u);
    await expect(hold(6)).rejects.toBeInstanceOf(ApiKeyCapReachedError);
    expect(await balanceOf(u)).toBe(before);
    expect((await listApiKeys(u))[0].spentThisMonth).toBe(6);
    await settleHold(first, 2);
    expect((await listApiKeys(u))[0].spentThisMonth).toBe(2);
    const second = await hold(8);
    await releaseHold(second);
    expect((await listApiKeys(u))[0].spentThisMonth).toBe(2);
    // A session's hold is not the key's.
    await holdCreditsAs(null, u, 50, {});
    expect((await listApiKeys(u))[0].spentThisMonth).toBe(2);
    expect((await verifyLedger()).offences).toEqual([]);
  });

  it.runIf(isPostgres)("20 concurrent holds of one key never pass its cap (PostgreSQL)", async () => {
    const pool = openPostgres(testDb().url!, { max: 25 });
    try {
      const u = await userWith(10_000);
      const { apiKey } = await createApiKey(u, { name: "race-holds", monthlyCreditCap: 20 });
      const results = await Promise.allSettled(Array.from({ length: 20 }, () => holdCreditsAs(apiKey.id, u, 3, { reason: "chat reply" }, pool.db)));
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(6);
      for (const r of results.filter((r) => r.status === "rejected")) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ApiKeyCapReachedError);
      expect((await listApiKeys(u))[0].spentThisMonth).toBe(18);
      expect(await balanceOf(u)).toBe(10_000 - 18);
    } finally {
      await pool.close();
    }
  });
});
