import { z } from "zod";
import { replicateWebhookUrl } from "@/services/ai/providers/replicate";
import { defineTaskType } from "@/services/tasks/define";
import type { UploadFacts } from "@/services/uploads/field";
import {
  IMAGE2VIDEO_COST,
  IMAGE2VIDEO_DEFAULT_SECONDS,
  IMAGE2VIDEO_MAX_SECONDS,
  IMAGE2VIDEO_MIN_SECONDS,
  imageToVideoCost,
  imageToVideoInput,
} from "./input";
import { imageToVideoMock, imageToVideoReplicate, REPLICATE_IMAGE2VIDEO_MODEL } from "./providers";

const EXAMPLE_PHOTO: UploadFacts = { id: "example", kind: "image", contentType: "image/jpeg", bytes: 800_000, width: 1280, height: 720, durationSeconds: null };
const EXAMPLE_IMAGE = "00000000-0000-4000-8000-000000000000";

/** Image-to-video: a photo and a prompt in; a short clip that starts from the photo out. */
export const imageToVideo = defineTaskType({
  type: "image_to_video",
  slug: "image-to-video",
  transType: "task_image_to_video",
  outputKind: "video",
  input: imageToVideoInput,
  cost: (input) => imageToVideoCost(input.seconds),
  pricing: {
    summary: `${IMAGE2VIDEO_COST.CREDITS_PER_SECOND} credits per second of video, at least ${IMAGE2VIDEO_COST.MIN_CREDITS}`,
    minCredits: imageToVideoCost(IMAGE2VIDEO_MIN_SECONDS),
    maxCredits: imageToVideoCost(IMAGE2VIDEO_MAX_SECONDS),
    examples: [
      { input: { image: EXAMPLE_IMAGE, prompt: "…", seconds: IMAGE2VIDEO_DEFAULT_SECONDS }, files: { image: EXAMPLE_PHOTO } },
      { input: { image: EXAMPLE_IMAGE, prompt: "…", seconds: IMAGE2VIDEO_MAX_SECONDS }, files: { image: EXAMPLE_PHOTO } },
    ],
  },
  env: {
    IMAGE2VIDEO_PROVIDER: z.enum(["mock", "replicate"]).default("mock").describe("Image-to-video provider: mock (no key; bundled clips) or replicate (Wan 2.2)."),
    IMAGE2VIDEO_MOCK_DELAY_MS: z.coerce.number().int().min(0).default(8000).describe("How long a mock image-to-video job takes (ms)."),
    IMAGE2VIDEO_REPLICATE_MODEL: z
      .string()
      .default(REPLICATE_IMAGE2VIDEO_MODEL)
      .describe("The image-to-video model on Replicate (src/tasks/image-to-video/providers.ts maps its inputs)."),
  },
  providerSetting: "IMAGE2VIDEO_PROVIDER",
  providers: {
    mock: { create: (e) => imageToVideoMock({ delayMs: e.IMAGE2VIDEO_MOCK_DELAY_MS }) },
    replicate: {
      create: (e) =>
        imageToVideoReplicate({
          apiBase: e.REPLICATE_API_BASE,
          apiToken: e.REPLICATE_API_TOKEN,
          model: e.IMAGE2VIDEO_REPLICATE_MODEL,
          webhookUrl: replicateWebhookUrl(e.APP_URL),
          webhookSecret: e.REPLICATE_WEBHOOK_SECRET,
        }),
      requiredInProduction: ["REPLICATE_API_TOKEN", "REPLICATE_WEBHOOK_SECRET"],
    },
  },
  defaultInput: { image: "", prompt: "", seconds: IMAGE2VIDEO_DEFAULT_SECONDS },
  form: true, // its page /<locale>/tasks/<slug> shows ./form.tsx (its default export)
  labels: {
    en: {
      name: "Image-to-video",
      ledger: "Image-to-video",
      description: "A short clip that brings a photo to life.",
      details: "{seconds}s",
      page: {
        title: "Animate a photo",
        subtitle: "Upload a photo, describe the motion, and get a short clip that starts from it.",
        image: "Photo (the first frame)",
        prompt: "Motion",
        promptPlaceholder: "The camera slowly pushes in; the leaves sway in the wind",
        seconds: "Length (seconds)",
        secondsHint: "{min}–{max} seconds",
        costUnknown: "Pick a length from {min} to {max} seconds to see the price.",
        submit: "Animate",
        form: "form",
      },
    },
    zh: {
      name: "图生视频",
      ledger: "图生视频",
      description: "让照片动起来的短视频。",
      details: "{seconds} 秒",
      page: {
        title: "让照片动起来",
        subtitle: "上传一张照片，描述画面的运动，生成以它为首帧的短视频。",
        image: "照片（首帧）",
        prompt: "运动描述",
        promptPlaceholder: "镜头缓缓推进，树叶随风摇曳",
        seconds: "时长（秒）",
        secondsHint: "{min}–{max} 秒",
        costUnknown: "选择 {min} 到 {max} 秒的时长即可看到价格。",
        submit: "生成视频",
        form: "表单",
      },
    },
  },
});

export { imageToVideoInput, type ImageToVideoInput } from "./input";
