/**
 * The browser side of uploads (POST /api/uploads, GET /api/uploads): what a file field
 * accepts, the checks made before any byte is sent, and the upload itself over
 * XMLHttpRequest (a real progress bar from `upload.onprogress`, cancel with `abort()`).
 * The server decides from the bytes; these checks only spare the user a doomed upload.
 * Client-safe: no zod, no server modules (types only).
 */
import { problemOf } from "@/lib/http/api-client";
import { MEDIA_TYPES, type UploadKind } from "@/services/storage/kinds";
import type { UploadDto } from "@/services/uploads";
import type { UploadFieldSpec } from "@/services/uploads/field";

export type UploadedFile = UploadDto;
export type { UploadFieldSpec };

/** Other names browsers give the accepted types. */
const ALIASES: Record<UploadKind, readonly string[]> = {
  image: ["image/jpg", "image/pjpeg"],
  audio: ["audio/x-wav", "audio/wave", "audio/vnd.wave", "audio/mp3", "audio/x-m4a", "audio/m4a", "audio/x-flac", "audio/x-aac", "audio/x-mpeg"],
  video: ["video/x-m4v"],
};

/** File name extensions per kind, for files the browser gives no type. */
const EXTENSIONS: Record<UploadKind, readonly string[]> = {
  image: [".png", ".jpg", ".jpeg", ".webp", ".gif"],
  audio: [".mp3", ".wav", ".ogg", ".opus", ".flac", ".m4a", ".aac", ".webm"],
  video: [".mp4", ".webm", ".mov"],
};

/** Short names of the accepted formats, for hints and errors. */
const FORMAT_NAMES: Record<UploadKind, string> = {
  image: "PNG, JPEG, WebP, GIF",
  audio: "MP3, WAV, Ogg, FLAC, M4A, AAC, WebM",
  video: "MP4, WebM, MOV",
};

export function formatNames(kinds: readonly UploadKind[]): string {
  // WebM is both audio and video: named once.
  return [...new Set(kinds.flatMap((k) => FORMAT_NAMES[k].split(", ")))].join(", ");
}

/** The `accept` attribute of a field's file input. */
export function acceptAttribute(kinds: readonly UploadKind[]): string {
  return [...kinds.flatMap((k) => MEDIA_TYPES[k]), ...kinds.flatMap((k) => EXTENSIONS[k])].join(",");
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot === -1 ? "" : name.slice(dot).toLowerCase();
}

/** Whether the browser's word for the file's type (or, lacking one, its extension) is an accepted kind. */
export function acceptsFile(file: Pick<File, "type" | "name">, kinds: readonly UploadKind[]): boolean {
  const type = file.type.split(";")[0].trim().toLowerCase();
  if (type && type !== "application/octet-stream") {
    if (kinds.some((k) => MEDIA_TYPES[k].includes(type) || ALIASES[k].includes(type))) return true;
    // Browsers' recordings are audio in a WebM or MP4 container, often typed video/*: the
    // server decides from the bytes whether it is audio.
    return kinds.includes("audio") && (type === "video/webm" || type === "video/mp4");
  }
  return kinds.some((k) => EXTENSIONS[k].includes(extensionOf(file.name)));
}

export type UploadProblem =
  | { key: "type"; values: { types: string } }
  | { key: "tooLarge"; values: { size: number; max: number } }
  | { key: "empty" }
  | { key: "tooManyPixels"; values: { width: number; height: number; max: number } }
  | { key: "tooLong"; values: { duration: number; max: number } }
  | { key: "unreadable" }
  | { key: "server"; values: { message: string } }
  | { key: "rateLimited"; values: { seconds: number } }
  | { key: "unauthorized" | "network" | "generic" };

/** What can be told from the File itself (type and size), before reading it. */
export function checkFile(file: File, spec: UploadFieldSpec): UploadProblem | null {
  if (!acceptsFile(file, spec.kinds)) return { key: "type", values: { types: formatNames(spec.kinds) } };
  if (file.size === 0) return { key: "empty" };
  if (spec.maxBytes !== undefined && file.size > spec.maxBytes) return { key: "tooLarge", values: { size: file.size, max: spec.maxBytes } };
  return null;
}

/** An image's size as the browser decodes it; null when it cannot (the server then decides). */
export function imageSizeOf(url: string): Promise<{ width: number; height: number } | null> {
  return new Promise((resolve) => {
    const img = new Image();
    img.onload = () => resolve(img.naturalWidth && img.naturalHeight ? { width: img.naturalWidth, height: img.naturalHeight } : null);
    img.onerror = () => resolve(null);
    img.src = url;
  });
}

/** An audio or video file's duration in seconds as the browser reads it; null when unknown (e.g. a WebM recording). */
export function durationOf(url: string): Promise<number | null> {
  return new Promise((resolve) => {
    const media = document.createElement("audio");
    const done = (value: number | null) => {
      media.removeAttribute("src");
      resolve(value);
    };
    media.preload = "metadata";
    media.onloadedmetadata = () => done(Number.isFinite(media.duration) && media.duration > 0 ? media.duration : null);
    media.onerror = () => done(null);
    media.src = url;
  });
}

/** The checks that need the file decoded: an image's pixels, a recording's length. */
export async function checkMeasured(file: File, previewUrl: string, spec: UploadFieldSpec): Promise<UploadProblem | null> {
  if (spec.maxPixels && file.type.startsWith("image/")) {
    const size = await imageSizeOf(previewUrl);
    if (size && size.width * size.height > spec.maxPixels) {
      return { key: "tooManyPixels", values: { ...size, max: Math.floor(spec.maxPixels / 100_000) / 10 } };
    }
  }
  if (spec.maxDurationSeconds && !file.type.startsWith("image/")) {
    const duration = await durationOf(previewUrl);
    if (duration !== null && duration > spec.maxDurationSeconds) return { key: "tooLong", values: { duration, max: spec.maxDurationSeconds } };
  }
  return null;
}

export interface UploadHandle {
  /** Resolves to the stored upload, or rejects with an UploadProblem (or `"aborted"`). */
  done: Promise<UploadedFile>;
  abort(): void;
}

/** POSTs the file to /api/uploads as multipart/form-data, reporting progress (0-100). */
export function startUpload(file: File, onProgress: (percent: number) => void): UploadHandle {
  const xhr = new XMLHttpRequest();
  const done = new Promise<UploadedFile>((resolve, reject) => {
    xhr.open("POST", "/api/uploads");
    xhr.responseType = "json";
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(Math.min(100, Math.floor((event.loaded / event.total) * 100)));
    };
    xhr.onabort = () => reject("aborted");
    xhr.onerror = () => reject({ key: "network" } satisfies UploadProblem);
    xhr.onload = () => {
      const body = (xhr.response ?? null) as { code?: unknown; message?: unknown; data?: { upload?: UploadedFile } } | null;
      if (xhr.status === 201 && body?.data?.upload) return resolve(body.data.upload);
      const problem = problemOf(xhr.status, body, xhr.getResponseHeader("retry-after"));
      if (xhr.status === 429) return reject({ key: "rateLimited", values: { seconds: problem.retryAfterSeconds ?? 60 } } satisfies UploadProblem);
      if (xhr.status === 401) return reject({ key: "unauthorized" } satisfies UploadProblem);
      // 400/413/415: the server's reason names the file ("file: larger than the image cap of ...").
      if (problem.message && xhr.status >= 400 && xhr.status < 500) {
        return reject({ key: "server", values: { message: problem.message.replace(/^file: /, "") } } satisfies UploadProblem);
      }
      reject({ key: "generic" } satisfies UploadProblem);
    };
    const form = new FormData();
    form.append("file", file, file.name);
    xhr.send(form);
  });
  return { done, abort: () => xhr.abort() };
}

/** m:ss (or h:mm:ss) of a duration in seconds. */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** 1.2 MB, 350 kB, 812 B. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(bytes >= 10 * 1024 * 1024 ? 0 : 1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} kB`;
  return `${bytes} B`;
}
