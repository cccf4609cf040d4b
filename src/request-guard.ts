import http from "node:http";
import { NON_PAGE_CSP, STATIC_SECURITY_HEADERS } from "@/lib/security-headers";

/**
 * A guard in front of Next.js's request handling, for requests Next.js itself fails
 * on with a bare "Internal Server Error" (plain text, no security headers) before any
 * of our code runs:
 *  - a path with invalid %-encoding (`/en/%E0%A4%A`, `/api/%`, an encoded lone surrogate),
 *  - TRACE / TRACK, which the fetch `Request` Next builds for every route refuses.
 * They get a 400 / 405 here: a JSON envelope under /api, a small text page elsewhere,
 * with the security headers. Installed once per process from server-start.ts by
 * wrapping `http.Server.prototype.emit` ("request" events only).
 */
const REFUSED_METHODS = new Set(["TRACE", "TRACK"]);

export function refusal(method: string | undefined, url: string | undefined): { status: number; message: string } | null {
  if (method && REFUSED_METHODS.has(method.toUpperCase())) return { status: 405, message: "method not allowed" };
  const path = (url ?? "/").split("?")[0];
  try {
    decodeURIComponent(path);
  } catch {
    return { status: 400, message: "malformed URL: invalid percent-encoding" };
  }
  return null;
}

function answer(req: http.IncomingMessage, res: http.ServerResponse, status: number, message: string) {
  const isApi = (req.url ?? "").startsWith("/api/");
  const body = isApi ? JSON.stringify({ code: status, message, data: null }) : `${status} ${message}\n`;
  res.writeHead(status, {
    ...STATIC_SECURITY_HEADERS,
    "Content-Security-Policy": NON_PAGE_CSP,
    "Content-Type": isApi ? "application/json" : "text/plain; charset=utf-8",
    "Cache-Control": "no-store",
    "Content-Length": Buffer.byteLength(body),
    ...(status === 405 ? { Allow: "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS" } : {}),
    Connection: "close",
  });
  res.end(body);
  req.resume(); // drain whatever body came with it
}

const state = globalThis as unknown as { __requestGuard?: boolean };

export function installRequestGuard() {
  if (state.__requestGuard) return;
  state.__requestGuard = true;
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function guardedEmit(this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const [req, res] = args as [http.IncomingMessage, http.ServerResponse];
      const refused = refusal(req.method, req.url);
      if (refused) {
        answer(req, res, refused.status, refused.message);
        return true;
      }
    }
    return (emit as (this: http.Server, event: string | symbol, ...rest: unknown[]) => boolean).call(this, event, ...args);
  } as typeof emit;
}
