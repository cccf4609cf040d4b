import createMiddleware from "next-intl/middleware";
import { NextRequest, NextResponse } from "next/server";
import { routing } from "./i18n/routing";
import { env } from "./lib/env";
import { contentSecurityPolicy, createNonce, strictTransportSecurity } from "./lib/http/security-headers";

const intl = createMiddleware(routing);
const PAGE_METHODS = new Set(["GET", "HEAD", "POST"]); // POST: server actions

/**
 * Sign-in servers configured on origins the CSP does not already name (a GitHub Enterprise
 * Server, another Google issuer): a sign-in form's redirect goes there.
 */
function signInOrigins(): string[] {
  const e = env();
  return [e.AUTH_GITHUB_ENTERPRISE_URL, e.AUTH_GOOGLE_ISSUER].flatMap((url) => (url ? [new URL(url).origin] : []));
}

/**
 * Pages only (API routes, Next internals and static files are not matched):
 * locale negotiation and prefixes (next-intl), and the per-request security headers —
 * a Content-Security-Policy with a fresh script nonce, set on the request too so
 * Next.js puts the nonce on its own scripts (pages render dynamically for this), and
 * HSTS when APP_URL is https. Methods a page does not answer get 405.
 */
export function proxy(request: NextRequest) {
  if (!PAGE_METHODS.has(request.method)) {
    return new NextResponse("Method Not Allowed", {
      status: 405,
      headers: { Allow: "GET, HEAD, POST", "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  const nonce = createNonce();
  const csp = contentSecurityPolicy(nonce, { formActions: signInOrigins() });
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", csp);
  const response = intl(new NextRequest(request, { headers }));
  response.headers.set("Content-Security-Policy", csp);
  const hsts = strictTransportSecurity(env().APP_URL);
  if (hsts) response.headers.set("Strict-Transport-Security", hsts);
  return response;
}

export const config = {
  matcher: ["/((?!api|_next|_vercel|.*\\..*).*)"],
};
