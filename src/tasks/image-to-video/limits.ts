/**
 * Image-to-video: its limits and its price, without zod, so the form imports them without
 * the schema library. The request schema is in ./input.
 */
import type { UploadFieldSpec } from "@/services/uploads/field";

/** Clip lengths (whole seconds) the model makes exactly (see ./providers.ts, frames and rate). */
export const IMAGE2VIDEO_MIN_SECONDS = 4;
export const IMAGE2VIDEO_MAX_SECONDS = 8;
export const IMAGE2VIDEO_DEFAULT_SECONDS = 5;
export const IMAGE2VIDEO_MAX_PROMPT_LENGTH = 1000;

/** The first frame: an image of at most 10 MB (the model scales it to the video's size). */
export const IMAGE2VIDEO_IMAGE = { kinds: ["image"], maxBytes: 10 * 1024 * 1024 } as const satisfies UploadFieldSpec;

/** Priced like text-to-video: per second of video, with a minimum. */
export const IMAGE2VIDEO_COST = { CREDITS_PER_SECOND: 2, MIN_CREDITS: 4 } as const;

/** Credits for a clip of `seconds`: 2 a second, at least 4. */
export function imageToVideoCost(seconds: number): number {
  return Math.max(IMAGE2VIDEO_COST.MIN_CREDITS, Math.ceil(seconds * IMAGE2VIDEO_COST.CREDITS_PER_SECOND));
}
