import { createMockProvider, type MockProviderConfig } from "@/services/ai/providers/mock";
import { DEMO_SCENES, pickDemoScene, type DemoScene } from "@/services/ai/providers/demo-scenes";
import { createReplicateProvider, type ReplicateConfig } from "@/services/ai/providers/replicate";
import { IMAGE_SIZES, type ImageSize, type TextToImageInput } from "./input";

/** An image of the demo generator (public/demo/image/, scripts/render-demo-media.sh) at one size. */
export const demoImageUrl = (scene: DemoScene, size: ImageSize) => `/demo/image/${scene}-${size}.jpg`;

/** Every image the demo generator has: each scene at each size the form offers. */
const DEMO_IMAGES = DEMO_SCENES.flatMap((scene) => IMAGE_SIZES.map((size) => demoImageUrl(scene, size)));

/** The demo image a task gets: the prompt's scene at the requested size. */
export const demoImageFor = (input: TextToImageInput) => demoImageUrl(pickDemoScene(input.prompt), input.size);

/** The mock for text-to-image: the demo image of the requested size, its scene chosen by the prompt. */
export function textToImageMock(config: Omit<MockProviderConfig<TextToImageInput>, "samples" | "pickSample">) {
  return createMockProvider<TextToImageInput>({
    ...config,
    samples: DEMO_IMAGES,
    pickSample: (input) => DEMO_IMAGES.indexOf(demoImageFor(input)),
  });
}

/**
 * FLUX schnell on Replicate (black-forest-labs/flux-schnell, TEXT2IMAGE_REPLICATE_MODEL).
 * Its inputs: prompt, aspect_ratio ("1:1", "16:9", ...), megapixels ("1" | "0.25"),
 * num_outputs (1-4), output_format ("webp" | "jpg" | "png"), output_quality, ...
 * Our sizes are square: aspect_ratio "1:1", and megapixels picks the resolution:
 * "0.25" gives 512x512, "1" gives 1024x1024. One image per task (num_outputs 1),
 * as PNG, so the user gets exactly the image they paid for.
 */
const MEGAPIXELS: Record<ImageSize, string> = { "512x512": "0.25", "1024x1024": "1" };

export function fluxSchnellInput(input: TextToImageInput): Record<string, unknown> {
  return { prompt: input.prompt, aspect_ratio: "1:1", megapixels: MEGAPIXELS[input.size], num_outputs: 1, output_format: "png" };
}

export function textToImageReplicate(config: Omit<ReplicateConfig<TextToImageInput>, "input">) {
  return createReplicateProvider<TextToImageInput>({ ...config, input: fluxSchnellInput });
}
