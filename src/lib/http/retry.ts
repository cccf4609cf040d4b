/**
 * Retries for calls to remote providers: exponential backoff with full jitter,
 * honouring Retry-After, inside a bounded total time. Used for provider submit
 * calls (fetchWithRetry) and for downloading outputs (src/services/storage/copy.ts).
 */

export interface BackoffOptions {
  /** Attempts in all, the first included. */
  maxAttempts?: number;
  /** The first retry waits up to this long; each further retry doubles it (with jitter). */
  baseDelayMs?: number;
  /** Cap of a single wait (also caps a Retry-After the server asks for). */
  maxDelayMs?: number;
  /** No retry starts later than this after the first attempt started. */
  totalTimeMs?: number;
  /** Random source in [0, 1), for tests. */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_BACKOFF = {
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  totalTimeMs: 30_000,
} as const;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Wait before retry number `retry` (1 = the first retry): full jitter over base * 2^(retry-1), capped. */
export function backoffDelayMs(retry: number, options: BackoffOptions = {}): number {
  const base = options.baseDelayMs ?? DEFAULT_BACKOFF.baseDelayMs;
  const cap = options.maxDelayMs ?? DEFAULT_BACKOFF.maxDelayMs;
  const random = options.random ?? Math.random;
  return Math.round(random() * Math.min(cap, base * 2 ** (retry - 1)));
}

/** Retry-After as milliseconds: delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** 408, 429 and 5xx (but not 501/505, which will not change) are worth another try. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599 && status !== 501 && status !== 505);
}

const NEVER_CONNECTED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT"]);

/** Error codes in a cause chain (fetch wraps the socket error in `cause`). */
function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  let e: unknown = error;
  for (let depth = 0; e && typeof e === "object" && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") codes.push(code);
    e = (e as { cause?: unknown }).cause;
  }
  return codes;
}

/** True when the request provably never reached the server (refused, no DNS, no connection). */
export function isConnectFailure(error: unknown): boolean {
  return errorCodes(error).some((c) => NEVER_CONNECTED.has(c));
}

/** True for an abort caused by a timeout (ours or the caller's). */
export function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === "TimeoutError" || errorCodes(error).includes("UND_ERR_HEADERS_TIMEOUT"));
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Runs `attempt` until it succeeds or `decide` says stop. `decide` gets the
 * outcome and answers the wait before the next try (ms) or null to stop. Waits
 * are capped by maxDelayMs, and a retry that would start after totalTimeMs is
 * not made: the last outcome is returned or thrown. `beforeRetry` runs just
 * before each wait.
 */
export async function withRetry<T>(
  attempt: (n: number) => Promise<T>,
  decide: (outcome: Outcome<T>, attempt: number) => number | null,
  options: BackoffOptions & { beforeRetry?: (outcome: Outcome<T>, attempt: number, delayMs: number) => void } = {},
): Promise<T> {
  const maxAttempts = options.maxAttempts ?? DEFAULT_BACKOFF.maxAttempts;
  const totalTimeMs = options.totalTimeMs ?? DEFAULT_BACKOFF.totalTimeMs;
  const maxDelayMs = options.maxDelayMs ?? DEFAULT_BACKOFF.maxDelayMs;
  const sleep = options.sleep ?? defaultSleep;
  const started = Date.now();
  for (let n = 1; ; n++) {
    let outcome: Outcome<T>;
    try {
      outcome = { ok: true, value: await attempt(n) };
    } catch (error) {
      outcome = { ok: false, error };
    }
    const wait = n < maxAttempts ? decide(outcome, n) : null;
    if (wait === null || Date.now() - started + Math.min(wait, maxDelayMs) > totalTimeMs) {
      if (outcome.ok) return outcome.value;
      throw outcome.error;
    }
    options.beforeRetry?.(outcome, n, Math.min(wait, maxDelayMs));
    await sleep(Math.min(wait, maxDelayMs));
  }
}

export interface FetchRetryOptions extends BackoffOptions {
  /** Abort one attempt after this long (headers included, not the body). Default 30 s. */
  attemptTimeoutMs?: number;
  /**
   * True when repeating the request cannot do anything twice (GET, or a submit
   * carrying an idempotency key the provider honours). Default false.
   */
  idempotent?: boolean;
  fetch?: typeof fetch;
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
}

/**
 * fetch with retries, for provider calls such as "create a prediction".
 *
 * Retried: answers 408, 429 and 5xx (the server answered, and said try again),
 * waiting Retry-After when the server sends it (an ask longer than maxDelayMs,
 * or past totalTimeMs, ends the retries), else exponential backoff with full
 * jitter; and failures to connect at all (refused, DNS), where nothing was sent.
 *
 * Not retried unless `idempotent`: a timeout or a connection dropped after the
 * request was sent. The provider may well have created the job and started
 * billing for it; sending the submit again would create a second, paid job the
 * task never learns about. Such an error is thrown, so the caller fails (and
 * refunds) the task; a late webhook for the orphan job finds no task to change.
 *
 * Resolves to the last response (the caller reads its status), or throws the
 * last network error. `init.body` must be re-sendable (a string or a buffer).
 */
export async function fetchWithRetry(input: string | URL, init: RequestInit = {}, options: FetchRetryOptions = {}): Promise<Response> {
  const doFetch = options.fetch ?? fetch;
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 30_000;
  return withRetry(
    async () => {
      const timeout = AbortSignal.timeout(attemptTimeoutMs);
      const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
      return doFetch(input, { ...init, signal });
    },
    (outcome, attempt) => {
      if (outcome.ok) {
        const res = outcome.value;
        if (!isRetryableStatus(res.status)) return null;
        const asked = parseRetryAfter(res.headers.get("retry-after"));
        // A server that asks for a longer pause than we are prepared to wait gets its answer back.
        if (asked !== undefined && asked > (options.maxDelayMs ?? DEFAULT_BACKOFF.maxDelayMs)) return null;
        return asked ?? backoffDelayMs(attempt, options);
      }
      if (init.signal?.aborted) return null;
      if (!(options.idempotent || isConnectFailure(outcome.error))) return null;
      return backoffDelayMs(attempt, options);
    },
    {
      ...options,
      beforeRetry: (outcome, attempt, delayMs) => {
        // The answer is discarded: free its connection.
        if (outcome.ok) outcome.value.body?.cancel().catch(() => {});
        const reason = outcome.ok
          ? `HTTP ${outcome.value.status}`
          : outcome.error instanceof Error
            ? outcome.error.message
            : String(outcome.error);
        options.onRetry?.({ attempt, delayMs, reason });
      },
    },
  );
}
