import { NextResponse } from "next/server";
import type { z } from "zod";
import {
  AppError,
  BadRequestError,
  ServiceUnavailableError,
  TooManyRequestsError,
  isDatabaseUnavailable,
} from "./errors";
import { describeError } from "./log-safe";

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
    console.error(`[api] ${context}: database unavailable`, describeError(error).split("\n")[0]);
    const e = new ServiceUnavailableError();
    return fail(e.status, e.message);
  }
  // Never the raw error: a query error carries the SQL parameters (emails, password hashes).
  console.error(`[api] ${context}: unhandled error\n${describeError(error)}`);
  return fail(500, "internal server error");
}

type Handler<C> = (request: Request, context: C) => Promise<Response>;

/** Wraps a route handler so every thrown error becomes an envelope, never an HTML page. */
export function route<C = unknown>(handler: Handler<C>): Handler<C> {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (error) {
      return toErrorResponse(error, `${request.method} ${new URL(request.url).pathname}`);
    }
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
