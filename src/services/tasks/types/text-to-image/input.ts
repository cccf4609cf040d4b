/**
 * Text-to-image: its input and its price. Safe to import from client components.
 */
import { z } from "zod";

export const IMAGE_SIZES = ["512x512", "1024x1024"] as const;
export type ImageSize = (typeof IMAGE_SIZES)[number];

export const TEXT2IMAGE_MAX_PROMPT_LENGTH = 1000;

/** Credits per image, by size. */
export const TEXT2IMAGE_COST: Record<ImageSize, number> = { "512x512": 2, "1024x1024": 5 };

export const textToImageCost = (size: ImageSize) => TEXT2IMAGE_COST[size];

/** The POST body. Unknown fields are ignored (stripped), not rejected. */
export const textToImageInput = z.object({
  prompt: z
    .string({ error: "must be a string" })
    .trim()
    .min(1, "must not be empty")
    .max(TEXT2IMAGE_MAX_PROMPT_LENGTH, `must be at most ${TEXT2IMAGE_MAX_PROMPT_LENGTH} characters`),
  size: z.enum(IMAGE_SIZES, { error: `must be one of ${IMAGE_SIZES.join(", ")}` }),
});
export type TextToImageInput = z.infer<typeof textToImageInput>;
