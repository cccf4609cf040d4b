/** What GET /api/health reports: the database, its migrations and this process's sweeper lag. */
import { z } from "zod";
import { databaseMigrationStatus, pingDatabase } from "@/db";
import { env } from "@/lib/env";
import { sweepStatus } from "@/lib/sweep-status";

/** The report's shape (the `data` of the 200 and of the 503): the one definition of it. */
export const healthReportSchema = z
  .object({
    status: z.enum(["ok", "degraded"]),
    database: z.object({
      kind: z.enum(["pglite", "postgres"]),
      ok: z.boolean(),
      latencyMs: z.number(),
      error: z.string().optional(),
    }),
    migrations: z
      .object({
        ok: z.boolean(),
        applied: z.int(),
        expected: z.int(),
        pending: z.array(z.string()),
        missingFunctions: z.array(z.string()),
      })
      .nullable()
      .meta({ description: "Applied vs expected (null when the database does not answer)." }),
    sweeper: z
      .object({
        inProcess: z.boolean(),
        intervalMs: z.number(),
        lastSweepAt: z.iso.datetime().nullable(),
        lagMs: z.number().nullable(),
      })
      .meta({ description: "This process's sweeper (informational: cron-driven hosts have no in-process sweeper)." }),
  })
  .meta({ id: "Health" });

export type HealthReport = z.infer<typeof healthReportSchema>;

/** The report, and why it is unhealthy (the 503's message) when it is. */
export async function healthReport(): Promise<{ data: HealthReport; problem: string | null }> {
  const database = await pingDatabase();
  const migrations = database.ok ? await migrationsSummary() : null;
  const sweeper = sweepStatus(env().TASK_SWEEP_INTERVAL_MS);
  const healthy = database.ok && migrations?.ok !== false;
  const data: HealthReport = { status: healthy ? "ok" : "degraded", database, migrations, sweeper };
  if (!database.ok) return { data, problem: "database unavailable" };
  return { data, problem: healthy ? null : "database migrations incomplete: run npm run db:migrate" };
}

async function migrationsSummary(): Promise<HealthReport["migrations"]> {
  try {
    const s = await databaseMigrationStatus();
    const ok = s.pending.length === 0 && s.missingFunctions.length === 0 && !s.pushedWithoutHistory;
    return { ok, applied: s.applied, expected: s.expected, pending: s.pending, missingFunctions: s.missingFunctions };
  } catch {
    return null;
  }
}
