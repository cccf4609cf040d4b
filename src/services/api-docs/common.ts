/**
 * What every module of the API reference shares: the success and error envelopes
 * (src/lib/http/api.ts `ok` / `fail`), the error statuses, the two ways to authenticate,
 * and small helpers to declare an operation. A module (tasks.ts, uploads.ts, ...) declares
 * its routes with these and the zod schemas its routes and services use.
 */
import { z } from "zod";
import type { ZodOpenApiResponseObject, ZodOpenApiResponsesObject, ZodOpenApiSecuritySchemeObject } from "zod-openapi";

/** What a module contributes to the document. */
export interface ApiDocsModule {
  /** Tags its operations use, with a line on each (the reference page groups by tag). */
  tags: { name: string; description: string }[];
  /** Its paths; a function, so that registries (task types) are read when the document is built. */
  paths: () => import("zod-openapi").ZodOpenApiPathsObject;
  /** Requests the app sends to its users' servers (OpenAPI 3.1 `webhooks`), by event name. */
  webhooks?: () => import("zod-openapi").ZodOpenApiPathsObject;
}

/** The session cookie a browser holds after signing in (next-auth; `__Secure-` prefixed over https). */
export const SESSION_COOKIE_NAME = "authjs.session-token";

export const securitySchemes: Record<string, ZodOpenApiSecuritySchemeObject> = {
  sessionCookie: {
    type: "apiKey",
    in: "cookie",
    name: SESSION_COOKIE_NAME,
    description:
      "The browser's session after signing in. State-changing requests with this cookie must come from the app's own origin (`Origin` or `Sec-Fetch-Site: same-origin`), else 403.",
  },
  bearerAuth: {
    type: "http",
    scheme: "bearer",
    description: "An API key (`Authorization: Bearer sk_live_…`), created under Account → API keys. No cookie and no same-origin check.",
  },
};

/** Who may call an operation: API clients (an API key or a session), sessions only, API keys only, or anyone. */
export const security: Record<"apiCaller" | "session" | "apiKey" | "public", Record<string, string[]>[]> = {
  apiCaller: [{ bearerAuth: [] }, { sessionCookie: [] }],
  session: [{ sessionCookie: [] }],
  apiKey: [{ bearerAuth: [] }],
  public: [],
};

/** The success envelope around `data`: `{ code: 0, message: "ok", data }`. */
export function envelope<T extends z.ZodType>(data: T) {
  return z.object({ code: z.literal(0), message: z.literal("ok"), data });
}

/** A JSON success response. */
export function json<T extends z.ZodType>(description: string, data: T, extra: Omit<ZodOpenApiResponseObject, "description" | "content"> = {}): ZodOpenApiResponseObject {
  return { description, ...extra, content: { "application/json": { schema: envelope(data) } } };
}

/** The error envelope: `code` equals the HTTP status; `data` is null or says more (per status, below). */
const errorEnvelope = (data: z.ZodType, id: string, description: string) =>
  z.object({ code: z.int().min(400).max(599).meta({ description: "The HTTP status." }), message: z.string(), data }).meta({ id, description });

const ErrorResponse = errorEnvelope(z.record(z.string(), z.unknown()).nullable(), "Error", "An error: `code` is the HTTP status, `message` says why.");
const BadRequest = errorEnvelope(
  z.object({ field: z.string().meta({ description: "The first bad field, parameter or header (e.g. `prompt`, `page`, `Idempotency-Key`)." }) }).nullable(),
  "BadRequest",
  "Bad input: nothing was written or charged. `data.field` names the first bad field (null for a body that is not JSON).",
);
const InsufficientCredits = errorEnvelope(
  z.object({ balance: z.int(), required: z.int() }),
  "InsufficientCredits",
  "The balance does not cover the price: nothing was charged.",
);
const TooManyRequests = errorEnvelope(z.object({ retryAfterSeconds: z.int() }), "TooManyRequests", "A rate limit: try again after `Retry-After` seconds.");
const retryAfter = z.object({ "Retry-After": z.string().meta({ description: "Seconds to wait before trying again." }) });

const errorJson = (schema: z.ZodType) => ({ "application/json": { schema } });

/** The error statuses an operation can answer, each with its envelope. */
export const ERRORS = {
  400: { description: "Bad input (the field is named in `data.field`); nothing written or charged.", content: errorJson(BadRequest) },
  401: { description: "Not signed in and no valid API key.", content: errorJson(ErrorResponse) },
  402: { description: "Insufficient credits; nothing charged.", content: errorJson(InsufficientCredits) },
  403: { description: "Someone else's resource, or a cross-origin write carrying the session cookie.", content: errorJson(ErrorResponse) },
  404: { description: "Not found.", content: errorJson(ErrorResponse) },
  405: {
    description: "Method not allowed.",
    headers: z.object({ Allow: z.string().meta({ description: "The methods the path takes." }) }),
    content: errorJson(ErrorResponse),
  },
  409: { description: "Conflict with the resource's current state.", content: errorJson(ErrorResponse) },
  413: { description: "The body is over its limit.", content: errorJson(ErrorResponse) },
  415: { description: "Unsupported body type.", content: errorJson(ErrorResponse) },
  422: { description: "The Idempotency-Key was already used with another body.", content: errorJson(ErrorResponse) },
  429: { description: "Rate limited.", headers: retryAfter, content: errorJson(TooManyRequests) },
  503: { description: "The database does not answer; retry after `Retry-After` seconds.", headers: retryAfter, content: errorJson(ErrorResponse) },
} satisfies Record<number, ZodOpenApiResponseObject>;

export type ErrorStatus = keyof typeof ERRORS;

/** The error responses of an operation, by status; an override replaces a status's description. */
export function errors(statuses: ErrorStatus[], descriptions: Partial<Record<ErrorStatus, string>> = {}): ZodOpenApiResponsesObject {
  return Object.fromEntries(statuses.map((s) => [String(s), { ...ERRORS[s], description: descriptions[s] ?? ERRORS[s].description }]));
}

/** A path parameter holding a uuid. */
export const uuidParam = (name: string, description: string) => z.object({ [name]: z.uuid().meta({ description }) });
