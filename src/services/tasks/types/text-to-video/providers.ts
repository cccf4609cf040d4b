import { createMockProvider, type MockProviderConfig } from "@/services/ai/providers/mock";
import { createReplicateProvider, type ReplicateConfig } from "@/services/ai/providers/replicate";
import { ASPECT_RATIOS, type AspectRatio, type TextToVideoInput } from "./input";

/** The bundled sample videos (public/videos/), one per aspect ratio. */
export function sampleVideoUrl(aspectRatio: AspectRatio): string {
  return `/videos/sample-${aspectRatio}.mp4`;
}

/** The mock for text-to-video: the sample matching the task's aspect ratio. */
export function textToVideoMock(config: Omit<MockProviderConfig<TextToVideoInput>, "samples" | "pickSample">) {
  return createMockProvider<TextToVideoInput>({
    ...config,
    samples: ASPECT_RATIOS.map(sampleVideoUrl),
    pickSample: (input) => ASPECT_RATIOS.indexOf(input.aspectRatio),
  });
}

const ASPECT: Record<AspectRatio, string> = { landscape: "16:9", portrait: "9:16", square: "1:1" };

/**
 * The text-to-video model on Replicate (REPLICATE_MODEL) and its version whose input
 * schema the mapping below follows (docs/tasks.md "Replicate models"):
 * bytedance/seedance-1-lite — prompt; duration integer 2–12 s; aspect_ratio
 * (16:9, 9:16, 1:1, ...); resolution 480p/720p/1080p (default 720p); fps 24; seed,
 * camera_fixed, image, last_frame_image, reference_images (not offered).
 */
export const REPLICATE_VIDEO_MODEL =
  "bytedance/seedance-1-lite:f22bbc7d965c70af30ba3b157e3bb05d232136555885e934b92878ad773f48c1";
/** The model's shortest video. A 1-second request gets 2 seconds, priced as 2 (TEXT2VIDEO_COST.MIN_CREDITS covers it). */
export const REPLICATE_MIN_DURATION = 2;

/**
 * The model's input for a task's input:
 *   prompt      -> prompt
 *   seconds     -> duration (at least REPLICATE_MIN_DURATION; the form offers up to 10, the model takes 12)
 *   aspectRatio -> aspect_ratio (landscape 16:9, portrait 9:16, square 1:1)
 *   (fixed)     -> resolution 720p, so every second costs the same (pricing is per second)
 */
export function replicateInput(input: TextToVideoInput): Record<string, unknown> {
  return {
    prompt: input.prompt,
    duration: Math.max(REPLICATE_MIN_DURATION, input.seconds),
    aspect_ratio: ASPECT[input.aspectRatio],
    resolution: "720p",
  };
}

export function textToVideoReplicate(config: Omit<ReplicateConfig<TextToVideoInput>, "input">) {
  return createReplicateProvider<TextToVideoInput>({ ...config, input: replicateInput });
}
