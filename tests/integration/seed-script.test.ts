import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { orders, tasks } from "@/db/schema";
import { getUserCredits } from "@/services/credits/ledger";
import { verifyLedger } from "@/services/credits/verify";
import { DEMO_USER } from "@/services/demo-seed";
import { authenticate } from "@/services/accounts/users";
import { useOperatorCommands } from "../support/operator-commands";

/** `npm run db:seed` as an operator runs it, twice, against PGlite's data folder or DATABASE_URL. */
describe("npm run db:seed", () => {
  // A fresh, never-migrated PGlite folder: the command migrates it first.
  const { npm, withDb } = useOperatorCommands({ migrate: false });

  async function snapshot() {
    return withDb(async (db) => {
      const user = await authenticate(DEMO_USER.email, DEMO_USER.password, db);
      if (!user) throw new Error("the documented demo credentials do not sign in");
      return {
        balance: (await getUserCredits(user.id, db)).balance,
        tasks: (await db.select().from(tasks).where(eq(tasks.userUuid, user.id))).map((t) => ({ status: t.status, output: !!t.outputUrl })),
        orders: (await db.select().from(orders).where(eq(orders.userUuid, user.id))).map((o) => o.status),
        offences: (await verifyLedger(db)).offences,
      };
    });
  }

  // Two command runs, each booting PGlite in its own process: slow on a loaded machine.
  it("creates a demo user who can sign in, with credits, finished tasks and a paid order; a second run changes nothing", { timeout: 240_000 }, async () => {
    const first = await npm("db:seed");
    expect(first.stdout).toContain(`demo user ${DEMO_USER.email} created`);
    const after1 = await snapshot();
    // 50 welcome + 500 demo + 100 order - 10 and 8 for the two succeeded tasks (the failed one is refunded).
    expect(after1.balance).toBe(632);
    expect(after1.tasks.map((t) => t.status).sort()).toEqual(["failed", "succeeded", "succeeded"]);
    expect(after1.tasks.filter((t) => t.output)).toHaveLength(2);
    expect(after1.orders).toEqual(["paid"]);
    expect(after1.offences).toEqual([]);

    const second = await npm("db:seed");
    expect(second.stdout).toContain("already there; 0 task(s) and 0 order added; balance 632");
    expect(await snapshot()).toEqual(after1);
  });
});
