/**
 * Text-to-video: its input and its price. Safe to import from client components
 * (the form shows the cost before submitting).
 */
import { z } from "zod";

export const ASPECT_RATIOS = ["landscape", "portrait", "square"] as const;
export type AspectRatio = (typeof ASPECT_RATIOS)[number];

/** Video lengths (whole seconds) the providers support. */
export const TEXT2VIDEO_MIN_SECONDS = 1;
export const TEXT2VIDEO_MAX_SECONDS = 10;
export const TEXT2VIDEO_MAX_PROMPT_LENGTH = 2000;

export const TEXT2VIDEO_COST = {
  CREDITS_PER_SECOND: 2,
  MULTIPLIER: { landscape: 1, portrait: 1, square: 1 },
  MIN_CREDITS: 4,
} as const;

/** Credits charged for a text-to-video task: per second times the ratio's multiplier, at least MIN_CREDITS. */
export function textToVideoCost(seconds: number, aspectRatio: AspectRatio): number {
  const raw = seconds * TEXT2VIDEO_COST.CREDITS_PER_SECOND * TEXT2VIDEO_COST.MULTIPLIER[aspectRatio];
  return Math.max(TEXT2VIDEO_COST.MIN_CREDITS, Math.ceil(raw));
}

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
