import { NextResponse } from "next/server";
import type { z } from "zod";
import { BODY_LIMITS, readBodyText } from "./body";
import { env } from "../env";
import { strictTransportSecurity } from "./security-headers";
import {
  AppError,
  BadRequestError,
  ForbiddenError,
  ServiceUnavailableError,
  TooManyRequestsError,
  UnsupportedMediaTypeError,
  isBadDatabaseInput,
  databaseUnavailableCode,
} from "./errors";
import { logger } from "../logger";
import { requestIdOf, tagResponse, withRequestId } from "./request-context";
import { describeError } from "../log-safe";
import { API_KEY_LOOKALIKE } from "../schemas/api-keys";
import { bearerToken } from "./bearer";

/** The response envelope every JSON route answers with. */
export interface Envelope<T = unknown> {
  code: number;
  message: string;
  data: T | null;
}

export function ok<T>(data: T, init: { status?: number; headers?: HeadersInit } = {}) {
  return NextResponse.json<Envelope<T>>({ code: 0, message: "ok", data }, init);
}

export function fail(status: number, message: string, data: unknown = null, headers?: HeadersInit) {
  return NextResponse.json<Envelope>({ code: status, message, data }, { status, headers });
}

/** What a thrown error means to a client: the envelope's status, message and data, and headers. */
export interface ErrorEnvelope {
  status: number;
  message: string;
  data: Record<string, unknown> | null;
  headers?: Record<string, string>;
}

/**
 * The single mapping from thrown errors to what a client is told, shared by the JSON
 * routes (`toErrorResponse`) and the forms' Server Actions (src/lib/http/action.ts).
 */
export function toErrorEnvelope(error: unknown, context: string): ErrorEnvelope {
  if (error instanceof TooManyRequestsError) {
    return { status: 429, message: error.message, data: error.details ?? null, headers: { "Retry-After": String(error.retryAfterSeconds) } };
  }
  if (error instanceof ServiceUnavailableError && error.retryAfterSeconds) {
    return { status: 503, message: error.message, data: error.details ?? null, headers: { "Retry-After": String(error.retryAfterSeconds) } };
  }
  if (error instanceof AppError) {
    return { status: error.status, message: error.message, data: error.details ?? null };
  }
  const unavailable = databaseUnavailableCode(error);
  if (unavailable) {
    // The code says why (refused, shut down, timed out); the query text alone does not.
    logger.error({ context, code: unavailable, error: describeError(error).split("\n")[0] }, "database unavailable");
    const e = new ServiceUnavailableError();
    return { status: e.status, message: e.message, data: null, headers: { "Retry-After": String(DATABASE_RETRY_AFTER_SECONDS) } };
  }
  if (isBadDatabaseInput(error)) {
    // Validation should have caught it; the database refusing a value is still the client's input.
    logger.warn({ context }, "input refused by the database");
    return { status: 400, message: "malformed input", data: null };
  }
  // Never the raw error: a query error carries the SQL parameters (emails, password hashes).
  logger.error({ context, error: describeError(error) }, "unhandled error");
  return { status: 500, message: "internal server error", data: null };
}

/** The single mapping from thrown errors to HTTP responses. */
export function toErrorResponse(error: unknown, context: string) {
  const e = toErrorEnvelope(error, context);
  return fail(e.status, e.message, e.data, e.headers);
}

/** Seconds a client is asked to wait (Retry-After) when the database does not answer. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

type Handler<C> = (request: Request, context: C) => Promise<Response>;

export interface RouteOptions {
  /**
   * Skip the same-origin check for state-changing requests that carry the session
   * cookie. Only for endpoints with their own CSRF protection (next-auth's CSRF token).
   * Signed webhooks and bearer-authenticated routes need no opt-out: they carry no cookie.
   */
  allowCrossOrigin?: boolean;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
// next-auth's session cookie (and its chunks, and the Secure-prefixed name over https).
const SESSION_COOKIE = /(?:^|;)\s*(?:__Secure-)?authjs\.session-token(?:\.\d+)?=/;

/**
 * Cross-site request forgery guard: a state-changing request that carries the
 * session cookie must come from the app's own pages — `Sec-Fetch-Site: same-origin`
 * or an `Origin` equal to APP_URL's origin.
 * Browsers set both headers themselves; a page on another origin (even another port
 * of the same host, which browsers count as the same site and send cookies to)
 * cannot forge them. Requests without the cookie act as nobody and are not checked.
 */
export function assertSameOrigin(request: Request): void {
  if (SAFE_METHODS.has(request.method)) return;
  if (!SESSION_COOKIE.test(request.headers.get("cookie") ?? "")) return;
  // A bearer request is judged by its key alone: routes that take keys ignore the cookie,
  // and every other route refuses the request (getCurrentUser: 403). A page on another
  // origin cannot send an Authorization header without a CORS preflight, which is never granted.
  if (bearerToken(request.headers.get("authorization")) !== null) return;
  if (isSameOriginRequest(request)) return;
  throw new ForbiddenError("cross-origin request refused: state-changing requests must come from the app's own origin");
}

/** Whether the browser says the request comes from one of the app's own pages (see assertSameOrigin). */
export function isSameOriginRequest(request: Request): boolean {
  // Sec-Fetch-Site is set by the browser alone; "same-origin" also covers a page opened
  // under another name for the same server (127.0.0.1 vs localhost in development).
  if (request.headers.get("sec-fetch-site") === "same-origin") return true;
  return request.headers.get("origin") === new URL(env().APP_URL).origin;
}

/**
 * Headers every API response carries: API answers are per user and never cached
 * (`Cache-Control: no-store`), and HSTS when the app is served over https.
 */
export function withApiHeaders(response: Response): Response {
  try {
    if (!response.headers.has("cache-control")) response.headers.set("cache-control", "no-store");
    const hsts = strictTransportSecurity(env().APP_URL);
    if (hsts && !response.headers.has("strict-transport-security")) response.headers.set("strict-transport-security", hsts);
  } catch {
    // immutable headers (a fetched Response passed through): leave them
  }
  return response;
}

/**
 * Wraps a route handler: the same-origin check for cookie-authenticated writes,
 * every thrown error as an envelope (never an HTML page), the API headers, and a
 * request id (X-Request-Id in and out, on every log line, in 5xx envelopes).
 */
export function route<C = unknown>(handler: Handler<C>, options: RouteOptions = {}): Handler<C> {
  return (request, context) => {
    const requestId = requestIdOf(request);
    return withRequestId(requestId, async () => {
      const started = performance.now();
      let response: Response;
      try {
        if (!options.allowCrossOrigin) assertSameOrigin(request);
        assertCleanQuery(request);
        response = await handler(request, context);
      } catch (error) {
        response = toErrorResponse(error, `${request.method} ${safePathname(request)}`);
      }
      if (env().LOG_REQUESTS) {
        const ms = Math.round(performance.now() - started);
        logger.info({ method: request.method, path: safePathname(request), status: response.status, ms }, "request");
      }
      return tagResponse(withApiHeaders(response), requestId);
    });
  };
}

/**
 * Query parameters are input too: control characters (CR/LF header injection into a
 * redirect's callbackUrl, NUL) or unpaired surrogates are refused with a 400 naming
 * the parameter, before any handler (next-auth's included) sees them.
 */
function assertCleanQuery(request: Request): void {
  for (const [key, value] of new URL(request.url).searchParams) {
    if (isUnsafeString(key) || isUnsafeString(value) || /[\u0000-\u001f\u007f]/.test(value)) {
      const field = key.replace(/[^\x20-\x7e]/g, "?");
      throw new BadRequestError(`${field}: must not contain control characters`, field);
    }
    // URLs end up in logs, proxies and browser history: a key sent there is refused (and leaked).
    if (API_KEY_LOOKALIKE.test(value) || API_KEY_LOOKALIKE.test(key)) {
      const field = API_KEY_LOOKALIKE.test(key) ? "query" : key;
      throw new BadRequestError(`${field}: API keys go in the Authorization header (Bearer), never in the URL; revoke this key`, field);
    }
  }
}

function safePathname(request: Request): string {
  try {
    return new URL(request.url).pathname;
  } catch {
    return "?";
  }
}

/** The media type of a Content-Type header, lower-cased, without parameters. */
function mediaType(request: Request): string {
  return (request.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
}

/**
 * Reads and validates a JSON body: 415 unless `Content-Type: application/json`
 * (so a cross-site HTML form or `no-cors` fetch, which cannot send that type, is
 * refused), 413 over `limit` (default 64 KB, BODY_LIMITS.json), 400 naming the first bad field.
 */
export async function parseJson<S extends z.ZodType>(request: Request, schema: S, limit: number = BODY_LIMITS.json): Promise<z.infer<S>> {
  if (mediaType(request) !== "application/json") throw new UnsupportedMediaTypeError();
  const text = await readBodyText(request, limit);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new BadRequestError("malformed JSON body");
  }
  return parseInput(schema, body);
}

/** Validates any input (body, query, params) with zod; 400 naming the first bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const unsafe = unsafeStringPath(input, []);
  if (unsafe) {
    const field = unsafe.join(".") || "body";
    throw new BadRequestError(`${field}: must not contain NUL characters or unpaired surrogates`, field);
  }
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.join(".") || "body";
  throw new BadRequestError(`${field}: ${issue.message}`, field);
}

/**
 * The path of the first string (value or key) holding a NUL character or an unpaired
 * UTF-16 surrogate, which PostgreSQL cannot store (22021) and UTF-8 cannot encode.
 * Refused at the input boundary rather than stripped, so what is stored is what was sent.
 */
function unsafeStringPath(value: unknown, path: Array<string | number>, depth = 0): Array<string | number> | null {
  if (typeof value === "string") return isUnsafeString(value) ? path : null;
  if (depth > 32 || value === null || typeof value !== "object") return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unsafeStringPath(value[i], [...path, i], depth + 1);
      if (found) return found;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    if (isUnsafeString(key)) return [...path, key.replace(/[^\x20-\x7e]/g, "?")];
    const found = unsafeStringPath(item, [...path, key], depth + 1);
    if (found) return found;
  }
  return null;
}

export function isUnsafeString(value: string): boolean {
  return value.includes("\u0000") || !value.isWellFormed();
}
