import { z } from "zod";
import { replicateWebhookUrl } from "@/services/ai/providers/replicate";
import { defineTaskType } from "@/services/tasks/define";
import type { UploadFacts } from "@/services/uploads/field";
import { SPEECH2TEXT_AUDIO, SPEECH2TEXT_COST, speechToTextCost, speechToTextInput } from "./input";
import { REPLICATE_WHISPER_MODEL, speechToTextFal, speechToTextMock, speechToTextReplicate } from "./providers";

const recording = (durationSeconds: number): UploadFacts => ({
  id: "example",
  kind: "audio",
  contentType: "audio/mpeg",
  bytes: Math.round(durationSeconds * 16_000),
  width: null,
  height: null,
  durationSeconds,
});
const EXAMPLE_AUDIO = "00000000-0000-4000-8000-000000000000";

/** Speech-to-text: a recording in; its transcript out (a .txt file, and timed segments as the task's output). */
export const speechToText = defineTaskType({
  type: "speech_to_text",
  slug: "speech-to-text",
  transType: "task_speech_to_text",
  outputKind: "text",
  input: speechToTextInput,
  // The duration the server measured, never the client's word.
  cost: (_input, files) => speechToTextCost(files.audio.durationSeconds ?? 0),
  pricing: {
    summary: `${SPEECH2TEXT_COST.PER_MINUTE} credit per started minute of the recording's measured duration (30 s: 1, 61 s: 2), at least ${SPEECH2TEXT_COST.MIN_CREDITS}`,
    minCredits: SPEECH2TEXT_COST.MIN_CREDITS,
    maxCredits: speechToTextCost(SPEECH2TEXT_AUDIO.maxDurationSeconds),
    examples: [
      { input: { audio: EXAMPLE_AUDIO }, files: { audio: recording(30) } },
      { input: { audio: EXAMPLE_AUDIO, language: "en" }, files: { audio: recording(61) } },
      { input: { audio: EXAMPLE_AUDIO }, files: { audio: recording(SPEECH2TEXT_AUDIO.maxDurationSeconds) } },
    ],
  },
  env: {
    SPEECH2TEXT_PROVIDER: z
      .enum(["mock", "replicate", "fal"])
      .default("mock")
      .describe("Speech-to-text provider: mock (no key; a transcript covering the recording), replicate or fal (Whisper; FAL_KEY)."),
    SPEECH2TEXT_MOCK_DELAY_MS: z.coerce.number().int().min(0).default(4000).describe("How long a mock transcription takes (ms)."),
    SPEECH2TEXT_REPLICATE_MODEL: z
      .string()
      .default(REPLICATE_WHISPER_MODEL)
      .describe("The speech model on Replicate (src/tasks/speech-to-text/providers.ts maps its inputs and output)."),
    SPEECH2TEXT_FAL_MODEL: z.string().default("fal-ai/whisper").describe("The speech model on fal.ai's queue."),
  },
  providerSetting: "SPEECH2TEXT_PROVIDER",
  providers: {
    mock: { create: (e) => speechToTextMock({ delayMs: e.SPEECH2TEXT_MOCK_DELAY_MS }) },
    replicate: {
      create: (e) =>
        speechToTextReplicate({
          apiBase: e.REPLICATE_API_BASE,
          apiToken: e.REPLICATE_API_TOKEN,
          model: e.SPEECH2TEXT_REPLICATE_MODEL,
          webhookUrl: replicateWebhookUrl(e.APP_URL),
          webhookSecret: e.REPLICATE_WEBHOOK_SECRET,
        }),
      requiredInProduction: ["REPLICATE_API_TOKEN", "REPLICATE_WEBHOOK_SECRET"],
    },
    fal: {
      create: (e) => speechToTextFal({ queueBase: e.FAL_QUEUE_BASE, apiKey: e.FAL_KEY, model: e.SPEECH2TEXT_FAL_MODEL }),
      requiredInProduction: ["FAL_KEY"],
    },
  },
  // The recording's name and length are on the card (its input); the language, when given.
  summary: (input) => (input.language ? input.language.toUpperCase() : ""),
  defaultInput: { audio: "" },
  form: true, // its page /<locale>/tasks/<slug> shows ./form.tsx (its default export)
  labels: {
    en: {
      name: "Speech-to-text",
      ledger: "Speech-to-text",
      description: "A timed transcript of a recording.",
      page: {
        title: "Transcribe audio",
        subtitle: `Upload a recording (up to an hour) and get its transcript with timestamps. ${SPEECH2TEXT_COST.PER_MINUTE} credit per started minute.`,
        audio: "Recording",
        language: "Language",
        languageAuto: "Detect automatically",
        costUnknown: "Upload a recording to see the price.",
        submit: "Transcribe",
        form: "form",
        transcript: "Transcript",
        segments: "Timed transcript",
        empty: "No speech was found in this recording.",
        downloadTxt: "Download .txt",
        downloadSrt: "Download .srt",
        detected: "Language: {language}",
      },
    },
    zh: {
      name: "语音转文字",
      ledger: "语音转文字",
      description: "带时间戳的录音文字稿。",
      page: {
        title: "语音转文字",
        subtitle: `上传一段录音（最长 1 小时），得到带时间戳的文字稿。每（不足）1 分钟 ${SPEECH2TEXT_COST.PER_MINUTE} 积分。`,
        audio: "录音",
        language: "语言",
        languageAuto: "自动识别",
        costUnknown: "上传录音后即可看到价格。",
        submit: "转写",
        form: "表单",
        transcript: "文字稿",
        segments: "带时间戳的文字稿",
        empty: "这段录音里没有识别到语音。",
        downloadTxt: "下载 .txt",
        downloadSrt: "下载 .srt",
        detected: "语言：{language}",
      },
    },
  },
});

export { speechToTextInput, type SpeechToTextInput } from "./input";
