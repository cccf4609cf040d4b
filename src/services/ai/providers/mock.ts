import crypto from "node:crypto";
import { ProviderError, clampProgress, type JobOutput, type ProviderJobStatus, type ProviderUsage, type SubmitContext, type TaskProvider } from "../types";

/** A prompt containing this fails the job (to try the refund path without a real provider). */
export const MOCK_FAIL_MARKER = "mock:fail";

/**
 * The mock provider any task type can reuse: give it the sample outputs it returns.
 * Jobs are asynchronous (a job id, progress growing with time, completion after
 * `delayMs`), and a prompt containing `mock:fail` fails half-way.
 */
export interface MockProviderConfig<Input> {
  /** How long a job takes, from submission to success. */
  delayMs: number;
  /** The sample outputs (URLs, usually under public/) the mock picks from. */
  samples: readonly string[];
  /** Which sample an input gets (an index into `samples`); default the first. */
  pickSample?: (input: Input) => number;
  /** Output for every job instead of a sample (e.g. TEXT2VIDEO_MOCK_URL). */
  outputUrl?: string;
  /** What a job of this input reports it used when it succeeds (for metered task types); default nothing. */
  usage?: (input: Input) => ProviderUsage;
  /**
   * What a job's output depends on besides the sample, kept in its id (so it survives
   * restarts): lowercase letters, digits and dashes, at most 100, e.g. a measured duration
   * or an upload id and a scale. Gets the submit context (the task's files' facts).
   */
  param?: (input: Input, context: SubmitContext) => string;
  /** A finished job's output made from its `param` instead of a sample (a transcript, a rendering of the input). */
  output?: (param: string) => JobOutput;
  now?: () => number;
}

interface MockJob {
  createdAt: number;
  delayMs: number;
  sample: number;
  fail: boolean;
  param: string;
  usage?: ProviderUsage;
}

// The job's whole state is encoded in its id (created time, delay, sample, fail flag, param,
// and the usage it reports as base64url JSON), so status survives restarts and any instance
// can answer for any job.
const JOB_ID = /^mock_([0-9a-z]+)_([0-9a-z]+)_([0-9a-z]+)_([fo])(?:_p([0-9a-z-]{1,100}))?_[0-9a-f]{12}(?:_([A-Za-z0-9_-]+))?$/;
const PARAM = /^[0-9a-z-]{0,100}$/;

function encodeJob(job: MockJob): string {
  return [
    "mock",
    job.createdAt.toString(36),
    job.delayMs.toString(36),
    job.sample.toString(36),
    job.fail ? "f" : "o",
    ...(job.param ? [`p${job.param}`] : []),
    crypto.randomUUID().slice(-12),
    ...(job.usage ? [Buffer.from(JSON.stringify(job.usage)).toString("base64url")] : []),
  ].join("_");
}

function decodeUsage(encoded: string | undefined): ProviderUsage | undefined {
  if (!encoded) return undefined;
  try {
    const usage = JSON.parse(Buffer.from(encoded, "base64url").toString("utf8")) as unknown;
    if (usage && typeof usage === "object" && Object.values(usage).every((v) => typeof v === "number")) return usage as ProviderUsage;
  } catch {
    // fall through: not a usage this mock wrote
  }
  throw new ProviderError("mock: unknown job usage", 404);
}

function decodeJob(jobId: string): MockJob {
  const m = JOB_ID.exec(jobId);
  if (!m) throw new ProviderError(`mock: unknown job ${jobId}`, 404);
  return { createdAt: parseInt(m[1], 36), delayMs: parseInt(m[2], 36), sample: parseInt(m[3], 36), fail: m[4] === "f", param: m[5] ?? "", usage: decodeUsage(m[6]) };
}

/** The text a mock looks for `mock:fail` in: the input's prompt, or the whole input. */
function promptOf(input: unknown): string {
  const prompt = (input as { prompt?: unknown } | null)?.prompt;
  return typeof prompt === "string" ? prompt : JSON.stringify(input ?? "");
}

export function createMockProvider<Input>(config: MockProviderConfig<Input>): TaskProvider<Input> {
  const now = config.now ?? Date.now;
  if (config.samples.length === 0 && !config.outputUrl && !config.output) throw new Error("mock provider: give it samples, an outputUrl or an output");

  function statusOf(job: MockJob): ProviderJobStatus {
    const elapsed = now() - job.createdAt;
    // A failing job fails half-way, like a real model that errors mid-run.
    const finishAt = job.fail ? job.delayMs / 2 : job.delayMs;
    if (elapsed < finishAt) {
      return { state: "running", progress: clampProgress(Math.min(99, (elapsed / Math.max(1, job.delayMs)) * 100)) };
    }
    if (job.fail) {
      return { state: "failed", progress: 0, error: `the prompt asked the mock provider to fail (${MOCK_FAIL_MARKER})` };
    }
    if (config.output && !config.outputUrl) {
      const out = config.output(job.param);
      return { state: "succeeded", progress: 100, outputUrl: out.url ?? null, outputBody: out.body, result: out.result, output: { provider: "mock", param: job.param }, ...(job.usage ? { usage: job.usage } : {}) };
    }
    const outputUrl = config.outputUrl ?? config.samples[Math.min(job.sample, config.samples.length - 1)];
    return { state: "succeeded", progress: 100, outputUrl, output: { provider: "mock", output: outputUrl }, ...(job.usage ? { usage: job.usage } : {}) };
  }

  return {
    name: "mock",
    async submit(input, context) {
      const pick = config.pickSample?.(input) ?? 0;
      const param = config.param?.(input, context) ?? "";
      if (!PARAM.test(param)) throw new Error(`mock provider: param "${param}" must be lowercase letters, digits and dashes (at most 100)`);
      const job: MockJob = {
        createdAt: now(),
        delayMs: Math.max(0, Math.round(config.delayMs)),
        sample: Math.max(0, Math.trunc(pick)),
        fail: promptOf(input).includes(MOCK_FAIL_MARKER),
        param,
        usage: config.usage?.(input),
      };
      return { jobId: encodeJob(job), status: { state: "running", progress: 0 } };
    },
    async fetchStatus(jobId) {
      return statusOf(decodeJob(jobId));
    },
    async cancel() {
      // Nothing runs anywhere: a mock job is only its id.
    },
  };
}
