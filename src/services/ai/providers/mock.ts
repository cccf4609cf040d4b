import crypto from "node:crypto";
import { ProviderError, clampProgress, type ProviderJobStatus, type TaskProvider } from "../types";

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
  now?: () => number;
}

interface MockJob {
  createdAt: number;
  delayMs: number;
  sample: number;
  fail: boolean;
}

// The job's whole state is encoded in its id (created time, delay, sample, fail flag),
// so status survives restarts and any instance can answer for any job.
const JOB_ID = /^mock_([0-9a-z]+)_([0-9a-z]+)_([0-9a-z]+)_([fo])_[0-9a-f]{12}$/;

function encodeJob(job: MockJob): string {
  return [
    "mock",
    job.createdAt.toString(36),
    job.delayMs.toString(36),
    job.sample.toString(36),
    job.fail ? "f" : "o",
    crypto.randomUUID().slice(-12),
  ].join("_");
}

function decodeJob(jobId: string): MockJob {
  const m = JOB_ID.exec(jobId);
  if (!m) throw new ProviderError(`mock: unknown job ${jobId}`, 404);
  return { createdAt: parseInt(m[1], 36), delayMs: parseInt(m[2], 36), sample: parseInt(m[3], 36), fail: m[4] === "f" };
}

/** The text a mock looks for `mock:fail` in: the input's prompt, or the whole input. */
function promptOf(input: unknown): string {
  const prompt = (input as { prompt?: unknown } | null)?.prompt;
  return typeof prompt === "string" ? prompt : JSON.stringify(input ?? "");
}

export function createMockProvider<Input>(config: MockProviderConfig<Input>): TaskProvider<Input> {
  const now = config.now ?? Date.now;
  if (config.samples.length === 0 && !config.outputUrl) throw new Error("mock provider: give it samples or an outputUrl");

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
    const outputUrl = config.outputUrl ?? config.samples[Math.min(job.sample, config.samples.length - 1)];
    return { state: "succeeded", progress: 100, outputUrl, output: { provider: "mock", output: outputUrl } };
  }

  return {
    name: "mock",
    async submit(input) {
      const pick = config.pickSample?.(input) ?? 0;
      const job: MockJob = {
        createdAt: now(),
        delayMs: Math.max(0, Math.round(config.delayMs)),
        sample: Math.max(0, Math.trunc(pick)),
        fail: promptOf(input).includes(MOCK_FAIL_MARKER),
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
