// Shared by the operator scripts: open the app's database (PGlite data folder,
// or DATABASE_URL), apply migrations, run, close, and exit with a clear message.
import { ensureMigrated, getDatabase, type Database } from "@/db";
import { findUserByEmail } from "@/services/accounts/users";

/** `migrate`: apply migrations whatever DB_MIGRATE_ON_START says (and adopt a `drizzle-kit push` database). */
export async function runWithDatabase(
  main: (database: Database) => Promise<number | void>,
  options: { migrate?: boolean } = {},
) {
  let database: Database | undefined;
  let code = 0;
  try {
    database = getDatabase();
    await ensureMigrated({ adoptPushed: options.migrate });
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
  const user = await findUserByEmail(email, db);
  if (!user) throw new Error(`no user with email ${email}`);
  return user.id;
}
