import { ensureMigrated, getDatabase } from "@/db";
import { assertProductionSecrets, env } from "@/lib/env";

/** Server start: fail loudly on bad configuration, then bring the database up to date. */
export async function startServer() {
  const e = env();
  assertProductionSecrets(e);
  await ensureMigrated();
  console.log(`[start] database: ${getDatabase().kind}${e.DATABASE_URL ? "" : ` (${e.PGLITE_DATA_DIR})`}`);
}
