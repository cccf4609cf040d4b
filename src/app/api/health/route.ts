import { pingDatabase } from "@/db";
import { ok, fail, route } from "@/lib/api";

export const dynamic = "force-dynamic";

export const GET = route(async () => {
  const database = await pingDatabase();
  const data = { status: database.ok ? "ok" : "degraded", database };
  return database.ok ? ok(data) : fail(503, "database unavailable", data);
});
