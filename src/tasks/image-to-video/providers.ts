import { createMockProvider } from "@/services/ai/providers/mock";
import { createReplicateProvider, type ReplicateConfig } from "@/services/ai/providers/replicate";
import type { SubmitContext } from "@/services/ai/types";
import { IMAGE2VIDEO_MAX_SECONDS, IMAGE2VIDEO_MIN_SECONDS, type ImageToVideoInput } from "./input";

const LENGTHS = Array.from({ length: IMAGE2VIDEO_MAX_SECONDS - IMAGE2VIDEO_MIN_SECONDS + 1 }, (_, i) => IMAGE2VIDEO_MIN_SECONDS + i);

/** The bundled sample clips (public/videos/image-to-video-<n>s.mp4), one per length. */
export const sampleClipUrl = (seconds: number) => `/videos/image-to-video-${seconds}s.mp4`;

/** The mock: the bundled clip of the requested length (a prompt containing mock:fail fails half-way). */
export function imageToVideoMock(config: { delayMs: number }) {
  return createMockProvider<ImageToVideoInput>({
    delayMs: config.delayMs,
    samples: LENGTHS.map(sampleClipUrl),
    pickSample: (input) => LENGTHS.indexOf(input.seconds),
  });
}

/**
 * Wan 2.2 image-to-video (A14B) on Replicate (IMAGE2VIDEO_REPLICATE_MODEL, default the pinned
 * version below). Its inputs: `image` (the first frame), `prompt`, `num_frames` (81–100, 81
 * recommended), `resolution` ("480p" | "720p"; 832×480 is 16:9, 480×832 9:16), `frames_per_second`
 * (5–24, default 16), `sample_steps`, `sample_shift`, `seed`. Its output: the MP4's URL.
 * A clip of `seconds` is num_frames / frames_per_second: the rate is the highest (at most 24)
 * whose frames for that length fit in 81–100, so every length from 4 to 8 s is exact:
 *   4 s = 96 frames at 24 fps, 5 s = 100 at 20, 6 s = 96 at 16, 7 s = 98 at 14, 8 s = 96 at 12.
 *   image   -> image (a signed URL of the upload)
 *   prompt  -> prompt
 *   seconds -> num_frames, frames_per_second
 *   (fixed) resolution "480p": the price per second assumes it
 */
export const REPLICATE_IMAGE2VIDEO_MODEL = "wan-video/wan-2.2-i2v-a14b:9c49fe41d6b2a0e62199dc96bee4a9dd3565a4c563f9b80998358f14322c34f6";
const MIN_FRAMES = 81;
const MAX_FRAMES = 100;

export function wanFrames(seconds: number): { num_frames: number; frames_per_second: number } {
  const fps = Math.min(24, Math.floor(MAX_FRAMES / seconds));
  return { num_frames: Math.min(MAX_FRAMES, Math.max(MIN_FRAMES, seconds * fps)), frames_per_second: fps };
}

export async function wanInput(input: ImageToVideoInput, context: Pick<SubmitContext, "signedInputUrl">) {
  return { image: await context.signedInputUrl("image"), prompt: input.prompt, ...wanFrames(input.seconds), resolution: "480p" };
}

export function imageToVideoReplicate(config: Omit<ReplicateConfig<ImageToVideoInput>, "input">) {
  return createReplicateProvider<ImageToVideoInput>({ ...config, input: wanInput });
}
