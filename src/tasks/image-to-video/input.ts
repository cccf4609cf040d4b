/** Image-to-video: the POST body's schema (zod), with the limits and price of ./limits. */
import { z } from "zod";
import { uploadField } from "@/services/uploads/field";
import {
  IMAGE2VIDEO_DEFAULT_SECONDS,
  IMAGE2VIDEO_IMAGE,
  IMAGE2VIDEO_MAX_PROMPT_LENGTH,
  IMAGE2VIDEO_MAX_SECONDS,
  IMAGE2VIDEO_MIN_SECONDS,
} from "./limits";

export * from "./limits";

const secondsRange = `must be between ${IMAGE2VIDEO_MIN_SECONDS} and ${IMAGE2VIDEO_MAX_SECONDS}`;

/** `{ image: <upload id>, prompt, seconds? }` (seconds default 5); unknown fields are ignored. */
export const imageToVideoInput = z.object({
  image: uploadField(IMAGE2VIDEO_IMAGE),
  prompt: z
    .string({ error: "must be a string" })
    .trim()
    .min(1, "must not be empty")
    .max(IMAGE2VIDEO_MAX_PROMPT_LENGTH, `must be at most ${IMAGE2VIDEO_MAX_PROMPT_LENGTH} characters`),
  seconds: z
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(IMAGE2VIDEO_MIN_SECONDS, secondsRange)
    .max(IMAGE2VIDEO_MAX_SECONDS, secondsRange)
    .default(IMAGE2VIDEO_DEFAULT_SECONDS),
});
export type ImageToVideoInput = z.infer<typeof imageToVideoInput>;
