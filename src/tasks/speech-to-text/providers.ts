import { createFalProvider, type FalConfig } from "@/services/ai/providers/fal";
import { createMockProvider } from "@/services/ai/providers/mock";
import { createReplicateProvider, type ReplicateConfig } from "@/services/ai/providers/replicate";
import type { JobOutput, SubmitContext } from "@/services/ai/types";
import { toPlainText, type SpeechToTextInput, type Transcript, type TranscriptSegment } from "./input";

/** How long each of the mock's segments is. */
const MOCK_SEGMENT_SECONDS = 5;

/**
 * The mock's transcript of a recording of `durationSeconds`: segments of 5 s (the last one
 * shorter) from 0 to the measured end, each saying which part it is; deterministic.
 */
export function mockTranscript(durationSeconds: number, language: string | null): Transcript {
  const count = Math.max(1, Math.ceil(durationSeconds / MOCK_SEGMENT_SECONDS));
  const segments: TranscriptSegment[] = Array.from({ length: count }, (_, i) => ({
    start: i * MOCK_SEGMENT_SECONDS,
    end: Math.min(durationSeconds, (i + 1) * MOCK_SEGMENT_SECONDS),
    text: language === "zh" ? `模拟文字稿，第 ${i + 1} 段，共 ${count} 段。` : `Mock transcript, part ${i + 1} of ${count}.`,
  }));
  return { language: language ?? "en", segments };
}

/** The mock: a transcript whose segments cover the recording's measured duration (kept in the job's id, in ms). */
export function speechToTextMock(config: { delayMs: number }) {
  return createMockProvider<SpeechToTextInput>({
    delayMs: config.delayMs,
    samples: [],
    param: (input, context) => `${Math.round((context.files.audio.durationSeconds ?? 0) * 1000)}-${input.language ?? "auto"}`,
    output: (param) => {
      const [ms, language] = param.split("-");
      const transcript = mockTranscript(Number(ms) / 1000, language === "auto" ? null : language);
      return { body: toPlainText(transcript.segments), result: transcript };
    },
  });
}

/** A transcript's segments from a model's list, whatever it calls start, end and text. */
function segmentsOf(list: unknown, read: (item: Record<string, unknown>) => { start: unknown; end: unknown; text: unknown }): TranscriptSegment[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((item) => {
    if (!item || typeof item !== "object") return [];
    const { start, end, text } = read(item as Record<string, unknown>);
    if (typeof start !== "number" || typeof text !== "string") return [];
    return [{ start, end: typeof end === "number" ? end : start, text: text.trim() }];
  });
}

/**
 * Whisper large-v3 on Replicate (SPEECH2TEXT_REPLICATE_MODEL, default the pinned version
 * below). Its inputs: `audio` (a URL), `language` ("auto" or a language), `translate`
 * (false), `transcription` ("plain text" | "srt" | "vtt"), `temperature`, `initial_prompt`,
 * ... Its output: `{ transcription, segments: [{ id, start, end, text, ... }], detected_language,
 * translation, txt_file, srt_file }`.
 *   audio    -> audio (a signed URL of the upload)
 *   language -> language (absent: "auto")
 *   (fixed) translate false, transcription "plain text", temperature 0
 * The transcript (`transcription`) is stored as the task's .txt; the segments are its output.
 */
export const REPLICATE_WHISPER_MODEL = "openai/whisper:8099696689d249cf8b122d833c36ac3f75505c666a395ca40ef26f68e7d3d16e";

export async function whisperReplicateInput(input: SpeechToTextInput, context: Pick<SubmitContext, "signedInputUrl">) {
  return { audio: await context.signedInputUrl("audio"), language: input.language ?? "auto", translate: false, transcription: "plain text", temperature: 0 };
}

export function whisperReplicateOutput(output: unknown): JobOutput | null {
  const o = output as { transcription?: unknown; segments?: unknown; detected_language?: unknown } | null;
  if (!o || typeof o !== "object") return null;
  const segments = segmentsOf(o.segments, (s) => ({ start: s.start, end: s.end, text: s.text }));
  const text = typeof o.transcription === "string" && o.transcription.trim() ? o.transcription.trim() + "\n" : toPlainText(segments);
  return { body: text, result: { language: typeof o.detected_language === "string" ? o.detected_language : null, segments } satisfies Transcript };
}

export function speechToTextReplicate(config: Omit<ReplicateConfig<SpeechToTextInput>, "input" | "output">) {
  return createReplicateProvider<SpeechToTextInput>({ ...config, input: whisperReplicateInput, output: whisperReplicateOutput });
}

/**
 * Whisper on fal.ai's queue (SPEECH2TEXT_FAL_MODEL, default fal-ai/whisper). Its inputs:
 * `audio_url`, `task` ("transcribe" | "translate"), `language` (absent: detected),
 * `chunk_level` ("segment" | "word"), `version` ("3"), ... Its result: `{ text, chunks:
 * [{ timestamp: [start, end], text }], inferred_languages }`.
 */
export async function whisperFalInput(input: SpeechToTextInput, context: Pick<SubmitContext, "signedInputUrl">) {
  return {
    audio_url: await context.signedInputUrl("audio"),
    task: "transcribe",
    chunk_level: "segment",
    version: "3",
    ...(input.language ? { language: input.language } : {}),
  };
}

export function whisperFalOutput(result: unknown): JobOutput | null {
  const r = result as { text?: unknown; chunks?: unknown; inferred_languages?: unknown } | null;
  if (!r || typeof r !== "object") return null;
  const segments = segmentsOf(r.chunks, (c) => {
    const [start, end] = Array.isArray(c.timestamp) ? c.timestamp : [];
    return { start, end, text: c.text };
  });
  const text = typeof r.text === "string" && r.text.trim() ? r.text.trim() + "\n" : toPlainText(segments);
  const languages = Array.isArray(r.inferred_languages) ? r.inferred_languages.filter((l): l is string => typeof l === "string") : [];
  return { body: text, result: { language: languages[0] ?? null, segments } satisfies Transcript };
}

export function speechToTextFal(config: Omit<FalConfig<SpeechToTextInput>, "input" | "output">) {
  return createFalProvider<SpeechToTextInput>({ ...config, input: whisperFalInput, output: whisperFalOutput });
}
