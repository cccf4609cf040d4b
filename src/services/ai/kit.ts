/**
 * The provider kit: the HTTP plumbing every real provider adapter shares, so a new
 * provider is one file of mapping (its paths, its input and its status shapes).
 *
 *   providerClient({ name, baseUrl, authorization, ... }).call(method, path, { body, retry })
 *     - the auth header (`authorization`, e.g. "Bearer <token>", "Key <key>"; unset: a
 *       provider_unavailable error naming the missing variable, before any request)
 *     - JSON in and out
 *     - timeouts per attempt (`timeoutMs`, default 15 s)
 *     - retries of a submit (`retry: true`): 408/429/5xx and failures to connect, with
 *       backoff honouring Retry-After, bounded (src/lib/http/retry.ts); a timeout after the
 *       request was sent is not retried (the job may exist and bill)
 *     - errors as ProviderError with the HTTP status and the provider's message, which the
 *       lifecycle classifies into the stable codes (src/lib/provider-errors.ts)
 *   firstUrl(output)        the first http(s) URL in a provider's output (string, list, object)
 *   progressFromLogs(logs)  the last "NN%" a model printed
 */
import { fetchWithRetry, type BackoffOptions } from "@/lib/http/retry";
import { logger } from "@/lib/logger";
import { clampProgress, ProviderError } from "./types";

export interface ProviderClientConfig {
  /** Prefix of messages and logs, e.g. "replicate". */
  name: string;
  baseUrl: string;
  /** The Authorization header's value; undefined = not configured (calls fail with `missing`). */
  authorization?: string;
  /** What to tell the operator when `authorization` is unset, e.g. "REPLICATE_API_TOKEN is not set". */
  missing: string;
  fetch?: typeof fetch;
  /** Per attempt, headers included. Default 15 s. */
  timeoutMs?: number;
  /** Retries of calls made with `retry: true` (default: src/lib/http/retry.ts DEFAULT_BACKOFF). */
  submitRetry?: BackoffOptions;
  /** The provider's error text in an error body (default: `detail`, `error`, `message`). */
  errorText?: (body: unknown) => string | undefined;
}

export interface CallOptions {
  body?: unknown;
  /** Retry 408/429/5xx and connection failures (submits). */
  retry?: boolean;
  /** Safe to repeat after a timeout too (GETs). */
  idempotent?: boolean;
}

function defaultErrorText(body: unknown): string | undefined {
  if (!body || typeof body !== "object") return undefined;
  for (const key of ["detail", "error", "message"]) {
    const value = (body as Record<string, unknown>)[key];
    if (typeof value === "string" && value) return value;
    if (value && typeof value === "object") return JSON.stringify(value);
  }
  return undefined;
}

export interface ProviderClient {
  /** A JSON call: the parsed body of a 2xx answer (null when empty); ProviderError otherwise. */
  call(method: "GET" | "POST" | "PUT" | "DELETE", path: string, options?: CallOptions): Promise<unknown>;
}

export function providerClient(config: ProviderClientConfig): ProviderClient {
  const doFetch = config.fetch ?? fetch;
  const base = config.baseUrl.replace(/\/+$/, "");
  const timeoutMs = config.timeoutMs ?? 15_000;
  const errorText = config.errorText ?? defaultErrorText;
  return {
    async call(method, path, options = {}) {
      if (!config.authorization) throw new ProviderError(`${config.name}: ${config.missing}`, undefined, "provider_unavailable");
      const init: RequestInit = {
        method,
        headers: {
          Authorization: config.authorization,
          Accept: "application/json",
          ...(options.body !== undefined ? { "Content-Type": "application/json" } : {}),
        },
        body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
      };
      const url = `${base}${path}`;
      let res: Response;
      try {
        res = options.retry
          ? await fetchWithRetry(url, init, {
              ...config.submitRetry,
              fetch: doFetch,
              idempotent: options.idempotent,
              attemptTimeoutMs: timeoutMs,
              onRetry: ({ attempt, delayMs, reason }) => logger.warn({ method, path, attempt, delayMs }, `[${config.name}] ${reason}; retrying`),
            })
          : await doFetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
      } catch (error) {
        const timedOut = (error as Error)?.name === "TimeoutError";
        throw new ProviderError(`${config.name}: request failed (${(error as Error).message})`, undefined, timedOut ? "timed_out" : "provider_unavailable");
      }
      const text = await res.text();
      let json: unknown = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {
        if (res.ok) throw new ProviderError(`${config.name}: the answer is not JSON`);
      }
      if (!res.ok) {
        const detail = errorText(json);
        throw new ProviderError(`${config.name}: HTTP ${res.status}${detail ? `: ${detail.slice(0, 300)}` : ""}`, res.status);
      }
      return json;
    },
  };
}

/** The first http(s) URL in an output that may be a string, a list, or an object of them. */
export function firstUrl(output: unknown, depth = 0): string | null {
  if (depth > 8) return null;
  if (typeof output === "string") return /^https?:\/\//.test(output) ? output : null;
  if (Array.isArray(output)) {
    for (const item of output) {
      const url = firstUrl(item, depth + 1);
      if (url) return url;
    }
    return null;
  }
  if (output && typeof output === "object") return firstUrl(Object.values(output), depth + 1);
  return null;
}

/** Progress from a model's logs ("... 42%|████"), the last one printed. */
export function progressFromLogs(logs: string | null | undefined): number | null {
  if (!logs) return null;
  const all = [...logs.matchAll(/(\d{1,3})%/g)];
  if (all.length === 0) return null;
  return clampProgress(Number(all[all.length - 1][1]));
}

/** A provider's input mapping: sync or async (signing a task's file inputs is async). */
export type InputMapper<Input> = (input: Input, context: import("./types").SubmitContext) => Record<string, unknown> | Promise<Record<string, unknown>>;
