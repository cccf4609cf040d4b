/** Speech-to-text: the POST body's schema (zod), with the limits and price of ./limits. */
import { z } from "zod";
import { uploadField } from "@/services/uploads/field";
import { SPEECH2TEXT_AUDIO, SPEECH2TEXT_LANGUAGES } from "./limits";

export * from "./limits";

/** `{ audio: <upload id>, language? }` (an ISO 639-1 code; absent: detected). Unknown fields are ignored. */
export const speechToTextInput = z.object({
  audio: uploadField(SPEECH2TEXT_AUDIO),
  language: z.enum(SPEECH2TEXT_LANGUAGES, { error: "must be a language code Whisper knows, e.g. en or zh" }).optional(),
});
export type SpeechToTextInput = z.infer<typeof speechToTextInput>;
