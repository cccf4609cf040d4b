import { NextRequest, NextResponse } from "next/server";
import { handlers } from "@/auth";
import { isSameOriginRequest, route } from "@/lib/http/api";
import { BODY_LIMITS, withBoundedBody } from "@/lib/http/body";
import { clientIp } from "@/lib/http/client-ip";
import { ForbiddenError, NotFoundError } from "@/lib/http/errors";
import { isValidAuthCsrfToken } from "@/lib/auth/csrf";
import { runSignInAttempt } from "@/lib/auth/sign-in-attempt";
import { logger } from "@/lib/logger";
import { routing } from "@/i18n/routing";
import { MAGIC_LINK_PROVIDER_ID } from "@/services/accounts/magic-link";
import { checkTokenRateLimit } from "@/services/accounts/tokens";

export const dynamic = "force-dynamic";

const MAGIC_LINK_CALLBACK = `/callback/${MAGIC_LINK_PROVIDER_ID}`;
const isMagicLinkCallback = (request: Request) => new URL(request.url).pathname.endsWith(MAGIC_LINK_CALLBACK);

/**
 * A GET of the magic-link callback signs nobody in (Auth.js would: a page on another site
 * could navigate a visitor there with the attacker's own token and sign them in as the
 * attacker). It leads to the confirmation page instead, the token unused; that page's
 * button is the one way to use it (below).
 */
function magicLinkPage(request: Request): Response {
  const url = new URL(request.url);
  const cookieLocale = request.headers.get("cookie")?.match(/(?:^|;\s*)NEXT_LOCALE=([a-z]{2})/)?.[1];
  const locale = routing.locales.find((l) => l === cookieLocale) ?? routing.defaultLocale;
  const target = new URL(`/${locale}/auth/magic-link`, url);
  for (const name of ["token", "callbackUrl"]) {
    const value = url.searchParams.get(name);
    if (value) target.searchParams.set(name, value);
  }
  // A relative Location: the page is on this origin whatever Host the proxy forwarded.
  return new NextResponse(null, { status: 303, headers: { location: target.pathname + target.search, "referrer-policy": "no-referrer" } });
}

/**
 * The confirmation page's POST to the magic-link callback, before Auth.js sees it: the
 * token routes' limit (per client address and global), then proof that it comes from
 * this app's page: a same-origin request (Sec-Fetch-Site / Origin) carrying Auth.js's CSRF
 * token of this browser. A login-CSRF form on another site has neither. 403 otherwise,
 * with the token unused.
 */
async function assertMagicLinkConfirmation(request: NextRequest): Promise<void> {
  await checkTokenRateLimit("magic-link", clientIp(request.headers));
  const form = await request
    .clone()
    .formData()
    .catch(() => null);
  const csrfToken = form?.get("csrfToken");
  if (isSameOriginRequest(request) && isValidAuthCsrfToken(request.headers.get("cookie"), typeof csrfToken === "string" ? csrfToken : null)) return;
  logger.warn({ origin: request.headers.get("origin") ?? "none" }, "[auth] magic-link sign-in refused: not from the app's confirmation page (CSRF)");
  throw new ForbiddenError("sign-in links are used from their confirmation page");
}

// Wrapped for the envelope on errors, the query check (a CR/LF callbackUrl is a 400, not
// next-auth's 500) and the API headers; next-auth's own CSRF token guards its POSTs.
export const GET = route((request) => (isMagicLinkCallback(request) ? Promise.resolve(magicLinkPage(request)) : handlers.GET(request as NextRequest)), {
  allowCrossOrigin: true,
});

// Credential sign-ins are rate-limited inside the Credentials provider's authorize (src/auth.config.ts);
// a refused attempt answers with the 429 envelope and Retry-After. next-auth reads the body
// itself: it gets a copy read within BODY_LIMITS.authForm (413 beyond). Its POST endpoints
// carry their own CSRF token, so the same-origin check is left to it (and, for the
// magic-link callback, which Auth.js does not guard, to assertMagicLinkConfirmation).
// Magic links are asked for through POST /api/auth/magic-link (validation, limits, the
// same answer for every address): Auth.js's own sign-in endpoint for them is closed.
export const POST = route(async (original) => {
  if (new URL(original.url).pathname.endsWith(`/signin/${MAGIC_LINK_PROVIDER_ID}`)) throw new NotFoundError();
  const request = await withBoundedBody(original, BODY_LIMITS.authForm, (url, init) => new NextRequest(url, init as never));
  if (isMagicLinkCallback(request)) await assertMagicLinkConfirmation(request);
  return runSignInAttempt(() => handlers.POST(request));
}, { allowCrossOrigin: true });
