import { ensureMigrated, getDatabase } from "@/db";
import { appUrlMismatch } from "@/lib/app-url";
import { assertProductionSecrets, env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { checkTaskProviders, missingProviderSettings } from "@/services/tasks/registry";
import { startTaskSweeper } from "@/services/tasks/sweeper";
import { installRequestGuard } from "@/request-guard";

/** Server start: fail loudly on bad configuration, then bring the database up to date. */
export async function startServer() {
  const e = env();
  assertProductionSecrets(e, missingProviderSettings);
  checkTaskProviders(); // an unknown TEXT2VIDEO_PROVIDER (or any type's) fails here, not on the first task
  installRequestGuard();
  // A production server whose APP_URL does not reach it builds links that do not work: say so at start.
  const mismatch = e.NODE_ENV === "production" ? appUrlMismatch(process.env.APP_URL, process.env.PORT) : null;
  if (mismatch) logger.warn({ appUrl: process.env.APP_URL ?? null, port: process.env.PORT ?? null }, `[start] ${mismatch}`);
  await ensureMigrated();
  logger.info({ database: getDatabase().kind, ...(e.DATABASE_URL ? {} : { dataDir: e.PGLITE_DATA_DIR }) }, "database ready");
  if (startTaskSweeper()) logger.info({ intervalMs: e.TASK_SWEEP_INTERVAL_MS }, "task sweeper started");
}

/**
 * `startServer`, for instrumentation: a server that cannot be configured or cannot
 * reach its database must not come up half-working, so it says why and stops.
 */
export async function startServerOrExit() {
  try {
    await startServer();
  } catch (error) {
    // pino writes stdout synchronously: the line is out before the exit.
    logger.fatal({ err: error }, `[start] ${(error as Error).message}`);
    process.exit(1);
  }
}
