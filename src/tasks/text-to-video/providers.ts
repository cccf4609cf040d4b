import { createMockProvider, type MockProviderConfig } from "@/services/ai/providers/mock";
import { DEMO_SCENES, pickDemoScene, type DemoScene } from "@/services/ai/providers/demo-scenes";
import { createReplicateProvider, type ReplicateConfig } from "@/services/ai/providers/replicate";
import { ASPECT_RATIOS, TEXT2VIDEO_MAX_SECONDS, TEXT2VIDEO_MIN_SECONDS, type AspectRatio, type TextToVideoInput } from "./input";

/** A clip of the demo generator (public/demo/video/, scripts/render-demo-media.sh): exactly `seconds` long. */
export const demoVideoUrl = (scene: DemoScene, aspectRatio: AspectRatio, seconds: number) => `/demo/video/${scene}-${aspectRatio}-${seconds}s.mp4`;

/** Every clip the demo generator has: each scene in each aspect ratio at each length the form offers. */
const DEMO_VIDEOS = DEMO_SCENES.flatMap((scene) =>
  ASPECT_RATIOS.flatMap((ratio) =>
    Array.from({ length: TEXT2VIDEO_MAX_SECONDS - TEXT2VIDEO_MIN_SECONDS + 1 }, (_, i) => demoVideoUrl(scene, ratio, TEXT2VIDEO_MIN_SECONDS + i)),
  ),
);

/** The demo clip a task gets: the prompt's scene, the task's aspect ratio and length. */
export const demoVideoFor = (input: TextToVideoInput) => demoVideoUrl(pickDemoScene(input.prompt), input.aspectRatio, input.seconds);

/** The mock for text-to-video: the demo clip of the requested length and aspect ratio, its scene chosen by the prompt. */
export function textToVideoMock(config: Omit<MockProviderConfig<TextToVideoInput>, "samples" | "pickSample">) {
  return createMockProvider<TextToVideoInput>({
    ...config,
    samples: DEMO_VIDEOS,
    pickSample: (input) => DEMO_VIDEOS.indexOf(demoVideoFor(input)),
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
