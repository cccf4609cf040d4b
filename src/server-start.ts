import { ensureMigrated, getDatabase } from "@/db";
import { assertProductionSecrets, env } from "@/lib/env";
import { getVideoProvider } from "@/services/ai/video";
import { installRequestGuard } from "@/request-guard";
import { startTaskSweeper } from "@/services/task-sweeper";

/** Server start: fail loudly on bad configuration, then bring the database up to date. */
export async function startServer() {
  const e = env();
  assertProductionSecrets(e);
  installRequestGuard();
  getVideoProvider(); // an unknown TEXT2VIDEO_PROVIDER fails here, not on the first task
  await ensureMigrated();
  console.log(`[start] database: ${getDatabase().kind}${e.DATABASE_URL ? "" : ` (${e.PGLITE_DATA_DIR})`}`);
  if (startTaskSweeper()) console.log(`[start] task sweeper: every ${e.TASK_SWEEP_INTERVAL_MS} ms`);
}

/**
 * `startServer`, for instrumentation: a server that cannot be configured or cannot
 * reach its database must not come up half-working, so it says why and stops.
 */
export async function startServerOrExit() {
  try {
    await startServer();
  } catch (error) {
    console.error(`[start] ${(error as Error).message}`);
    process.exit(1);
  }
}
