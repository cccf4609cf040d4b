import { createRequire } from "node:module";
import path from "node:path";
import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";
import { NON_PAGE_CSP, STATIC_SECURITY_HEADERS } from "./src/lib/http/security-headers";

// Headers every response gets. The pages' Content-Security-Policy (with a per-request
// script nonce) and HSTS are set at run time by src/proxy.ts; responses that are not
// pages (API JSON, static files) get a CSP that lets nothing load.
const securityHeaders = Object.entries(STATIC_SECURITY_HEADERS).map(([key, value]) => ({ key, value }));

// Messages reach use-intl compiled (src/i18n/compiled-messages.ts), so its formatter can be the
// format-only build, without the ICU parser. Turbopack wants a relative "./" path here (as
// next-intl's own `precompile` option sets it: vercel/next.js#88540).
const formatOnly = `./${path.relative(process.cwd(), createRequire(import.meta.url).resolve("use-intl/format-message/format-only"))}`;

const nextConfig: NextConfig = {
  turbopack: { resolveAlias: { "use-intl/format-message": formatOnly } },
  // PGlite ships WASM and data files that must be loaded from node_modules at run time.
  serverExternalPackages: ["@electric-sql/pglite"],
  // NEXT_OUTPUT=standalone (the Dockerfile, the test build): .next/standalone/server.js with
  // only the node_modules files it needs (docs/deploy.md). `next start` still serves such a build.
  output: process.env.NEXT_OUTPUT === "standalone" ? "standalone" : undefined,
  // Tests build into their own folder so they never clobber a developer's `next dev`.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // The API reference's renderer, read from node_modules at run time (src/app/scalar/standalone.js).
  outputFileTracingIncludes: { "/scalar/standalone.js": ["./node_modules/@scalar/api-reference/dist/browser/standalone.js"] },
  poweredByHeader: false,
  // `next dev` serves its scripts and hot-reload socket only to pages opened on localhost: at
  // http://127.0.0.1:3000 (the same machine) a page did not hydrate, and logged an error for
  // each refused socket (tests/e2e/dev-server.spec.ts).
  allowedDevOrigins: ["127.0.0.1"],
  // Request bodies Next reads before our code runs: the proxy (src/proxy.ts, pages only)
  // buffers a copy of each body so the page can read it again, and server actions parse
  // theirs. Pages take no uploads (the largest is a sign-out form), so both stop at 1 MB
  // (Next's defaults are 10 MB and 1 MB). API routes are outside the proxy and bound
  // their own bodies (src/lib/http/body.ts).
  experimental: {
    proxyClientMaxBodySize: "1mb",
    serverActions: { bodySizeLimit: "1mb" },
  },
  // Test builds skip the type check: CI runs `npm run typecheck` on its own, and a
  // half-written test elsewhere in the tree should not stop the app from building.
  typescript: { ignoreBuildErrors: process.env.NEXT_SKIP_TYPECHECK === "1" },
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: NON_PAGE_CSP }] },
    ];
  },
};

export default createNextIntlPlugin("./src/i18n/request.ts")(nextConfig);
