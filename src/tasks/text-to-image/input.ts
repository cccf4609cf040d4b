/**
 * Text-to-image: the POST body's schema, with the limits and price of ./limits. Client-safe, but it
 * brings zod (~30 kB gzip): a client component that needs only the limits or the price imports ./limits.
 */
import { z } from "zod";
import { IMAGE_SIZES, TEXT2IMAGE_MAX_PROMPT_LENGTH } from "./limits";

export * from "./limits";

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
