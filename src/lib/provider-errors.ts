/**
 * The small set of stable codes a failed task carries, whatever the provider
 * said. Pages show the localized message for the code (messages/<locale>/errors.json,
 * key `provider.<code>`); the provider's raw text stays in output_json and the logs.
 */
export const PROVIDER_ERROR_CODES = ["provider_unavailable", "content_rejected", "timed_out", "invalid_output", "internal"] as const;

export type ProviderErrorCode = (typeof PROVIDER_ERROR_CODES)[number];

export function isProviderErrorCode(value: unknown): value is ProviderErrorCode {
  return typeof value === "string" && (PROVIDER_ERROR_CODES as readonly string[]).includes(value);
}

/** The next-intl key (namespace "errors") of a code's user-facing message. */
export function providerErrorMessageKey(code: unknown): `provider.${ProviderErrorCode}` {
  return `provider.${isProviderErrorCode(code) ? code : "internal"}`;
}

/** A provider failure: `code` is for users, `detail` (raw provider text) for operators only. */
export class ProviderError extends Error {
  constructor(
    readonly code: ProviderErrorCode,
    readonly detail: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${detail}`, options);
    this.name = "ProviderError";
  }
}

const CONTENT_REJECTED = /nsfw|safety|content polic|moderat|flagged|inappropriate|sensitive content|prohibited/i;
const TIMED_OUT = /timed? ?out|timeout|deadline exceeded/i;

/**
 * Maps what a provider answered to a code. `status` is the HTTP status of the
 * provider's answer (if any), `message` its error text (a prediction's `error`,
 * an API error body, an exception message).
 *
 *   text about safety / NSFW / policy      -> content_rejected
 *   text about a timeout, HTTP 408 / 504   -> timed_out
 *   HTTP 429 or 5xx, 401 / 403 (our key
 *   is wrong or out of funds: an operator
 *   problem, not the user's)               -> provider_unavailable
 *   anything else                          -> internal
 */
export function classifyProviderFailure(input: { status?: number; message?: string | null }): ProviderErrorCode {
  const { status, message } = input;
  if (message && CONTENT_REJECTED.test(message)) return "content_rejected";
  if (status === 408 || status === 504 || (message && TIMED_OUT.test(message))) return "timed_out";
  if (status !== undefined && (status === 401 || status === 402 || status === 403 || status === 429 || status >= 500)) {
    return "provider_unavailable";
  }
  return "internal";
}

/** The code of any thrown error: a ProviderError's own, network failures -> provider_unavailable. */
export function providerErrorCodeOf(error: unknown): ProviderErrorCode {
  if (error instanceof ProviderError) return error.code;
  const withCode = error as { providerCode?: unknown } | null;
  if (withCode && isProviderErrorCode(withCode.providerCode)) return withCode.providerCode;
  if (error instanceof Error && error.name === "TimeoutError") return "timed_out";
  if (error instanceof TypeError && /fetch failed/i.test(error.message)) return "provider_unavailable";
  return "internal";
}
