/**
 * Text-to-video: the POST body's schema, with the limits and price of ./limits. Client-safe, but it
 * brings zod (~30 kB gzip): a client component that needs only the limits or the price imports ./limits.
 */
import { z } from "zod";
import { ASPECT_RATIOS, TEXT2VIDEO_MAX_PROMPT_LENGTH, TEXT2VIDEO_MAX_SECONDS, TEXT2VIDEO_MIN_SECONDS } from "./limits";

export * from "./limits";

/** The POST body. Unknown fields are ignored (stripped), not rejected. */
export const textToVideoInput = z.object({
  prompt: z
    .string({ error: "must be a string" })
    .trim()
    .min(1, "must not be empty")
    .max(TEXT2VIDEO_MAX_PROMPT_LENGTH, `must be at most ${TEXT2VIDEO_MAX_PROMPT_LENGTH} characters`),
  seconds: z
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(TEXT2VIDEO_MIN_SECONDS, `must be between ${TEXT2VIDEO_MIN_SECONDS} and ${TEXT2VIDEO_MAX_SECONDS}`)
    .max(TEXT2VIDEO_MAX_SECONDS, `must be between ${TEXT2VIDEO_MIN_SECONDS} and ${TEXT2VIDEO_MAX_SECONDS}`),
  aspectRatio: z.enum(ASPECT_RATIOS, { error: `must be one of ${ASPECT_RATIOS.join(", ")}` }),
});
export type TextToVideoInput = z.infer<typeof textToVideoInput>;
