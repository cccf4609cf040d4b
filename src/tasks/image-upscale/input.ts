/** Image upscale: the POST body's schema (zod), with the limits and price of ./limits. */
import { z } from "zod";
import { uploadField } from "@/services/uploads/field";
import { UPSCALE_IMAGE, UPSCALE_SCALES } from "./limits";

export * from "./limits";

/** `{ image: <upload id>, scale: 2 | 4 }`; unknown fields are ignored. */
export const imageUpscaleInput = z.object({
  image: uploadField(UPSCALE_IMAGE),
  scale: z.literal(UPSCALE_SCALES, { error: `must be ${UPSCALE_SCALES.join(" or ")}` }),
});
export type ImageUpscaleInput = z.infer<typeof imageUpscaleInput>;
