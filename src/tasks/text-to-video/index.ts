import { z } from "zod";
import { replicateWebhookUrl } from "@/services/ai/providers/replicate";
import { defineTaskType } from "@/services/tasks/define";
import {
  ASPECT_RATIOS,
  TEXT2VIDEO_COST,
  TEXT2VIDEO_DEFAULTS,
  TEXT2VIDEO_MAX_SECONDS,
  TEXT2VIDEO_MIN_SECONDS,
  textToVideoCost,
  textToVideoInput,
} from "./input";
import { textToVideoMock, textToVideoReplicate } from "./providers";

/** Text-to-video: a prompt, a length and an aspect ratio in; a video out. */
export const textToVideo = defineTaskType({
  type: "text_to_video",
  slug: "text-to-video",
  transType: "task_text_to_video",
  outputKind: "video",
  input: textToVideoInput,
  cost: (input) => textToVideoCost(input.seconds, input.aspectRatio),
  pricing: {
    summary: `${TEXT2VIDEO_COST.CREDITS_PER_SECOND} credits per second of video, at least ${TEXT2VIDEO_COST.MIN_CREDITS}`,
    minCredits: Math.min(...ASPECT_RATIOS.map((a) => textToVideoCost(TEXT2VIDEO_MIN_SECONDS, a))),
    maxCredits: Math.max(...ASPECT_RATIOS.map((a) => textToVideoCost(TEXT2VIDEO_MAX_SECONDS, a))),
    examples: [
      { prompt: "…", seconds: 8, aspectRatio: "landscape" },
      { prompt: "…", seconds: TEXT2VIDEO_MAX_SECONDS, aspectRatio: "portrait" },
    ],
  },
  env: {
    TEXT2VIDEO_PROVIDER: z.string().default("mock").describe("Text-to-video provider: mock (no key) or replicate (REPLICATE_* settings above)."),
    TEXT2VIDEO_MOCK_DELAY_MS: z.coerce.number().int().min(0).default(8000).describe("How long a mock video job takes (ms)."),
    TEXT2VIDEO_MOCK_URL: z
      .string()
      .optional()
      .transform((v) => (v && v.trim() !== "" ? v.trim() : undefined))
      .describe("The mock's output for every job instead of the bundled samples (a URL or an app path)."),
  },
  defaultInput: { prompt: "", ...TEXT2VIDEO_DEFAULTS },
  providerSetting: "TEXT2VIDEO_PROVIDER",
  providers: {
    mock: { create: (e) => textToVideoMock({ delayMs: e.TEXT2VIDEO_MOCK_DELAY_MS, outputUrl: e.TEXT2VIDEO_MOCK_URL }) },
    replicate: {
      create: (e) =>
        textToVideoReplicate({
          apiBase: e.REPLICATE_API_BASE,
          apiToken: e.REPLICATE_API_TOKEN,
          model: e.REPLICATE_MODEL,
          webhookUrl: replicateWebhookUrl(e.APP_URL),
          webhookSecret: e.REPLICATE_WEBHOOK_SECRET,
        }),
      requiredInProduction: ["REPLICATE_API_TOKEN", "REPLICATE_WEBHOOK_SECRET"],
    },
  },
  // Its page, /<locale>/tasks/<slug>: the generic route loads ./form.tsx (its default export) there only.
  form: true,
  pageMessages: "tasks.t2v",
  labels: {
    en: {
      name: "Text-to-video",
      ledger: "Text-to-video",
      description: "A short video from a text prompt.",
      details: "{seconds}s · {aspectRatio, select, landscape {Landscape 16:9} portrait {Portrait 9:16} other {Square 1:1}}",
    },
    zh: {
      name: "文生视频",
      ledger: "文生视频",
      description: "根据文字描述生成短视频。",
      details: "{seconds} 秒 · {aspectRatio, select, landscape {横屏 16:9} portrait {竖屏 9:16} other {方形 1:1}}",
    },
  },
});

export { textToVideoInput, type TextToVideoInput } from "./input";
