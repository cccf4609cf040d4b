import { BadRequestError, UnauthorizedError } from "@/lib/http/errors";
import type { BackoffOptions } from "@/lib/http/retry";
import { firstUrl, progressFromLogs, providerClient, type InputMapper } from "../kit";
import { verifyStandardWebhook } from "../standard-webhooks";
import { ProviderError, type JobOutput, type ProviderJobStatus, type TaskProvider } from "../types";

/**
 * Replicate's predictions HTTP API (https://replicate.com/docs/reference/http):
 *   POST {base}/v1/models/{owner}/{name}/predictions   (official models, "owner/name")
 *   POST {base}/v1/predictions with { version }         ("owner/name:version")
 *   GET  {base}/v1/predictions/{id}
 *   POST {base}/v1/predictions/{id}/cancel
 * The HTTP plumbing (auth, timeouts, retries of the create call with backoff honouring
 * Retry-After, errors) is the provider kit's (../kit.ts); this file is the mapping.
 * Webhooks are signed with Standard Webhooks headers (see ../standard-webhooks.ts).
 */
export interface ReplicateConfig<Input> {
  apiBase: string;
  apiToken?: string;
  /** "owner/name" or "owner/name:version". */
  model: string;
  /**
   * The model's input for a task's input. Models name their inputs differently:
   * each task type maps its own fields (see its folder under src/tasks/). May be async:
   * a file field becomes `await context.signedInputUrl("image")`.
   */
  input: InputMapper<Input>;
  /**
   * The task's output in the model's output (default: its first URL). A model that answers
   * JSON instead of a file (e.g. a transcript) gives `{ body: text, result }`.
   */
  output?: (output: unknown) => JobOutput | null;
  /** Where Replicate should POST start/completed events; omitted = rely on polling. */
  webhookUrl?: string;
  webhookSecret?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Retries of "create a prediction" (default: src/lib/http/retry.ts DEFAULT_BACKOFF). */
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

/** The default output mapping: the first URL in the model's output. */
const urlOutput = (output: unknown): JobOutput | null => ({ url: firstUrl(output) });

export function mapPrediction(p: ReplicatePrediction, outputOf: (output: unknown) => JobOutput | null = urlOutput): ProviderJobStatus {
  switch (p.status) {
    case "starting":
      return { state: "running", progress: 0 };
    case "processing":
      return { state: "running", progress: Math.min(99, progressFromLogs(p.logs) ?? 10) };
    case "succeeded": {
      const out = outputOf(p.output);
      if (!out || (!out.url && out.body === undefined)) return { state: "failed", progress: 0, error: "the provider returned no output", output: p };
      return {
        state: "succeeded",
        progress: 100,
        outputUrl: out.url ?? null,
        outputBody: out.body,
        result: out.result,
        output: { id: p.id, status: p.status, output: p.output },
      };
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
  const client = providerClient({
    name: "replicate",
    baseUrl: config.apiBase,
    authorization: config.apiToken ? `Bearer ${config.apiToken}` : undefined,
    missing: "REPLICATE_API_TOKEN is not set",
    fetch: config.fetch,
    timeoutMs: config.timeoutMs,
    submitRetry: config.submitRetry,
  });

  async function call(method: "GET" | "POST", path: string, body?: unknown, options: { retry?: boolean } = {}): Promise<ReplicatePrediction> {
    const json = await client.call(method, path, { body, retry: options.retry });
    if (!isPrediction(json)) throw new ProviderError("replicate: unexpected response shape");
    return json;
  }

  return {
    name: "replicate",
    async submit(input, context) {
      const [model, version] = config.model.split(":", 2);
      const body: Record<string, unknown> = { input: await config.input(input, context) };
      if (config.webhookUrl) {
        body.webhook = config.webhookUrl;
        body.webhook_events_filter = ["start", "completed"];
      }
      const prediction = version
        ? await call("POST", "/v1/predictions", { version, ...body }, { retry: true })
        : await call("POST", `/v1/models/${model}/predictions`, body, { retry: true });
      return { jobId: prediction.id, status: mapPrediction(prediction, config.output) };
    },
    async fetchStatus(jobId) {
      return mapPrediction(await call("GET", `/v1/predictions/${encodeURIComponent(jobId)}`), config.output);
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
      return { jobId: prediction.id, status: mapPrediction(prediction, config.output) };
    },
  };
}

/** Where Replicate should send webhooks: only public HTTPS URLs work, so a local http:// run relies on polling. */
export function replicateWebhookUrl(appUrl: string): string | undefined {
  return appUrl.startsWith("https://") ? new URL("/api/webhooks/replicate", appUrl).toString() : undefined;
}
