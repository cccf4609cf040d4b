/**
 * The security headers, in one place. Pure (no env parsing) so next.config.ts, the
 * proxy and the request guard can all import it.
 *
 * Pages get a per-request Content-Security-Policy from src/proxy.ts: scripts run only
 * with that request's nonce (Next.js puts it on its own scripts when it finds the
 * policy on the request, which requires dynamic rendering) or when loaded by such a
 * script ('strict-dynamic'). No 'unsafe-inline' for scripts. Styles keep
 * 'unsafe-inline' (React and Tailwind set style attributes).
 */
export function contentSecurityPolicy(nonce: string, options: { formActions?: string[]; dev?: boolean } = {}): string {
  const { formActions = [], dev = process.env.NODE_ENV === "development" } = options;
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob: https:",
    "media-src 'self' blob: https:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "object-src 'none'",
    // OAuth sign-in posts a form that redirects to the provider; the checkout forms
    // (Server Actions) redirect to Stripe's hosted Checkout and billing portal. `formActions`:
    // more such origins (a GitHub Enterprise Server, another Google issuer).
    ["form-action 'self' https://github.com https://accounts.google.com https://checkout.stripe.com https://billing.stripe.com", ...formActions].join(" "),
  ].join("; ");
}

/** For responses that are not pages (API JSON, refusals): nothing may load or frame them. */
export const NON_PAGE_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Headers for every response, pages and API alike (next.config.ts applies them). */
export const STATIC_SECURITY_HEADERS: Record<string, string> = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "X-Frame-Options": "DENY",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
};

/** HSTS (two years, subdomains) when the app's public URL is https; undefined otherwise. */
export function strictTransportSecurity(appUrl: string | undefined): string | undefined {
  return appUrl?.startsWith("https://") ? "max-age=63072000; includeSubDomains" : undefined;
}

/** A per-request nonce: 128 random bits, base64. */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}
