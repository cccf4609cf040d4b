import { firstUrl, providerClient, type InputMapper } from "../kit";
import { ProviderError, type JobOutput, type ProviderJobStatus, type TaskProvider } from "../types";
import type { BackoffOptions } from "@/lib/http/retry";

/**
 * fal.ai's queue API (https://docs.fal.ai/model-endpoints/queue), `Authorization: Key <FAL_KEY>`:
 *   POST {base}/{model}                               submit: the model's input as the body;
 *                                                     answers { request_id, status_url, response_url, cancel_url }
 *   GET  {base}/{app}/requests/{request_id}/status    { status: IN_QUEUE | IN_PROGRESS | COMPLETED, queue_position, logs, error? }
 *   GET  {base}/{app}/requests/{request_id}           the result (the model's output JSON)
 *   PUT  {base}/{app}/requests/{request_id}/cancel
 * `model` may carry a subpath (fal-ai/flux/dev); status, result and cancel use its app,
 * the first two segments (fal-ai/flux), as fal documents. Webhooks are not used: the
 * sweeper and page polls follow the job. The kit (../kit.ts) does the HTTP plumbing.
 */
export interface FalConfig<Input> {
  /** Default https://queue.fal.run (FAL_QUEUE_BASE). */
  queueBase: string;
  apiKey?: string;
  /** The model id, e.g. "fal-ai/flux/schnell". */
  model: string;
  /** The model's input for a task's input (may be async: signed URLs of file inputs). */
  input: InputMapper<Input>;
  /**
   * The task's output in the model's result: its URL (default: the first URL in it), or
   * `{ body: text, result }` for a model that answers JSON (e.g. a transcript).
   */
  output?: (result: unknown) => string | JobOutput | null;
  fetch?: typeof fetch;
  timeoutMs?: number;
  submitRetry?: BackoffOptions;
}

interface FalStatus {
  status: "IN_QUEUE" | "IN_PROGRESS" | "COMPLETED";
  queue_position?: number;
  logs?: { message?: string }[] | null;
  /** Set on a COMPLETED request whose run failed. */
  error?: unknown;
}

function isStatus(value: unknown): value is FalStatus {
  const status = (value as { status?: unknown } | null)?.status;
  return status === "IN_QUEUE" || status === "IN_PROGRESS" || status === "COMPLETED";
}

/** The app a model id belongs to: its owner and name, without a subpath. */
export function falApp(model: string): string {
  return model.split("/").slice(0, 2).join("/");
}

export function createFalProvider<Input>(config: FalConfig<Input>): TaskProvider<Input> {
  const client = providerClient({
    name: "fal",
    baseUrl: config.queueBase,
    authorization: config.apiKey ? `Key ${config.apiKey}` : undefined,
    missing: "FAL_KEY is not set",
    fetch: config.fetch,
    timeoutMs: config.timeoutMs,
    submitRetry: config.submitRetry,
  });
  const app = falApp(config.model);
  const request = (id: string) => `/${app}/requests/${encodeURIComponent(id)}`;
  const outputOf = config.output ?? firstUrl;

  async function statusOf(id: string): Promise<ProviderJobStatus> {
    const status = await client.call("GET", `${request(id)}/status?logs=1`);
    if (!isStatus(status)) throw new ProviderError("fal: unexpected status shape");
    if (status.status === "IN_QUEUE") return { state: "running", progress: 0 };
    if (status.status === "IN_PROGRESS") return { state: "running", progress: 10 };
    if (status.error) {
      const error = typeof status.error === "string" ? status.error : JSON.stringify(status.error);
      return { state: "failed", progress: 0, error: error.slice(0, 500), output: status };
    }
    // COMPLETED: the result holds the output. A failed run answers its error here (4xx/5xx).
    let result: unknown;
    try {
      result = await client.call("GET", request(id));
    } catch (error) {
      if (error instanceof ProviderError && error.httpStatus !== undefined && error.httpStatus < 500 && error.httpStatus !== 429) {
        return { state: "failed", progress: 0, error: error.message.slice(0, 500) };
      }
      throw error;
    }
    const mapped = outputOf(result);
    const out: JobOutput | null = typeof mapped === "string" ? { url: mapped } : mapped;
    if (!out || (!out.url && out.body === undefined)) return { state: "failed", progress: 0, error: "the provider returned no output", output: result };
    return { state: "succeeded", progress: 100, outputUrl: out.url ?? null, outputBody: out.body, result: out.result, output: { requestId: id, result } };
  }

  return {
    name: "fal",
    async submit(input, context) {
      const answer = (await client.call("POST", `/${config.model}`, { body: await config.input(input, context), retry: true })) as {
        request_id?: unknown;
      } | null;
      if (!answer || typeof answer.request_id !== "string" || !answer.request_id) throw new ProviderError("fal: the submit answer has no request_id");
      return { jobId: answer.request_id, status: { state: "running", progress: 0 } };
    },
    fetchStatus: statusOf,
    async cancel(jobId) {
      await client.call("PUT", `${request(jobId)}/cancel`);
    },
  };
}
