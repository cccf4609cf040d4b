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
 * The model's input (REPLICATE_MODEL, default minimax/video-01). Video models name
 * their inputs differently; change this one function for a model with other names.
 */
export function replicateInput(input: TextToVideoInput): Record<string, unknown> {
  return { prompt: input.prompt, duration: input.seconds, aspect_ratio: ASPECT[input.aspectRatio] };
}

export function textToVideoReplicate(config: Omit<ReplicateConfig<TextToVideoInput>, "input">) {
  return createReplicateProvider<TextToVideoInput>({ ...config, input: replicateInput });
}
