/**
 * The browser side of the JSON API: one fetch, the envelope (src/lib/http/api.ts) parsed in
 * one place. Client-safe. Every client component that still calls a route goes through
 * `apiFetch`; forms use Server Actions (src/lib/http/action.ts), whose failures have the same
 * `ApiProblem` shape, so one mapping to words serves both.
 */

/** A failed call: the HTTP status (0: the network failed), the envelope's code and message, and its data. */
export interface ApiProblem {
  status: number;
  code: number;
  message: string;
  /** The bad input's name on a 400 (`data.field`). */
  field?: string;
  /** The envelope's `data` (e.g. `{ reason }`, `{ balance, required }`, `{ retryAfterSeconds }`). */
  details: Record<string, unknown> | null;
  /** Seconds to wait (429 / 503 with Retry-After). */
  retryAfterSeconds?: number;
}

export type ApiResult<T> = { ok: true; status: number; data: T } | ({ ok: false } & ApiProblem);

export interface ApiInit extends Omit<RequestInit, "body"> {
  /** Sent as JSON (`Content-Type: application/json`, as the routes require). */
  json?: unknown;
  body?: BodyInit | null;
}

/** The problem a failed envelope describes (also used by src/lib/http/action.ts for Server Actions). */
export function problemOf(status: number, body: { code?: unknown; message?: unknown; data?: unknown } | null, retryAfter?: string | null): ApiProblem {
  const details = body?.data && typeof body.data === "object" ? (body.data as Record<string, unknown>) : null;
  const seconds = Number(details?.retryAfterSeconds ?? retryAfter ?? Number.NaN);
  return {
    status,
    code: typeof body?.code === "number" ? body.code : status,
    message: typeof body?.message === "string" ? body.message : "",
    ...(typeof details?.field === "string" ? { field: details.field } : {}),
    details,
    ...(Number.isFinite(seconds) ? { retryAfterSeconds: seconds } : {}),
  };
}

/** Calls a route; `{ ok: true, data }` for a `code: 0` envelope, the problem otherwise. Never throws. */
export async function apiFetch<T>(path: string, init: ApiInit = {}): Promise<ApiResult<T>> {
  const { json, headers, ...rest } = init;
  const request: RequestInit = { cache: "no-store", ...rest };
  if (json !== undefined) {
    request.body = JSON.stringify(json);
    request.headers = { "content-type": "application/json", ...(headers as Record<string, string> | undefined) };
  } else if (headers) {
    request.headers = headers;
  }
  let res: Response;
  let body: { code?: unknown; message?: unknown; data?: unknown } | null;
  try {
    res = await fetch(path, request);
    body = (await res.json().catch(() => null)) as typeof body;
  } catch {
    return { ok: false, status: 0, code: 0, message: "network error", details: null };
  }
  if (res.ok && body?.code === 0) return { ok: true, status: res.status, data: body.data as T };
  return { ok: false, ...problemOf(res.status, body, res.headers.get("retry-after")) };
}

/**
 * Auth.js's own POST endpoints (the magic-link callback): a form POST with this browser's
 * CSRF token (from GET /api/auth/csrf) asking for the redirect as JSON
 * (`X-Auth-Return-Redirect`), which answers `{ url }` rather than the envelope; the session
 * cookie comes with it. The URL carries `error` when Auth.js refused (an invalid, used or
 * expired link). Null when the call itself failed. Never throws.
 */
export async function authRedirectFetch(path: string): Promise<URL | null> {
  try {
    const csrf = (await (await fetch("/api/auth/csrf", { cache: "no-store" })).json()) as { csrfToken?: unknown };
    if (typeof csrf.csrfToken !== "string") return null;
    const res = await fetch(path, {
      method: "POST",
      cache: "no-store",
      headers: { "content-type": "application/x-www-form-urlencoded", "X-Auth-Return-Redirect": "1" },
      body: new URLSearchParams({ csrfToken: csrf.csrfToken }).toString(),
    });
    const { url } = (await res.json().catch(() => ({}))) as { url?: unknown };
    return res.ok && typeof url === "string" ? new URL(url, window.location.href) : null;
  } catch {
    return null;
  }
}
