// The payment operator commands, run as an operator runs them (`npm run ...` in a child
// process) against the app's database (a PGlite data folder, or DATABASE_URL) and the
// fake Stripe server.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { orders } from "@/db/schema";
import { createCreditsCheckout } from "@/services/payments";
import { insertUser } from "../support/fixtures";
import { useOperatorCommands } from "../support/operator-commands";
import { stripeScenario } from "../support/stripe-scenario";

const s = stripeScenario();

describe("stripe:reconcile and orders:review", () => {
  const { npm, withDb } = useOperatorCommands({ env: () => ({ ...s.stripe.appEnv, APP_URL: "https://app.example.com" }) });

  it("stripe:reconcile fulfils a paid session the webhook missed, once; orders:review lists parked orders", async () => {
    const { orderNo, sessionId, parked } = await withDb(async (db) => {
      const email = `script-${crypto.randomUUID()}@example.com`;
      const user = { uuid: await insertUser(email, db), email };
      const missed = await createCreditsCheckout({ userUuid: user.uuid, request: { quantity: 100 } }, db);
      const other = await createCreditsCheckout({ userUuid: user.uuid, request: { quantity: 50 } }, db);
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
