import type { ProviderErrorCode } from "@/lib/provider-errors";
import type { UploadFacts } from "@/services/uploads/field";

/**
 * The provider interface every task type's providers implement, generic over the
 * type's input. A provider knows nothing about tasks, credits or the database: it
 * starts a job, reports its state and (optionally) verifies webhooks and cancels.
 */

/**
 * What a job consumed, as its provider reports it: e.g. { seconds: 4.2 } or
 * { inputTokens: 812, outputTokens: 430 }. A metered task type prices it (costFromUsage).
 */
export type ProviderUsage = Record<string, number>;

/**
 * A provider job's state, mapped onto the task lifecycle.
 * `running` covers the provider's own "starting"/"processing"; `progress` is 0-100.
 */
/**
 * A finished job's output when it is not a file at a URL: its text (a transcript a model
 * answered inside its JSON), or a way to read its bytes (e.g. a mock rendering one). It is
 * stored like a downloaded one (checked against the type's output kind).
 */
export type OutputBody = string | (() => Promise<AsyncIterable<Uint8Array>>);

/** What a finished job produced, as an adapter's output mapping gives it. */
export interface JobOutput {
  /** Where the output file is (the provider's delivery URL). */
  url?: string | null;
  /** Or the output itself. */
  body?: OutputBody;
  /** What the task shows besides its file, as JSON (e.g. a transcript's timed segments): the task's `output`. */
  result?: unknown;
}

export interface ProviderJobStatus {
  state: "running" | "succeeded" | "failed";
  progress: number;
  outputUrl?: string | null;
  /** What a succeeded job used, when the provider reports it (metered task types charge by it). */
  usage?: ProviderUsage;
  /** The output itself instead of a URL (see OutputBody). */
  outputBody?: OutputBody;
  /** The type's result JSON, stored with the task and served as the task DTO's `output` (owner only). */
  result?: unknown;
  /** The provider's raw answer, stored as the task's output_json. */
  output?: unknown;
  error?: string | null;
  /** The stable code of a failure, when the provider knows it (else the lifecycle classifies `error`). */
  errorCode?: ProviderErrorCode;
}

export interface SubmitContext {
  taskUuid: string;
  /** The measured facts of the task's uploaded inputs, by field name (none for a type without file fields). */
  files: Record<string, UploadFacts>;
  /**
   * A signed URL the provider can fetch the file in `field` from, valid
   * UPLOAD_PROVIDER_URL_TTL_SECONDS (default 1 hour). Throws for a field with no file.
   */
  signedInputUrl(field: string): Promise<string>;
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
 * type's `providers` (src/tasks/<type>/index.ts).
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
