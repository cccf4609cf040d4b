import { z } from "zod";
import { replicateWebhookUrl } from "@/services/ai/providers/replicate";
import { defineTaskType } from "@/services/tasks/define";
import type { UploadFacts } from "@/services/uploads/field";
import { imageUpscaleCost, imageUpscaleInput, UPSCALE_COST, UPSCALE_IMAGE, UPSCALE_SCALES } from "./input";
import { imageUpscaleMock, imageUpscaleReplicate, REPLICATE_UPSCALE_MODEL } from "./providers";

/** A photo of the given size, for the priced examples. */
const photo = (width: number, height: number): UploadFacts => ({
  id: "example",
  kind: "image",
  contentType: "image/jpeg",
  bytes: 1_500_000,
  width,
  height,
  durationSeconds: null,
});
const EXAMPLE_IMAGE = "00000000-0000-4000-8000-000000000000";
/** The largest input the field takes (UPSCALE_IMAGE.maxPixels), as a 16:9 photo. */
const LARGEST = { width: 1932, height: 1086 };

/** Image upscale: a photo and a scale in; the photo 2× or 4× larger out. Priced by the output's megapixels. */
export const imageUpscale = defineTaskType({
  type: "image_upscale",
  slug: "image-upscale",
  transType: "task_image_upscale",
  outputKind: "image",
  // A 33-megapixel PNG can pass the image kind's default 32 MB cap.
  maxOutputBytes: 128 * 1024 * 1024,
  input: imageUpscaleInput,
  // The measured size (read on the server), never the client's word.
  cost: (input, files) => imageUpscaleCost(files.image.width!, files.image.height!, input.scale),
  pricing: {
    summary: `${UPSCALE_COST.PER_MEGAPIXEL} credit per started megapixel of the upscaled image (measured width × height × scale²), at least ${UPSCALE_COST.MIN_CREDITS}`,
    minCredits: UPSCALE_COST.MIN_CREDITS,
    maxCredits: Math.max(...UPSCALE_SCALES.map((s) => imageUpscaleCost(LARGEST.width, LARGEST.height, s))),
    examples: [
      { input: { image: EXAMPLE_IMAGE, scale: 2 }, files: { image: photo(1024, 768) } },
      { input: { image: EXAMPLE_IMAGE, scale: 4 }, files: { image: photo(1024, 768) } },
      { input: { image: EXAMPLE_IMAGE, scale: 4 }, files: { image: photo(LARGEST.width, LARGEST.height) } },
    ],
  },
  env: {
    IMAGE_UPSCALE_PROVIDER: z.enum(["mock", "replicate"]).default("mock").describe("Image upscale provider: mock (no key; resamples the photo) or replicate (Real-ESRGAN)."),
    IMAGE_UPSCALE_MOCK_DELAY_MS: z.coerce.number().int().min(0).default(3000).describe("How long a mock upscale takes (ms)."),
    IMAGE_UPSCALE_REPLICATE_MODEL: z
      .string()
      .default(REPLICATE_UPSCALE_MODEL)
      .describe("The upscaler on Replicate (src/tasks/image-upscale/providers.ts maps its inputs)."),
  },
  providerSetting: "IMAGE_UPSCALE_PROVIDER",
  providers: {
    mock: { create: (e) => imageUpscaleMock({ delayMs: e.IMAGE_UPSCALE_MOCK_DELAY_MS }) },
    replicate: {
      create: (e) =>
        imageUpscaleReplicate({
          apiBase: e.REPLICATE_API_BASE,
          apiToken: e.REPLICATE_API_TOKEN,
          model: e.IMAGE_UPSCALE_REPLICATE_MODEL,
          webhookUrl: replicateWebhookUrl(e.APP_URL),
          webhookSecret: e.REPLICATE_WEBHOOK_SECRET,
        }),
      requiredInProduction: ["REPLICATE_API_TOKEN", "REPLICATE_WEBHOOK_SECRET"],
    },
  },
  summary: (input) => `×${input.scale}`,
  defaultInput: { image: "", scale: 2 },
  form: true, // its page /<locale>/tasks/<slug> shows ./form.tsx (its default export)
  labels: {
    en: {
      name: "Image upscale",
      ledger: "Image upscale",
      description: "A photo, 2× or 4× larger and sharper.",
      details: "×{scale}",
      page: {
        title: "Upscale an image",
        subtitle: `Upload a photo (up to about 2 megapixels) and get it 2× or 4× larger. ${UPSCALE_COST.PER_MEGAPIXEL} credit per started megapixel of the result.`,
        image: "Photo",
        scale: "Scale",
        scaleOption: "{scale}× · {width} × {height} px · {credits, plural, one {# credit} other {# credits}}",
        scaleUnknown: "{scale}×",
        costUnknown: "Upload a photo to see the price.",
        submit: "Upscale",
        form: "form",
      },
    },
    zh: {
      name: "图片放大",
      ledger: "图片放大",
      description: "把照片放大 2 倍或 4 倍，更清晰。",
      details: "×{scale}",
      page: {
        title: "放大图片",
        subtitle: `上传一张照片（约 200 万像素以内），放大 2 倍或 4 倍。按结果每（不足）百万像素 ${UPSCALE_COST.PER_MEGAPIXEL} 积分计费。`,
        image: "照片",
        scale: "放大倍数",
        scaleOption: "{scale}× · {width} × {height} 像素 · {credits} 积分",
        scaleUnknown: "{scale}×",
        costUnknown: "上传照片后即可看到价格。",
        submit: "放大",
        form: "表单",
      },
    },
  },
});

export { imageUpscaleInput, type ImageUpscaleInput } from "./input";
export { UPSCALE_IMAGE };
