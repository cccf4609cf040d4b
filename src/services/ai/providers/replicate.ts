import { BadRequestError, UnauthorizedError } from "@/lib/errors";
import { fetchWithRetry, type BackoffOptions } from "@/lib/http-retry";
import { verifyStandardWebhook } from "../standard-webhooks";
import { ProviderError, clampProgress, type ProviderJobStatus, type TaskProvider } from "../types";
import { logger } from "@/lib/logger";

/**
 * Replicate's predictions HTTP API (https://replicate.com/docs/reference/http):
 *   POST {base}/v1/models/{owner}/{name}/predictions   (official models, "owner/name")
 *   POST {base}/v1/predictions with { version }         ("owner/name:version")
 *   GET  {base}/v1/predictions/{id}
 *   POST {base}/v1/predictions/{id}/cancel
 * Creating a prediction retries 429/5xx (and failures to connect) with backoff,
 * honouring Retry-After, within a bounded time (src/lib/http-retry.ts); a timeout
 * after the request was sent is not retried, as the prediction may exist (docs/tasks.md).
 * Webhooks are signed with Standard Webhooks headers (see ../standard-webhooks.ts).
 */
export interface ReplicateConfig<Input> {
  apiBase: string;
  apiToken?: string;
  /** "owner/name" or "owner/name:version". */
  model: string;
  /**
   * The model's input for a task's input. Models name their inputs differently:
   * each task type maps its own fields (see its folder under src/services/tasks/types/).
   */
  input: (input: Input) => Record<string, unknown>;
  /** Where Replicate should POST start/completed events; omitted = rely on polling. */
  webhookUrl?: string;
  webhookSecret?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Retries of "create a prediction" (default: src/lib/http-retry.ts DEFAULT_BACKOFF). */
  submitRetry?: BackoffOptions;
}

/** The documented prediction object (only the fields we read). */
export interface ReplicatePrediction {
  id: string;
  status: "starting" | "processing" | "succeeded" | "failed" | "canceled" | "aborted";
  output?: unknown;
  error?: unknown;
  logs?: string | null;
}

/** The first URL in an output that may be a string, a list of strings, or an object of them. */
function firstUrl(output: unknown): string | null {
  if (typeof output === "string") return /^https?:\/\//.test(output) ? output : null;
  if (Array.isArray(output)) {
    for (const item of output) {
      const url = firstUrl(item);
      if (url) return url;
    }
    return null;
  }
  if (output && typeof output === "object") return firstUrl(Object.values(output));
  return null;
}

/** Progress from the model's logs ("... 42%|████"), the last one printed. */
function progressFromLogs(logs: string | null | undefined): number | null {
  if (!logs) return null;
  const all = [...logs.matchAll(/(\d{1,3})%/g)];
  if (all.length === 0) return null;
  return clampProgress(Number(all[all.length - 1][1]));
}

export function mapPrediction(p: ReplicatePrediction): ProviderJobStatus {
  switch (p.status) {
    case "starting":
      return { state: "running", progress: 0 };
    case "processing":
      return { state: "running", progress: Math.min(99, progressFromLogs(p.logs) ?? 10) };
    case "succeeded": {
      const outputUrl = firstUrl(p.output);
      if (!outputUrl) return { state: "failed", progress: 0, error: "the provider returned no output", output: p };
      return { state: "succeeded", progress: 100, outputUrl, output: { id: p.id, status: p.status, output: p.output } };
    }
    case "failed":
    case "aborted":
      return { state: "failed", progress: 0, error: typeof p.error === "string" && p.error ? p.error.slice(0, 500) : "the provider failed" };
    case "canceled":
      return { state: "failed", progress: 0, error: "canceled at the provider" };
    default:
      throw new ProviderError(`replicate: unknown prediction status ${String((p as { status?: unknown }).status)}`);
  }
}

function isPrediction(value: unknown): value is ReplicatePrediction {
  const v = value as ReplicatePrediction | null;
  return !!v && typeof v === "object" && typeof v.id === "string" && typeof v.status === "string";
}

export function createReplicateProvider<Input>(config: ReplicateConfig<Input>): TaskProvider<Input> {
  const doFetch = config.fetch ?? fetch;
  const base = config.apiBase.replace(/\/+$/, "");

  async function call(method: "GET" | "POST", path: string, body?: unknown, options: { retry?: boolean } = {}): Promise<ReplicatePrediction> {
    if (!config.apiToken) throw new ProviderError("replicate: REPLICATE_API_TOKEN is not set", undefined, "provider_unavailable");
    let res: Response;
    const init: RequestInit = {
      method,
      headers: {
        Authorization: `Bearer ${config.apiToken}`,
        ...(body ? { "Content-Type": "application/json" } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    };
    const timeoutMs = config.timeoutMs ?? 15_000;
    try {
      res = options.retry
        ? await fetchWithRetry(`${base}${path}`, init, {
            ...config.submitRetry,
            fetch: doFetch,
            attemptTimeoutMs: timeoutMs,
            onRetry: ({ attempt, delayMs, reason }) => logger.warn({ method, path, attempt, delayMs }, `[replicate] ${reason}; retrying`),
          })
        : await doFetch(`${base}${path}`, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      const timedOut = (error as Error)?.name === "TimeoutError";
      throw new ProviderError(`replicate: request failed (${(error as Error).message})`, undefined, timedOut ? "timed_out" : "provider_unavailable");
    }
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      // handled below
    }
    if (!res.ok) {
      const detail = (json as { detail?: unknown } | null)?.detail;
      throw new ProviderError(`replicate: HTTP ${res.status}${typeof detail === "string" ? `: ${detail.slice(0, 300)}` : ""}`, res.status);
    }
    if (!isPrediction(json)) throw new ProviderError("replicate: unexpected response shape");
    return json;
  }

  return {
    name: "replicate",
    async submit(options) {
      const [model, version] = config.model.split(":", 2);
      const body: Record<string, unknown> = { input: config.input(options) };
      if (config.webhookUrl) {
        body.webhook = config.webhookUrl;
        body.webhook_events_filter = ["start", "completed"];
      }
      const prediction = version
        ? await call("POST", "/v1/predictions", { version, ...body }, { retry: true })
        : await call("POST", `/v1/models/${model}/predictions`, body, { retry: true });
      return { jobId: prediction.id, status: mapPrediction(prediction) };
    },
    async fetchStatus(jobId) {
      return mapPrediction(await call("GET", `/v1/predictions/${encodeURIComponent(jobId)}`));
    },
    async cancel(jobId) {
      await call("POST", `/v1/predictions/${encodeURIComponent(jobId)}/cancel`);
    },
    async parseWebhook({ headers, body }) {
      if (!config.webhookSecret) throw new UnauthorizedError("webhook secret not configured");
      verifyStandardWebhook({ secret: config.webhookSecret, headers, body });
      let prediction: unknown;
      try {
        prediction = JSON.parse(body);
      } catch {
        throw new BadRequestError("malformed JSON body");
      }
      if (!isPrediction(prediction)) throw new BadRequestError("body: not a prediction", "body");
      return { jobId: prediction.id, status: mapPrediction(prediction) };
    },
  };
}

/** Where Replicate should send webhooks: only public HTTPS URLs work, so a local http:// run relies on polling. */
export function replicateWebhookUrl(appUrl: string): string | undefined {
  return appUrl.startsWith("https://") ? new URL("/api/webhooks/replicate", appUrl).toString() : undefined;
}
