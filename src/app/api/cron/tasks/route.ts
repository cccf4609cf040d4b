import crypto from "node:crypto";
import { fail, ok, route } from "@/lib/api";
import { env } from "@/lib/env";
import { runBackgroundRound } from "@/services/tasks/sweeper";

export const dynamic = "force-dynamic";

function authorized(request: Request, secret: string): boolean {
  const given = Buffer.from(request.headers.get("authorization") ?? "");
  const expected = Buffer.from(`Bearer ${secret}`);
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

/**
 * One sweep (and lapsed credits expired), for hosts without a long-lived process. `Authorization: Bearer $CRON_SECRET`
 * required; without CRON_SECRET configured the route does not exist (404).
 * GET is accepted too because Vercel Cron calls with GET.
 */
const sweep = route(async (request) => {
  const secret = env().CRON_SECRET;
  if (!secret) return fail(404, "cron route disabled: set CRON_SECRET");
  if (!authorized(request, secret)) return fail(401, "invalid cron secret");
  return ok(await runBackgroundRound({ idleMs: 0, expire: true }));
});

export { sweep as GET, sweep as POST };
