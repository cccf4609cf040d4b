// Shared by the operator scripts: open the app's database (PGlite data folder,
// or DATABASE_URL), apply migrations, run, close, and exit with a clear message.
import { eq } from "drizzle-orm";
import { ensureMigrated, getDatabase, type Database } from "@/db";
import { users } from "@/db/schema";
import { normalizeEmail } from "@/lib/email";

export async function runWithDatabase(main: (database: Database) => Promise<number | void>) {
  let database: Database | undefined;
  let code = 0;
  try {
    database = getDatabase();
    await ensureMigrated();
    code = (await main(database)) ?? 0;
  } catch (error) {
    console.error(error instanceof Error ? `error: ${error.message}` : error);
    code = 1;
  } finally {
    await database?.close();
  }
  process.exit(code);
}

export async function findUserUuidByEmail(email: string, db: Database["db"]): Promise<string> {
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.email, normalizeEmail(email)));
  if (!user) throw new Error(`no user with email ${email}`);
  return user.id;
}
