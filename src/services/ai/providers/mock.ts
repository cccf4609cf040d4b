import crypto from "node:crypto";
import { ASPECT_RATIOS, type AspectRatio } from "@/data/tasks";
import { ProviderError, clampProgress, type ProviderJobStatus, type VideoProvider } from "../types";

/** A prompt containing this fails the job (to try the refund path without a real provider). */
export const MOCK_FAIL_MARKER = "mock:fail";

export interface MockProviderConfig {
  /** How long a job takes, from submission to success. */
  delayMs: number;
  /** Output for every job; default: the bundled sample matching the aspect ratio. */
  outputUrl?: string;
  now?: () => number;
}

interface MockJob {
  createdAt: number;
  delayMs: number;
  aspectRatio: AspectRatio;
  fail: boolean;
}

// The job's whole state is encoded in its id (created time, delay, ratio, fail flag),
// so status survives restarts and any instance can answer for any job.
const JOB_ID = /^mock_([0-9a-z]+)_([0-9a-z]+)_([lps])_([fo])_[0-9a-f]{12}$/;

function encodeJob(job: MockJob): string {
  return [
    "mock",
    job.createdAt.toString(36),
    job.delayMs.toString(36),
    job.aspectRatio[0],
    job.fail ? "f" : "o",
    crypto.randomUUID().slice(-12),
  ].join("_");
}

function decodeJob(jobId: string): MockJob {
  const m = JOB_ID.exec(jobId);
  if (!m) throw new ProviderError(`mock: unknown job ${jobId}`, 404);
  const aspectRatio = ASPECT_RATIOS.find((a) => a[0] === m[3])!;
  return { createdAt: parseInt(m[1], 36), delayMs: parseInt(m[2], 36), aspectRatio, fail: m[4] === "f" };
}

export function sampleVideoUrl(aspectRatio: AspectRatio): string {
  return `/videos/sample-${aspectRatio}.mp4`;
}

export function createMockProvider(config: MockProviderConfig): VideoProvider {
  const now = config.now ?? Date.now;

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
    const outputUrl = config.outputUrl ?? sampleVideoUrl(job.aspectRatio);
    return { state: "succeeded", progress: 100, outputUrl, output: { provider: "mock", output: outputUrl } };
  }

  return {
    name: "mock",
    async submit(options) {
      const job: MockJob = {
        createdAt: now(),
        delayMs: Math.max(0, Math.round(config.delayMs)),
        aspectRatio: options.aspectRatio,
        fail: options.prompt.includes(MOCK_FAIL_MARKER),
      };
      return { jobId: encodeJob(job), status: { state: "running", progress: 0 } };
    },
    async fetchStatus(jobId) {
      return statusOf(decodeJob(jobId));
    },
  };
}
