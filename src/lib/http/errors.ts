/**
 * Typed errors. Services throw these; the one mapping to HTTP lives in
 * src/lib/http/api.ts (`toErrorResponse`). `status` is the HTTP status, `code` the
 * envelope's non-zero code (equal to the status, so clients can switch on either).
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
  get code() {
    return this.status;
  }
}

export class BadRequestError extends AppError {
  constructor(message: string, readonly field?: string) {
    super(400, message, field ? { field } : undefined);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = "not signed in") {
    super(401, message);
  }
}

export class InsufficientCreditsError extends AppError {
  constructor(readonly balance: number, readonly required: number) {
    super(402, "insufficient credits", { balance, required });
  }
}

export class ForbiddenError extends AppError {
  constructor(message = "forbidden") {
    super(403, message);
  }
}

export class NotFoundError extends AppError {
  constructor(message = "not found") {
    super(404, message);
  }
}

export class ConflictError extends AppError {
  constructor(message: string) {
    super(409, message);
  }
}

export class TooManyRequestsError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, "too many requests", { retryAfterSeconds });
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(readonly limitBytes: number) {
    super(413, `request body too large (limit ${limitBytes} bytes)`, { limitBytes });
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor(message = "Content-Type must be application/json") {
    super(415, message);
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(
    message = "service unavailable, try again shortly",
    readonly retryAfterSeconds?: number,
  ) {
    super(503, message);
  }
}

const CONNECTION_ERROR_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
  "08000",
  "08001",
  "08003",
  "08006",
  "57014", // query_canceled: statement_timeout fired (the database is too slow to answer)
  "55P03", // lock_not_available: lock_timeout fired
  "25P03", // idle_in_transaction_session_timeout: the server ended a stalled transaction
  "DATABASE_TIMEOUT", // src/db/index.ts: the server stopped answering on an open connection
]);

/** The errors in a cause chain, outermost first (Drizzle wraps the driver's error). */
function* causes(error: unknown): Generator<{ code?: unknown; detail?: unknown }> {
  let e: unknown = error;
  for (let depth = 0; e && typeof e === "object" && depth < 5; depth++) {
    yield e as { code?: unknown; detail?: unknown };
    e = (e as { cause?: unknown }).cause;
  }
}

/** The PostgreSQL error (a five-character SQLSTATE) in an error's cause chain, if any. */
export function databaseError(error: unknown): { code: string; detail?: string } | undefined {
  for (const e of causes(error)) {
    if (typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code)) {
      return { code: e.code, detail: typeof e.detail === "string" ? e.detail : undefined };
    }
  }
  return undefined;
}

/** The code (e.g. ECONNREFUSED, 57P01, DATABASE_TIMEOUT) by which an error says the database could not be reached, if it does. */
export function databaseUnavailableCode(error: unknown): string | undefined {
  for (const e of causes(error)) {
    if (typeof e.code === "string" && CONNECTION_ERROR_CODES.has(e.code)) return e.code;
  }
  return undefined;
}

/** True when an error (or its cause chain) says the database could not be reached. */
export function isDatabaseUnavailable(error: unknown): boolean {
  return databaseUnavailableCode(error) !== undefined;
}

// Input the database cannot store or parse, e.g. a NUL byte (22021) or a malformed uuid (22P02):
// bad input that slipped past validation, answered 400 rather than 500.
const BAD_INPUT_CODES = new Set(["22021", "22P02", "22P05", "22001", "22003", "22007", "22008"]);

/** True when the database refused a value as malformed (bad input, not a server fault). */
export function isBadDatabaseInput(error: unknown): boolean {
  const code = databaseError(error)?.code;
  return !!code && BAD_INPUT_CODES.has(code);
}

/** PostgreSQL unique_violation, possibly wrapped by Drizzle. */
export function isUniqueViolation(error: unknown): boolean {
  return databaseError(error)?.code === "23505";
}
