// The payment operator commands, run as an operator runs them (`npm run ...` in a child
// process) against the app's database (a PGlite data folder, or DATABASE_URL) and the
// fake Stripe server.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPglite, type Database } from "@/db";
import { orders } from "@/db/schema";
import { createCreditsCheckout } from "@/services/payments";
import { insertUser } from "../support/fixtures";
import { testDb } from "../support/setup-db";
import { stripeScenario } from "../support/stripe-scenario";

const run = promisify(execFile);
const s = stripeScenario();

describe("stripe:reconcile and orders:review", () => {
  let env: NodeJS.ProcessEnv;
  let tmp: string | undefined;

  async function withDb<T>(fn: (db: Database["db"]) => Promise<T>): Promise<T> {
    if (testDb().kind === "postgres") return fn(testDb().database.db);
    const scratch = openPglite(path.join(tmp!, "db"));
    try {
      return await fn(scratch.db);
    } finally {
      await scratch.close();
      fs.rmSync(path.join(tmp!, "db.pid"), { force: true });
    }
  }

  beforeAll(async () => {
    const base = { ...process.env, ...s.stripe.appEnv, APP_URL: "https://app.example.com" };
    if (testDb().kind === "postgres") {
      env = { ...base, DATABASE_URL: testDb().url };
    } else {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), "payments-scripts-"));
      env = { ...base, DATABASE_URL: "", PGLITE_DATA_DIR: path.join(tmp, "db") };
      await run("npm", ["run", "-s", "db:migrate"], { env });
    }
  });
  afterAll(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const npm = (...args: string[]) => run("npm", ["run", "-s", ...args], { env });

  it("stripe:reconcile fulfils a paid session the webhook missed, once; orders:review lists parked orders", async () => {
    const { orderNo, sessionId, parked } = await withDb(async (db) => {
      const email = `script-${crypto.randomUUID()}@example.com`;
      const user = { uuid: await insertUser(email, db), email };
      const missed = await createCreditsCheckout({ user, request: { quantity: 100 } }, db);
      const other = await createCreditsCheckout({ user, request: { quantity: 50 } }, db);
      await db.update(orders).set({ status: "needs_review", reviewReason: "amount 1 != 500" }).where(eq(orders.orderNo, other.orderNo));
      return { orderNo: missed.orderNo, sessionId: missed.sessionId, parked: other.orderNo };
    });
    await s.stripe.pay(sessionId);

    const first = await npm("stripe:reconcile", "--", "--days", "2");
    expect(first.stdout).toContain(`FULFILLED     ${orderNo}`);
    const again = await npm("stripe:reconcile");
    expect(again.stdout).not.toContain("FULFILLED");
    await expect(npm("stripe:reconcile", "--", "--days", "0")).rejects.toMatchObject({ code: 2 });
    expect(await withDb(async (db) => (await db.select().from(orders).where(eq(orders.orderNo, orderNo)))[0].status)).toBe("paid");

    const review = await npm("orders:review");
    expect(review.stdout).toContain(parked);
    expect(review.stdout).toContain('reason="amount 1 != 500"');
    expect(review.stdout.trim().split("\n").at(-1)).toMatch(/^\d+ order\(s\) need review$/);
  }, 300_000); // five child processes (tsx) on a loaded machine
});
