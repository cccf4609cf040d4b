import { z } from "zod";
import { replicateWebhookUrl } from "@/services/ai/providers/replicate";
import { defineTaskType } from "@/services/tasks/define";
import { IMAGE_SIZES, TEXT2IMAGE_COST, TEXT2IMAGE_DEFAULTS, textToImageCost, textToImageInput } from "./input";
import { textToImageMock, textToImageReplicate } from "./providers";

/** Text-to-image: a prompt and a size in; one image out. */
export const textToImage = defineTaskType({
  type: "text_to_image",
  slug: "text-to-image",
  transType: "task_text_to_image",
  outputKind: "image",
  input: textToImageInput,
  cost: (input) => textToImageCost(input.size),
  pricing: {
    summary: `${TEXT2IMAGE_COST["512x512"]} credits for 512x512, ${TEXT2IMAGE_COST["1024x1024"]} credits for 1024x1024`,
    minCredits: Math.min(...IMAGE_SIZES.map(textToImageCost)),
    maxCredits: Math.max(...IMAGE_SIZES.map(textToImageCost)),
    examples: IMAGE_SIZES.map((size) => ({ prompt: "…", size })),
  },
  env: {
    TEXT2IMAGE_PROVIDER: z.string().default("mock").describe("Text-to-image provider: mock (no key) or replicate."),
    TEXT2IMAGE_MOCK_DELAY_MS: z.coerce.number().int().min(0).default(4000).describe("How long a mock image job takes (ms)."),
    TEXT2IMAGE_REPLICATE_MODEL: z
      .string()
      .default("black-forest-labs/flux-schnell")
      .describe("The image model on Replicate (src/tasks/text-to-image/providers.ts maps its inputs)."),
  },
  defaultInput: { prompt: "", ...TEXT2IMAGE_DEFAULTS },
  providerSetting: "TEXT2IMAGE_PROVIDER",
  providers: {
    mock: { create: (e) => textToImageMock({ delayMs: e.TEXT2IMAGE_MOCK_DELAY_MS }) },
    replicate: {
      create: (e) =>
        textToImageReplicate({
          apiBase: e.REPLICATE_API_BASE,
          apiToken: e.REPLICATE_API_TOKEN,
          model: e.TEXT2IMAGE_REPLICATE_MODEL,
          webhookUrl: replicateWebhookUrl(e.APP_URL),
          webhookSecret: e.REPLICATE_WEBHOOK_SECRET,
        }),
      requiredInProduction: ["REPLICATE_API_TOKEN", "REPLICATE_WEBHOOK_SECRET"],
    },
  },
  // Its page, /<locale>/tasks/<slug>: the generic route loads ./form.tsx (its default export) there only.
  form: true,
  labels: {
    en: {
      name: "Text-to-image",
      ledger: "Text-to-image",
      description: "One image from a text prompt.",
      details: "{size}",
      page: {
        title: "Text to image",
        subtitle: "Describe a picture. It is ready in a few seconds.",
        prompt: "Prompt",
        promptPlaceholder: "A lighthouse on a cliff at dawn, watercolor",
        examples: { ramen: "A bowl of ramen on a wooden table, studio lighting", cabin: "An isometric cozy cabin in a snowy forest", fox: "A red fox in a field of lavender, oil painting" },
        size: "Size",
        sizes: { "512x512": "512 × 512", "1024x1024": "1024 × 1024" },
        credits: "{credits, plural, one {# credit} other {# credits}}",
        submit: "Generate image",
        form: "form",
      },
    },
    zh: {
      name: "文生图",
      ledger: "文生图",
      description: "根据文字描述生成一张图片。",
      details: "{size}",
      page: {
        title: "文生图",
        subtitle: "描述一幅画面，几秒后即可生成。",
        prompt: "提示词",
        promptPlaceholder: "黎明时分悬崖上的灯塔，水彩风格",
        examples: { ramen: "木桌上的一碗拉面，影棚灯光", cabin: "雪林中一座温馨小木屋，等距视角", fox: "薰衣草田里的一只红狐，油画风格" },
        size: "尺寸",
        sizes: { "512x512": "512 × 512", "1024x1024": "1024 × 1024" },
        credits: "{credits} 积分",
        submit: "生成图片",
        form: "表单",
      },
    },
  },
});

export { textToImageInput, type TextToImageInput } from "./input";
