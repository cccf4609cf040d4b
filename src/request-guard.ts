import crypto from "node:crypto";
import http from "node:http";
import { clientIp } from "@/lib/http/client-ip";
import { REQUEST_ID_HEADER, validRequestId } from "@/lib/http/request-context";
import { TOKEN_ROUTES, refusedForSeconds, tokenRateLimitKeys } from "@/lib/http/rate-limit-memo";
import { NON_PAGE_CSP, STATIC_SECURITY_HEADERS } from "@/lib/http/security-headers";

/**
 * A guard in front of Next.js's request handling, for requests Next.js itself fails
 * on with a bare "Internal Server Error" (plain text, no security headers) before any
 * of our code runs:
 *  - a path with invalid %-encoding (`/en/%E0%A4%A`, `/api/%`, an encoded lone surrogate),
 *  - TRACE / TRACK, which the fetch `Request` Next builds for every route refuses.
 * They get a 400 / 405 here: a JSON envelope under /api, a small text page elsewhere,
 * with the security headers. It also gives every /api answer its request id and
 * `Cache-Control: no-store` (apiDefaults), Next.js's own answers included. Installed once
 * per process from server-start.ts by wrapping `http.Server.prototype.emit` ("request"
 * events only).
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

/**
 * A POST to a route that takes a mailed token whose limit this process already knows is
 * spent (checkTokenRateLimit remembered the database's refusal): the 429 the route would
 * give, with Retry-After, answered before Next.js does any work. Null otherwise.
 */
export function tokenFloodRefusal(method: string | undefined, url: string | undefined, headers: http.IncomingHttpHeaders): number | null {
  if (method !== "POST") return null;
  const route = TOKEN_ROUTES[(url ?? "").split("?")[0] as keyof typeof TOKEN_ROUTES];
  if (!route) return null;
  const keys = tokenRateLimitKeys(route, clientIp(headers));
  const seconds = Math.max(keys.ip ? refusedForSeconds(keys.ip) : 0, refusedForSeconds(keys.global));
  return seconds > 0 ? seconds : null;
}

// A refused client waits this long for its 429 (within the Retry-After it is told), so a
// flood that ignores Retry-After gets at most one answer per connection per
// TARPIT_MS: the wait costs a timer, not CPU, and 16 clients hammering the reset route can
// no longer keep the server busy (reliability test h-token-flood). At most TARPIT_MAX
// answers are held at once; beyond that they go out at once, with the connection closed.
const TARPIT_MS = 1_000;
const TARPIT_MAX = 512;
let held = 0;

function holdTooMany(req: http.IncomingMessage, res: http.ServerResponse, seconds: number) {
  req.resume(); // drain the body now; the answer comes later
  if (held >= TARPIT_MAX) return answerTooMany(req, res, seconds, true);
  held++;
  const release = () => {
    clearTimeout(timer);
    held--;
  };
  const timer = setTimeout(() => {
    res.off("close", release);
    release();
    if (!res.destroyed) answerTooMany(req, res, seconds, false);
  }, Math.min(TARPIT_MS, seconds * 1000));
  res.once("close", release);
}

function answerTooMany(req: http.IncomingMessage, res: http.ServerResponse, seconds: number, close: boolean) {
  const body = JSON.stringify({ code: 429, message: "too many requests", data: { retryAfterSeconds: seconds } });
  res.writeHead(429, {
    ...STATIC_SECURITY_HEADERS,
    "Content-Security-Policy": NON_PAGE_CSP,
    "Content-Type": "application/json",
    "Cache-Control": "no-store",
    "Retry-After": String(seconds),
    [REQUEST_ID_HEADER]: requestIdFor(req),
    "Content-Length": Buffer.byteLength(body),
    ...(close ? { Connection: "close" } : {}),
  });
  res.end(body);
  req.resume(); // drain the body; the connection stays usable unless `close`
}

function answer(req: http.IncomingMessage, res: http.ServerResponse, status: number, message: string) {
  const isApi = (req.url ?? "").startsWith("/api/");
  const body = isApi ? JSON.stringify({ code: status, message, data: null }) : `${status} ${message}\n`;
  res.writeHead(status, {
    ...STATIC_SECURITY_HEADERS,
    "Content-Security-Policy": NON_PAGE_CSP,
    "Content-Type": isApi ? "application/json" : "text/plain; charset=utf-8",
    "Cache-Control": "no-store",
    [REQUEST_ID_HEADER]: requestIdFor(req),
    "Content-Length": Buffer.byteLength(body),
    ...(status === 405 ? { Allow: "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS" } : {}),
    Connection: "close",
  });
  res.end(body);
  req.resume(); // drain whatever body came with it
}

/** The request's id: the caller's X-Request-Id when it is a sane token (as route() takes it), else a fresh one. */
function requestIdFor(req: http.IncomingMessage): string {
  const given = req.headers[REQUEST_ID_HEADER];
  return typeof given === "string" && validRequestId(given) ? given.trim() : crypto.randomUUID();
}

const hasHeader = (headers: unknown, name: string) =>
  !!headers && typeof headers === "object" && !Array.isArray(headers) && Object.keys(headers).some((key) => key.toLowerCase() === name);

/**
 * Every /api answer carries a request id and, unless its handler chose a cache policy
 * (the public social card), `Cache-Control: no-store`, whoever wrote it: route() (which
 * reads the id set here on the request, so both name the same id), and the answers
 * Next.js writes itself (an unexported method's 405, OPTIONS, a build's 404 or 500).
 * Both are added when the head goes out, so a handler's own headers win.
 */
function apiDefaults(req: http.IncomingMessage, res: http.ServerResponse) {
  if (!(req.url ?? "").startsWith("/api/")) return;
  const requestId = requestIdFor(req);
  req.headers[REQUEST_ID_HEADER] = requestId;
  const writeHead = res.writeHead;
  res.writeHead = function apiWriteHead(this: http.ServerResponse, ...args: unknown[]) {
    const headers = args.find((arg, i) => i > 0 && typeof arg === "object");
    if (!this.hasHeader(REQUEST_ID_HEADER) && !hasHeader(headers, REQUEST_ID_HEADER)) this.setHeader(REQUEST_ID_HEADER, requestId);
    if (!this.hasHeader("cache-control") && !hasHeader(headers, "cache-control")) this.setHeader("Cache-Control", "no-store");
    return (writeHead as (...rest: unknown[]) => http.ServerResponse).apply(this, args);
  } as typeof res.writeHead;
}

const state = globalThis as unknown as { __requestGuard?: boolean };

export function installRequestGuard() {
  if (state.__requestGuard) return;
  state.__requestGuard = true;
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function guardedEmit(this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const [req, res] = args as [http.IncomingMessage, http.ServerResponse];
      apiDefaults(req, res);
      const refused = refusal(req.method, req.url);
      if (refused) {
        answer(req, res, refused.status, refused.message);
        return true;
      }
      const tooMany = tokenFloodRefusal(req.method, req.url, req.headers);
      if (tooMany) {
        holdTooMany(req, res, tooMany);
        return true;
      }
    }
    return (emit as (this: http.Server, event: string | symbol, ...rest: unknown[]) => boolean).call(this, event, ...args);
  } as typeof emit;
}
