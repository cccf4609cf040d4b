import { NextResponse } from "next/server";
import type { z } from "zod";
import {
  AppError,
  BadRequestError,
  ServiceUnavailableError,
  TooManyRequestsError,
  isDatabaseUnavailable,
} from "./errors";
import { env } from "./env";
import { logger } from "./logger";
import { requestIdOf, tagResponse, withRequestId } from "./request-context";

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

/** The single mapping from thrown errors to HTTP responses. */
export function toErrorResponse(error: unknown, context: string) {
  if (error instanceof TooManyRequestsError) {
    return fail(429, error.message, error.details, { "Retry-After": String(error.retryAfterSeconds) });
  }
  if (error instanceof AppError) {
    return fail(error.status, error.message, error.details ?? null);
  }
  if (isDatabaseUnavailable(error)) {
    logger.error({ context, error: (error as Error).message }, "database unavailable");
    const e = new ServiceUnavailableError();
    return fail(e.status, e.message);
  }
  logger.error({ context, err: error }, "unhandled error");
  return fail(500, "internal server error");
}

type Handler<C> = (request: Request, context: C) => Promise<Response>;

/**
 * Wraps a route handler so every thrown error becomes an envelope, never an HTML page,
 * and the request carries an id (X-Request-Id in and out, on every log line, in 5xx envelopes).
 */
export function route<C = unknown>(handler: Handler<C>): Handler<C> {
  return (request, context) => {
    const requestId = requestIdOf(request);
    return withRequestId(requestId, async () => {
      const started = performance.now();
      let response: Response;
      try {
        response = await handler(request, context);
      } catch (error) {
        response = toErrorResponse(error, `${request.method} ${new URL(request.url).pathname}`);
      }
      if (env().LOG_REQUESTS) {
        const ms = Math.round(performance.now() - started);
        logger.info({ method: request.method, path: new URL(request.url).pathname, status: response.status, ms }, "request");
      }
      return tagResponse(response, requestId);
    });
  };
}

const MAX_JSON_BYTES = 64 * 1024;

/** Reads and validates a JSON body; 400 naming the first bad field. */
export async function parseJson<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  const text = await request.text();
  if (text.length > MAX_JSON_BYTES) throw new BadRequestError("request body too large");
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
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.join(".") || "body";
  throw new BadRequestError(`${field}: ${issue.message}`, field);
}
