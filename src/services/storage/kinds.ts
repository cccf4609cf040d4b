/**
 * The kinds of media the product stores, defined once: what a task type produces
 * (its outputKind, src/services/tasks/define.ts), what storage checks an output
 * against (./copy.ts) and what a user may upload (src/services/uploads).
 * Client-safe: no Node imports.
 */
export const OUTPUT_KIND_NAMES = ["video", "image", "audio", "text"] as const;

/** What a task produces; the history page and the task form render by it. */
export type OutputKind = (typeof OUTPUT_KIND_NAMES)[number];

export const UPLOAD_KIND_NAMES = ["image", "audio", "video"] as const;

/** What a user may upload as a task's input. */
export type UploadKind = (typeof UPLOAD_KIND_NAMES)[number];

/**
 * Content types per kind, as the bytes prove them (never a file name or a header).
 * Uploads are sniffed with `file-type`, outputs with ./copy.ts's signature check; both
 * accept only what is listed here.
 */
export const MEDIA_TYPES: Record<OutputKind, readonly string[]> = {
  image: ["image/png", "image/jpeg", "image/webp", "image/gif"],
  video: ["video/mp4", "video/webm", "video/quicktime"],
  audio: ["audio/mpeg", "audio/wav", "audio/ogg", "audio/opus", "audio/flac", "audio/mp4", "audio/aac", "audio/webm"],
  text: ["text/plain"],
};

/** The kind a content type belongs to, or null when the product stores no such type. */
export function kindOfContentType(contentType: string, kinds: readonly OutputKind[] = OUTPUT_KIND_NAMES): OutputKind | null {
  const type = contentType.split(";")[0].trim().toLowerCase();
  return kinds.find((kind) => MEDIA_TYPES[kind].includes(type)) ?? null;
}
