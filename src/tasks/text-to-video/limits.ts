/**
 * Text-to-video: its limits and its price, without zod, so client components (the form shows the
 * cost before submitting) import them without the schema library (~30 kB gzip of first-load
 * JavaScript). The request schema is in ./input.
 */
export const ASPECT_RATIOS = ["landscape", "portrait", "square"] as const;
export type AspectRatio = (typeof ASPECT_RATIOS)[number];

/** Video lengths (whole seconds) the providers support. */
export const TEXT2VIDEO_MIN_SECONDS = 1;
export const TEXT2VIDEO_MAX_SECONDS = 10;
export const TEXT2VIDEO_MAX_PROMPT_LENGTH = 2000;

/** What the form starts with (the type's defaultInput; the pricing examples quote its cost). */
export const TEXT2VIDEO_DEFAULTS = { seconds: 5, aspectRatio: "landscape" } as const satisfies { seconds: number; aspectRatio: AspectRatio };

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
