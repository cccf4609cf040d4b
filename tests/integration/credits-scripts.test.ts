import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { insertUser } from "../support/fixtures";
import { useOperatorCommands } from "../support/operator-commands";

/**
 * The operator commands run as a user would run them: `npm run ...` in a child
 * process, against PGlite's data folder or DATABASE_URL.
 */
describe("operator commands", () => {
  const { npm, withDb } = useOperatorCommands();
  beforeAll(async () => {
    await withDb((db) => insertUser("operator@example.com", db));
  });

  const lastLine = (s: string) => s.trim().split("\n").at(-1);

  it("credits:grant adds system credits and credits:balance prints the balance last", async () => {
    const g = await npm("credits:grant", "--", "--email", " OPERATOR@example.com", "--credits", "100", "--days", "30", "--reason", "support");
    expect(lastLine(g.stdout)).toBe("100");
    const b = await npm("credits:balance", "--", "--email", "operator@example.com");
    expect(lastLine(b.stdout)).toBe("100");
  });

  it("rejects bad amounts and unknown users, writing nothing", async () => {
    for (const credits of ["0", "-5", "1.5", "abc", "999999999999"]) {
      await expect(npm("credits:grant", "--", "--email", "operator@example.com", "--credits", credits)).rejects.toMatchObject({ code: 1 });
    }
    await expect(npm("credits:balance", "--", "--email", "nobody@example.com")).rejects.toMatchObject({ code: 1 });
    const b = await npm("credits:balance", "--", "--email", "operator@example.com");
    expect(lastLine(b.stdout)).toBe("100");
  });

  it("credits:verify passes on a consistent ledger and names the offender otherwise", async () => {
    const ok = await npm("credits:verify");
    expect(ok.stdout).toContain("ledger consistent");
    await withDb((db) => db.execute(sql`UPDATE credit_grants SET remaining = remaining - 1`));
    const bad = await npm("credits:verify").catch((e) => e);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain("OFFENCE");
    await withDb((db) => db.execute(sql`UPDATE credit_grants SET remaining = remaining + 1`));
  });
});
