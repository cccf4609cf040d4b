/**
 * Image upscale: its limits and its price, without zod, so the form (which shows the cost
 * once the photo is uploaded) imports them without the schema library. The request schema
 * is in ./input.
 */
import type { UploadFieldSpec } from "@/services/uploads/field";

/** How much bigger: 2× or 4× in each direction (Real-ESRGAN's `scale`). */
export const UPSCALE_SCALES = [2, 4] as const;
export type UpscaleScale = (typeof UPSCALE_SCALES)[number];

/**
 * The photo: an image of at most 10 MB and about 2 megapixels (1920 × 1080 fits). Real-ESRGAN
 * holds the whole upscaled image on the GPU, and larger inputs run out of memory there; a 4×
 * upscale of the largest input is a 33-megapixel image.
 */
export const UPSCALE_IMAGE = { kinds: ["image"], maxBytes: 10 * 1024 * 1024, maxPixels: 2_100_000 } as const satisfies UploadFieldSpec;

export const UPSCALE_COST = {
  /** Credits per started megapixel of the upscaled image. */
  PER_MEGAPIXEL: 1,
  MIN_CREDITS: 1,
} as const;

/** The upscaled image's size. */
export function upscaledSize(width: number, height: number, scale: UpscaleScale): { width: number; height: number } {
  return { width: width * scale, height: height * scale };
}

/** 1 credit per started megapixel of the output (the measured width × height × scale²), at least 1. */
export function imageUpscaleCost(width: number, height: number, scale: UpscaleScale): number {
  const out = upscaledSize(width, height, scale);
  return Math.max(UPSCALE_COST.MIN_CREDITS, Math.ceil((out.width * out.height) / 1_000_000) * UPSCALE_COST.PER_MEGAPIXEL);
}
