/**
 * Text-to-image: its limits and its price, without zod, so client components (the form shows the
 * cost before submitting) import them without the schema library (~30 kB gzip of first-load
 * JavaScript). The request schema is in ./input.
 */
export const IMAGE_SIZES = ["512x512", "1024x1024"] as const;
export type ImageSize = (typeof IMAGE_SIZES)[number];

export const TEXT2IMAGE_MAX_PROMPT_LENGTH = 1000;

/** What the form starts with (the type's defaultInput; the pricing examples quote its cost). */
export const TEXT2IMAGE_DEFAULTS = { size: "1024x1024" } as const satisfies { size: ImageSize };

/** Credits per image, by size. */
export const TEXT2IMAGE_COST: Record<ImageSize, number> = { "512x512": 2, "1024x1024": 5 };

export const textToImageCost = (size: ImageSize) => TEXT2IMAGE_COST[size];
