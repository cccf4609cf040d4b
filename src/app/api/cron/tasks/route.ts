import { ok } from "@/lib/http/api";
import { cronRoute } from "@/lib/http/cron";
import { runBackgroundRound } from "@/services/tasks/sweeper";

export const dynamic = "force-dynamic";

/**
 * One sweep (and lapsed credits expired), for hosts without a long-lived process. `Authorization: Bearer $CRON_SECRET`
 * required; without CRON_SECRET configured the route does not exist (404).
 * GET is accepted too because Vercel Cron calls with GET.
 */
const sweep = cronRoute(async () => ok(await runBackgroundRound({ idleMs: 0, expire: true })));

export { sweep as GET, sweep as POST };
