import { databaseMigrationStatus, pingDatabase } from "@/db";
import { env } from "@/lib/env";
import { sweepStatus } from "@/lib/sweep-status";
import { ok, fail, route } from "@/lib/api";

export const dynamic = "force-dynamic";

export const GET = route(async () => {
  const database = await pingDatabase();
  // Migrations applied vs expected (read only when the database answers) and this
  // process's sweeper lag (informational: cron-driven hosts have no in-process sweeper).
  const migrations = database.ok ? await migrationsSummary() : null;
  const sweeper = sweepStatus(env().TASK_SWEEP_INTERVAL_MS);
  const healthy = database.ok && migrations?.ok !== false;
  const data = { status: healthy ? "ok" : "degraded", database, migrations, sweeper };
  if (!database.ok) return fail(503, "database unavailable", data);
  return healthy ? ok(data) : fail(503, "database migrations incomplete: run npm run db:migrate", data);
});

async function migrationsSummary() {
  try {
    const s = await databaseMigrationStatus();
    const ok = s.pending.length === 0 && s.missingFunctions.length === 0 && !s.pushedWithoutHistory;
    return { ok, applied: s.applied, expected: s.expected, pending: s.pending, missingFunctions: s.missingFunctions };
  } catch {
    return null;
  }
}
