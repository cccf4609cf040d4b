/**
 * Speech-to-text: its limits, its price and the transcript's shape, without zod, so the form
 * and the result view import them without the schema library. The request schema is in ./input.
 */
import type { UploadFieldSpec } from "@/services/uploads/field";

/** A recording (audio, or a video's sound) of at most 100 MB and one hour. */
export const SPEECH2TEXT_AUDIO = {
  kinds: ["audio", "video"],
  maxBytes: 100 * 1024 * 1024,
  maxDurationSeconds: 3600,
} as const satisfies UploadFieldSpec;

/** The languages Whisper knows (ISO 639-1, and a few it names otherwise); absent = detect. */
export const SPEECH2TEXT_LANGUAGES = [
  "en", "zh", "de", "es", "ru", "ko", "fr", "ja", "pt", "tr", "pl", "ca", "nl", "ar", "sv", "it", "id", "hi", "fi", "vi",
  "he", "uk", "el", "ms", "cs", "ro", "da", "hu", "ta", "no", "th", "ur", "hr", "bg", "lt", "la", "mi", "ml", "cy", "sk",
  "te", "fa", "lv", "bn", "sr", "az", "sl", "kn", "et", "mk", "br", "eu", "is", "hy", "ne", "mn", "bs", "kk", "sq", "sw",
  "gl", "mr", "pa", "si", "km", "sn", "yo", "so", "af", "oc", "ka", "be", "tg", "sd", "gu", "am", "yi", "lo", "uz", "fo",
  "ht", "ps", "tk", "nn", "mt", "sa", "lb", "my", "bo", "tl", "mg", "as", "tt", "haw", "ln", "ha", "ba", "jw", "su", "yue",
] as const;
export type Speech2TextLanguage = (typeof SPEECH2TEXT_LANGUAGES)[number];
/** The ones the form lists first. */
export const COMMON_LANGUAGES: readonly Speech2TextLanguage[] = ["en", "zh", "es", "fr", "de", "ja", "ko", "pt", "ru", "it", "ar", "hi"];

export const SPEECH2TEXT_COST = { PER_MINUTE: 1, MIN_CREDITS: 1 } as const;

/** 1 credit per started minute of the measured duration: 30 s costs 1, 61 s costs 2. */
export function speechToTextCost(durationSeconds: number): number {
  return Math.max(SPEECH2TEXT_COST.MIN_CREDITS, Math.ceil(durationSeconds / 60) * SPEECH2TEXT_COST.PER_MINUTE);
}

/** One timed piece of a transcript, in seconds from the start. */
export interface TranscriptSegment {
  start: number;
  end: number;
  text: string;
}

/** What a finished task shows besides its .txt file (the task's `output`). */
export interface Transcript {
  /** The language spoken, as given or detected (a code or a name, as the model says it). */
  language: string | null;
  segments: TranscriptSegment[];
}

/** Whether a task's `output` is a transcript (it is JSON from the server). */
export function isTranscript(value: unknown): value is Transcript {
  const segments = (value as Transcript | null)?.segments;
  return Array.isArray(segments) && segments.every((s) => typeof s?.start === "number" && typeof s?.end === "number" && typeof s?.text === "string");
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** 0:05, 1:02:03: a segment's start for the page. */
export function clock(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  return h > 0 ? `${h}:${pad(m)}:${pad(total % 60)}` : `${m}:${pad(total % 60)}`;
}

/** 00:01:02,345: SubRip's time. */
function srtTime(seconds: number): string {
  const ms = Math.max(0, Math.round(seconds * 1000));
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)},${pad(ms % 1000, 3)}`;
}

/** The transcript as SubRip subtitles (.srt): numbered cues, start --> end, the text, a blank line. */
export function toSrt(segments: readonly TranscriptSegment[]): string {
  return segments
    .filter((s) => s.text.trim() !== "")
    .map((s, i) => `${i + 1}\n${srtTime(s.start)} --> ${srtTime(Math.max(s.end, s.start))}\n${s.text.trim()}\n`)
    .join("\n");
}

/** The plain transcript (what the stored .txt holds): one segment per line. */
export function toPlainText(segments: readonly TranscriptSegment[]): string {
  return segments.map((s) => s.text.trim()).filter(Boolean).join("\n") + "\n";
}
