import type { ProviderErrorCode } from "@/lib/provider-errors";

/**
 * The provider interface every task type's providers implement, generic over the
 * type's input. A provider knows nothing about tasks, credits or the database: it
 * starts a job, reports its state and (optionally) verifies webhooks and cancels.
 */

/**
 * A provider job's state, mapped onto the task lifecycle.
 * `running` covers the provider's own "starting"/"processing"; `progress` is 0-100.
 */
export interface ProviderJobStatus {
  state: "running" | "succeeded" | "failed";
  progress: number;
  outputUrl?: string | null;
  /** The provider's raw answer, stored as the task's output_json. */
  output?: unknown;
  error?: string | null;
  /** The stable code of a failure, when the provider knows it (else the lifecycle classifies `error`). */
  errorCode?: ProviderErrorCode;
}

export interface SubmitContext {
  taskUuid: string;
}

/** A provider's webhook, verified and parsed: which job it is about, and its state. */
export interface ProviderWebhookEvent {
  jobId: string;
  status: ProviderJobStatus;
}

/** The raw webhook request a route hands over (the body exactly as received). */
export interface WebhookRequest {
  headers: Headers;
  body: string;
}

/**
 * The one interface every provider implements, for a task type whose (validated)
 * input is `Input`. Adding a provider to a type is one file plus one entry in the
 * type's `providers` (src/services/tasks/types/<type>/index.ts).
 */
export interface TaskProvider<Input = unknown> {
  readonly name: string;
  /** Starts a job and returns at once (never waits for the output). */
  submit(input: Input, context: SubmitContext): Promise<{ jobId: string; status: ProviderJobStatus }>;
  /** The job's current state. */
  fetchStatus(jobId: string): Promise<ProviderJobStatus>;
  /** Verifies and parses a webhook delivery; throws a 400/401 AppError when it is not authentic. Absent = no webhooks. */
  parseWebhook?(request: WebhookRequest): Promise<ProviderWebhookEvent>;
  /** Asks the provider to stop the job. Absent = the provider cannot cancel. */
  cancel?(jobId: string): Promise<void>;
}

/** A provider call failed (network, non-2xx, unexpected shape). The message is safe to show. */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly httpStatus?: number,
    /** The stable code, when the call knows it (e.g. a network failure: provider_unavailable); else classified. */
    readonly code?: ProviderErrorCode,
  ) {
    super(message);
    this.name = "ProviderError";
  }
}

export const clampProgress = (n: number) => Math.max(0, Math.min(100, Math.round(Number.isFinite(n) ? n : 0)));
