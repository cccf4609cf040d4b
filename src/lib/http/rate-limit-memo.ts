/**
 * Rate-limit keys this process has seen refused, until their window ends (see
 * hitRateLimit's `remember` in src/services/rate-limit.ts). Kept on globalThis: Next.js
 * bundles the route handlers and the server's request guard (src/request-guard.ts, which
 * refuses a flood of a known-refused key before the framework does any work) separately,
 * and both must read the same entries. No imports: the guard loads it at server start.
 */
const MAX_KEYS = 10_000;
const store = globalThis as unknown as { __refusedRateLimits?: Map<string, number> };
const refused = (store.__refusedRateLimits ??= new Map<string, number>());

/** Seconds until the refusal of `key` ends on this process, or 0 when it is not refused here. */
export function refusedForSeconds(key: string, now = Date.now()): number {
  const until = refused.get(key);
  if (until === undefined) return 0;
  if (until <= now) {
    refused.delete(key);
    return 0;
  }
  return Math.ceil((until - now) / 1000);
}

/** Remembers that `key` is refused for `seconds` (the database said so). */
export function rememberRefusal(key: string, seconds: number, now = Date.now()) {
  if (refused.size >= MAX_KEYS) refused.clear();
  refused.set(key, now + seconds * 1000);
}

/** The routes that take a mailed token, each limited on its own (checkTokenRateLimit), by their paths. */
export const TOKEN_ROUTES = {
  "/api/auth/password/reset": "password-reset",
  "/api/auth/verify-email": "verify-email",
  "/api/auth/callback/email": "magic-link",
  "/api/account/email/confirm": "email-change",
} as const;
export type TokenRoute = (typeof TOKEN_ROUTES)[keyof typeof TOKEN_ROUTES];

/** The rate-limit keys of a token route: per client address (when known) and global. */
export function tokenRateLimitKeys(route: TokenRoute, ip: string | null): { ip: string | null; global: string } {
  return { ip: ip ? `token:${route}:ip:${ip}` : null, global: `token:${route}:global` };
}
