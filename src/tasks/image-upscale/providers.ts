import sharp from "sharp";
import { createMockProvider } from "@/services/ai/providers/mock";
import { createReplicateProvider, type ReplicateConfig } from "@/services/ai/providers/replicate";
import { storage } from "@/services/storage";
import { uploadKey } from "@/services/uploads";
import type { ImageUpscaleInput, UpscaleScale } from "./input";

/**
 * The mock: the uploaded photo itself, resampled (Lanczos) to scale × its size, as a PNG.
 * The job's id keeps the upload and the scale, so any instance can render it after a restart.
 */
export function imageUpscaleMock(config: { delayMs: number }) {
  return createMockProvider<ImageUpscaleInput>({
    delayMs: config.delayMs,
    samples: [],
    param: (input, context) => `${input.scale}-${context.files.image.id}`,
    output: (param) => {
      const [scale, ...id] = param.split("-");
      return { body: () => resampled(id.join("-"), Number(scale) as UpscaleScale) };
    },
  });
}

/** The stored upload, scaled up as a PNG stream (EXIF orientation applied first). */
async function resampled(uploadId: string, scale: UpscaleScale): Promise<AsyncIterable<Uint8Array>> {
  const source = await storage().get(uploadKey(uploadId));
  if (!source) throw new Error("the input image is gone");
  // The input is at most UPSCALE_IMAGE.maxBytes (10 MB): read whole, so its size is known first.
  const input = Buffer.concat(await source.toArray());
  const meta = await sharp(input).metadata();
  const turned = (meta.orientation ?? 1) >= 5;
  const width = (turned ? meta.height : meta.width)! * scale;
  return sharp(input).rotate().resize({ width, kernel: "lanczos3" }).png();
}

/**
 * Real-ESRGAN on Replicate (IMAGE_UPSCALE_REPLICATE_MODEL, default the pinned version
 * below). Its inputs: `image` (a URL), `scale` (number 0–10, default 4), `face_enhance`
 * (boolean, GFPGAN on faces, default false). Its output: the upscaled image's URL (PNG).
 *   image -> image (a signed URL of the upload, valid UPLOAD_PROVIDER_URL_TTL_SECONDS)
 *   scale -> scale (2 or 4: what the price assumes)
 *   (fixed) face_enhance false: it changes faces, which a plain upscale should not
 */
export const REPLICATE_UPSCALE_MODEL = "nightmareai/real-esrgan:42fed1c4974146d4d2414e2be2c5277c7fcf05fcc3a73abf41610695738c1d7b";

export async function realEsrganInput(input: ImageUpscaleInput, context: { signedInputUrl(field: string): Promise<string> }) {
  return { image: await context.signedInputUrl("image"), scale: input.scale, face_enhance: false };
}

export function imageUpscaleReplicate(config: Omit<ReplicateConfig<ImageUpscaleInput>, "input">) {
  return createReplicateProvider<ImageUpscaleInput>({ ...config, input: realEsrganInput });
}
