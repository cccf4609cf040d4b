import crypto from "node:crypto";
import { fail, route } from "@/lib/http/api";
import { env } from "@/lib/env";

function authorized(request: Request, secret: string): boolean {
  const given = Buffer.from(request.headers.get("authorization") ?? "");
  const expected = Buffer.from(`Bearer ${secret}`);
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

/**
 * A cron route: `Authorization: Bearer $CRON_SECRET` required (401 otherwise);
 * without CRON_SECRET configured the route does not exist (404).
 */
export function cronRoute(handler: (request: Request) => Promise<Response>) {
  return route(async (request: Request) => {
    const secret = env().CRON_SECRET;
    if (!secret) return fail(404, "cron route disabled: set CRON_SECRET");
    if (!authorized(request, secret)) return fail(401, "invalid cron secret");
    return handler(request);
  });
}
