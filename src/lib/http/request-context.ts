import { AsyncLocalStorage } from "node:async_hooks";
import crypto from "node:crypto";
import { NextResponse } from "next/server";

/**
 * The request id of the API request being handled, wherever the code runs (route,
 * service, database helper): `route()` in src/lib/http/api.ts runs each handler inside
 * `withRequestId`, and the logger adds it to every line written meanwhile.
 */
export const REQUEST_ID_HEADER = "x-request-id";

// One store per process: Next.js bundles instrumentation and each route separately.
const state = globalThis as unknown as { __requestContext?: AsyncLocalStorage<{ requestId: string }> };
const storage = (state.__requestContext ??= new AsyncLocalStorage());

/** A caller's (or proxy's) X-Request-Id when it is a sane token, else a fresh UUID. */
export function requestIdOf(request: Request): string {
  const given = request.headers.get(REQUEST_ID_HEADER)?.trim();
  return given && validRequestId(given) ? given : crypto.randomUUID();
}

/** Whether a caller's X-Request-Id is a sane token to reuse (else the server makes one). */
export function validRequestId(given: string): boolean {
  return /^[A-Za-z0-9._:@/+=-]{1,128}$/.test(given.trim());
}

export function withRequestId<T>(requestId: string, fn: () => T): T {
  return storage.run({ requestId }, fn);
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/** The response with X-Request-Id set and, for a 5xx envelope, data.requestId. */
export async function tagResponse(response: Response, requestId: string): Promise<Response> {
  return withRequestIdHeader(await withRequestIdInBody(response, requestId), requestId);
}

/** A 5xx envelope names the request id in data.requestId, so a user's report finds the log lines. */
async function withRequestIdInBody(response: Response, requestId: string): Promise<Response> {
  if (response.status < 500 || !response.headers.get("content-type")?.includes("application/json")) return response;
  const body = (await response.clone().json().catch(() => null)) as { code?: unknown; data?: unknown } | null;
  if (!body || typeof body !== "object" || !("code" in body)) return response;
  const data = body.data && typeof body.data === "object" && !Array.isArray(body.data) ? { ...body.data, requestId } : { requestId };
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  return NextResponse.json({ ...body, data }, { status: response.status, headers });
}

function withRequestIdHeader(response: Response, requestId: string): Response {
  try {
    response.headers.set(REQUEST_ID_HEADER, requestId);
    return response;
  } catch {
    // Immutable headers (e.g. Response.redirect): copy.
    const headers = new Headers(response.headers);
    headers.set(REQUEST_ID_HEADER, requestId);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }
}
