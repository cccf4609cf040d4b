import crypto from "node:crypto";
import { getDb, type Executor } from "@/db";
import { users } from "@/db/schema";

/** Inserts a bare user row (no password, no welcome grant) and returns its uuid. */
export async function insertUser(email = `u-${crypto.randomUUID()}@example.com`, db: Executor = getDb()): Promise<string> {
  const [row] = await db.insert(users).values({ email }).returning({ id: users.id });
  return row.id;
}
