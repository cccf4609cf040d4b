import { ok, fail, route } from "@/lib/http/api";
import { healthReport } from "@/services/health";

export const dynamic = "force-dynamic";

// The database, migrations applied vs expected, and this process's sweeper lag; 503 with the same data when unhealthy.
export const GET = route(async () => {
  const { data, problem } = await healthReport();
  return problem ? fail(503, problem, data) : ok(data);
});
