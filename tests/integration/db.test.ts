import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, pingDatabase, rowsOf } from "@/db";
import { users } from "@/db/schema";
import { isUniqueViolation } from "@/lib/http/errors";
import { testDb } from "../support/setup-db";

describe("database", () => {
  it("answers the health ping with its kind", async () => {
    const ping = await pingDatabase();
    expect(ping).toMatchObject({ kind: testDb().kind, ok: true });
  });

  it("has every table migrated", async () => {
    const rows = rowsOf<{ table_name: string }>(
      await getDb().execute(sql`select table_name from information_schema.tables where table_schema = 'public'`),
    );
    const names = rows.map((r) => r.table_name);
    for (const t of ["users", "accounts", "sessions", "orders", "credits", "credit_grants", "credit_allocations", "tasks", "rate_limits"]) {
      expect(names).toContain(t);
    }
  });

  it("refuses a second user with the same email", async () => {
    await getDb().insert(users).values({ email: "dup@example.com" });
    const second = getDb().insert(users).values({ email: "dup@example.com" });
    await expect(second).rejects.toSatisfy(isUniqueViolation);
  });
});
