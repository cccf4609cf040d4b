import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { env } from "@/lib/env";
import { backoffDelayMs, isRetryableStatus, withRetry, type BackoffOptions } from "@/lib/http/retry";
import type { ProviderErrorCode } from "@/lib/provider-errors";
import { storage as defaultStorage } from "./index";
import { assertValidKey } from "./keys";
import { MEDIA_TYPES, type OutputKind } from "./kinds";
import type { StorageDriver, StoredObject } from "./types";
import type { OutputBody } from "@/services/ai/types";

export type { OutputKind } from "./kinds";

interface KindRule {
  /** Content types accepted in the source's Content-Type header and stored. */
  types: readonly string[];
  /** Default size cap; callers may lower or raise it per call. */
  maxBytes: number;
}

/** Every output kind has a rule: its content types (./kinds.ts) and its default size cap. */
export const OUTPUT_KINDS: Record<OutputKind, KindRule> = {
  video: { types: MEDIA_TYPES.video, maxBytes: 512 * 1024 * 1024 },
  image: { types: MEDIA_TYPES.image, maxBytes: 32 * 1024 * 1024 },
  audio: { types: MEDIA_TYPES.audio, maxBytes: 256 * 1024 * 1024 },
  // A transcript: plain UTF-8 text, no HTML (checked while streaming).
  text: { types: MEDIA_TYPES.text, maxBytes: 8 * 1024 * 1024 },
};

/** What a text output is stored as. */
export const TEXT_CONTENT_TYPE = "text/plain; charset=utf-8";

/** Header values that say nothing about the bytes; the sniffed type decides. */
const GENERIC_TYPES = new Set(["", "application/octet-stream", "binary/octet-stream"]);
const SNIFF_BYTES = 16;

/** The content type the first bytes prove, or null (e.g. HTML, text, an unknown format). */
export function sniffContentType(head: Buffer): string | null {
  const ascii = (start: number, end: number) => head.subarray(start, end).toString("latin1");
  if (head.length >= 12 && ascii(4, 8) === "ftyp") {
    const brand = ascii(8, 12);
    if (brand === "M4A " || brand === "M4B ") return "audio/mp4";
    return brand === "qt  " ? "video/quicktime" : "video/mp4";
  }
  // Audio: MP3 (an ID3 tag or an MPEG audio frame header), WAV, Ogg (Vorbis/Opus), FLAC, AAC (ADTS).
  if (head.length >= 3 && ascii(0, 3) === "ID3") return "audio/mpeg";
  if (head.length >= 2 && head[0] === 0xff && (head[1] & 0xf6) === 0xf0) return "audio/aac";
  if (head.length >= 2 && head[0] === 0xff && (head[1] & 0xe0) === 0xe0) return "audio/mpeg";
  if (head.length >= 12 && ascii(0, 4) === "RIFF" && ascii(8, 12) === "WAVE") return "audio/wav";
  if (head.length >= 4 && ascii(0, 4) === "OggS") return "audio/ogg";
  if (head.length >= 4 && ascii(0, 4) === "fLaC") return "audio/flac";
  if (head.length >= 4 && head.readUInt32BE(0) === 0x1a45dfa3) return "video/webm";
  if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return "image/png";
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return "image/jpeg";
  if (head.length >= 12 && ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "image/webp";
  if (head.length >= 6 && (ascii(0, 6) === "GIF87a" || ascii(0, 6) === "GIF89a")) return "image/gif";
  return null;
}

export type OutputCopyErrorCode =
  | "invalid_source" // not an http(s) URL, file URL or app path we may read
  | "source_not_found" // 404/410 or a missing file
  | "source_rejected" // another 4xx
  | "source_unavailable" // network failure, 429/5xx, a body cut short: retried
  | "wrong_content_type" // the header or the bytes are not the declared kind (e.g. HTML)
  | "too_large" // Content-Length or the streamed bytes exceed the cap
  | "empty"
  | "storage_failed"; // the storage driver refused the write: retried

const PROVIDER_CODE: Record<OutputCopyErrorCode, ProviderErrorCode> = {
  invalid_source: "invalid_output",
  source_not_found: "invalid_output",
  source_rejected: "invalid_output",
  source_unavailable: "provider_unavailable",
  wrong_content_type: "invalid_output",
  too_large: "invalid_output",
  empty: "invalid_output",
  storage_failed: "internal",
};

const RETRYABLE = new Set<OutputCopyErrorCode>(["source_unavailable", "storage_failed"]);

/** Why a copy failed: `code` is stable; `providerCode` is what the task should carry. */
export class OutputCopyError extends Error {
  readonly providerCode: ProviderErrorCode;
  readonly retryable: boolean;
  constructor(
    readonly code: OutputCopyErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "OutputCopyError";
    this.providerCode = PROVIDER_CODE[code];
    this.retryable = RETRYABLE.has(code);
  }
}

export interface CopyOutputOptions {
  /**
   * Where the output is: an http(s) URL (a provider's delivery URL), a file://
   * URL, or an app path such as `/demo/video/aurora-landscape-5s.mp4` (the mock
   * provider's bundled samples), read from `publicDir`. An http(s) URL on the
   * app's own origin (APP_URL) whose file exists in `publicDir` is read from
   * disk too, so the app never has to call itself. Give `url` or `body`.
   */
  url?: string;
  /**
   * Or the output itself: its text (a transcript a provider answered in its JSON), or a
   * function opening a stream of its bytes (called again on a retry). Checked like a download.
   */
  body?: OutputBody;
  /** Storage key to write, e.g. outputKey(task.uuid). */
  key: string;
  kind: OutputKind;
  /** Size cap; default OUTPUT_KINDS[kind].maxBytes. */
  maxBytes?: number;
  storage?: StorageDriver;
  /** Default `<cwd>/public`. */
  publicDir?: string;
  /** Default APP_URL. */
  appUrl?: string;
  /** Bounded retries of transient failures (source_unavailable, storage_failed). */
  retry?: BackoffOptions;
  /** Abort a download that has not answered headers in this long. Default 30 s. */
  headersTimeoutMs?: number;
  fetch?: typeof fetch;
}

/** The storage key of a task's output. */
export function outputKey(taskUuid: string): string {
  return assertValidKey(`tasks/${taskUuid}/output`);
}

interface Source {
  headerType: string;
  length?: number;
  body: AsyncIterable<Uint8Array>;
  cancel(): void;
}

function isInside(root: string, file: string) {
  return file.startsWith(root + path.sep);
}

/** A file under publicDir for an app path, or null when it is not one. */
async function publicFile(publicDir: string, pathname: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  // Normalized as an absolute URL path first, so `..` cannot climb above the folder.
  return existingFileInside(publicDir, path.join(path.resolve(publicDir), path.posix.normalize("/" + decoded)));
}

/** The real path of `file` if it is a regular file inside `dir` (symlinks resolved), else null. */
async function existingFileInside(dir: string, file: string): Promise<string | null> {
  const root = path.resolve(dir);
  if (!isInside(root, path.resolve(file))) return null;
  try {
    const real = await fsp.realpath(file);
    return isInside(await fsp.realpath(root), real) && (await fsp.stat(real)).isFile() ? real : null;
  } catch {
    return null;
  }
}

const EXTENSION_TYPES: Record<string, string> = {
  ".mp4": "video/mp4",
  ".webm": "video/webm",
  ".mov": "video/quicktime",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".webp": "image/webp",
  ".gif": "image/gif",
  ".mp3": "audio/mpeg",
  ".wav": "audio/wav",
  ".ogg": "audio/ogg",
  ".flac": "audio/flac",
  ".m4a": "audio/mp4",
  ".txt": "text/plain",
};

async function openFile(file: string): Promise<Source> {
  const stat = await fsp.stat(file);
  const stream = fs.createReadStream(file);
  return {
    headerType: EXTENSION_TYPES[path.extname(file).toLowerCase()] ?? "",
    length: stat.size,
    body: stream,
    cancel: () => stream.destroy(),
  };
}

/** An output given as its content (text, or a function opening its bytes). */
async function openBody(body: OutputBody): Promise<Source> {
  if (typeof body === "string") {
    const bytes = Buffer.from(body, "utf8");
    return { headerType: "", length: bytes.length, body: Readable.from([bytes]), cancel: () => {} };
  }
  let stream: AsyncIterable<Uint8Array>;
  try {
    stream = await body();
  } catch (error) {
    throw new OutputCopyError("source_rejected", `output could not be produced: ${(error as Error).message}`, { cause: error });
  }
  return { headerType: "", body: stream, cancel: () => (stream as Partial<Readable>).destroy?.() };
}

async function openSource(options: CopyOutputOptions): Promise<Source> {
  if (options.body !== undefined) return openBody(options.body);
  const publicDir = options.publicDir ?? path.resolve("public");
  const { url = "" } = options;
  if (url.startsWith("/") && !url.startsWith("//")) {
    const file = await publicFile(publicDir, url.split(/[?#]/)[0]);
    if (!file) throw new OutputCopyError("source_not_found", `no bundled file at ${url}`);
    return openFile(file);
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new OutputCopyError("invalid_source", "output URL is not a URL");
  }
  if (parsed.protocol === "file:") {
    // Only files in publicDir: a provider must not make us copy /etc/passwd.
    const file = await existingFileInside(publicDir, fileURLToPath(parsed));
    if (!file) throw new OutputCopyError("invalid_source", "file outside the public folder");
    return openFile(file);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new OutputCopyError("invalid_source", `unsupported output URL scheme ${parsed.protocol}`);
  }
  const appUrl = options.appUrl ?? env().APP_URL;
  if (parsed.origin === new URL(appUrl).origin) {
    const file = await publicFile(publicDir, parsed.pathname);
    if (file) return openFile(file);
  }
  const headersTimeout = AbortSignal.timeout(options.headersTimeoutMs ?? 30_000);
  const controller = new AbortController();
  const onTimeout = () => controller.abort(headersTimeout.reason);
  headersTimeout.addEventListener("abort", onTimeout);
  let res: Response;
  try {
    res = await (options.fetch ?? fetch)(parsed, { redirect: "follow", signal: controller.signal });
  } catch (error) {
    throw new OutputCopyError("source_unavailable", `output download failed: ${(error as Error).message}`, { cause: error });
  } finally {
    headersTimeout.removeEventListener("abort", onTimeout);
  }
  if (!res.ok || !res.body) {
    res.body?.cancel().catch(() => {});
    const code = isRetryableStatus(res.status)
      ? "source_unavailable"
      : res.status === 404 || res.status === 410
        ? "source_not_found"
        : "source_rejected";
    throw new OutputCopyError(code, `output download answered HTTP ${res.status}`);
  }
  const length = res.headers.get("content-length");
  const body = Readable.fromWeb(res.body as import("node:stream/web").ReadableStream<Uint8Array>);
  // Errors surface through iteration; after a refusal the rest is discarded quietly.
  body.on("error", () => {});
  return {
    headerType: res.headers.get("content-type") ?? "",
    length: length && /^\d+$/.test(length) ? Number(length) : undefined,
    body,
    cancel: () => body.destroy(),
  };
}

/**
 * Reads the first bytes to learn the type, then yields everything while
 * counting: more than `maxBytes` fails the stream (and so the put) at once,
 * and a source error becomes `source_unavailable`. Nothing is held beyond the
 * chunk in hand.
 */
async function inspect(source: Source, kind: OutputKind, maxBytes: number) {
  const rule = OUTPUT_KINDS[kind];
  const headerType = source.headerType.split(";")[0].trim().toLowerCase();
  if (!GENERIC_TYPES.has(headerType) && !rule.types.includes(headerType)) {
    throw new OutputCopyError("wrong_content_type", `output is ${headerType}, expected a ${kind}`);
  }
  if (source.length !== undefined && source.length > maxBytes) {
    throw new OutputCopyError("too_large", `output is ${source.length} bytes, the cap is ${maxBytes}`);
  }
  const iterator = source.body[Symbol.asyncIterator]();
  const next = async () => {
    try {
      return await iterator.next();
    } catch (error) {
      throw new OutputCopyError("source_unavailable", `output download broke: ${(error as Error).message}`, { cause: error });
    }
  };
  const first: Buffer[] = [];
  let headLength = 0;
  let done = false;
  while (headLength < SNIFF_BYTES) {
    const r = await next();
    if (r.done) {
      done = true;
      break;
    }
    first.push(Buffer.from(r.value));
    headLength += r.value.length;
  }
  if (headLength === 0) throw new OutputCopyError("empty", "output is empty");
  const head = Buffer.concat(first);
  const sniffed = kind === "text" ? sniffText(head) : asKind(sniffContentType(head), kind);
  if (!sniffed || !rule.types.includes(sniffed.split(";")[0])) {
    throw new OutputCopyError("wrong_content_type", `output bytes are ${sniffed ?? "not a known media format"}, expected a ${kind}`);
  }
  if (head.length > maxBytes) throw new OutputCopyError("too_large", `output exceeds the cap of ${maxBytes} bytes`);
  // Text must be UTF-8 throughout (and free of NUL): checked on every chunk, so a binary
  // file behind a text header fails before it is stored.
  const utf8 = kind === "text" ? new TextDecoder("utf-8", { fatal: true }) : null;
  const checkText = (chunk: Uint8Array, last = false) => {
    if (!utf8) return;
    try {
      if (chunk.includes(0)) throw new Error("NUL byte");
      utf8.decode(chunk, { stream: !last });
    } catch {
      throw new OutputCopyError("wrong_content_type", "output is not UTF-8 text");
    }
  };

  async function* body() {
    let bytes = head.length;
    checkText(head);
    yield head;
    if (!done) {
      for (;;) {
        const r = await next();
        if (r.done) break;
        bytes += r.value.length;
        if (bytes > maxBytes) throw new OutputCopyError("too_large", `output exceeds the cap of ${maxBytes} bytes`);
        checkText(r.value);
        yield r.value;
      }
    }
    checkText(new Uint8Array(0), true);
  }
  return { contentType: sniffed, stream: Readable.from(body(), { objectMode: false }) };
}

/**
 * A container sniffed as video that the task declares audio (an audio-only WebM or MP4,
 * as browsers record and speech models return) is stored as that audio type.
 */
function asKind(sniffed: string | null, kind: OutputKind): string | null {
  if (kind === "audio" && sniffed === "video/webm") return "audio/webm";
  if (kind === "audio" && sniffed === "video/mp4") return "audio/mp4";
  return sniffed;
}

/** Markup a text output must not start with: HTML (an error page) or XML/SVG. */
const MARKUP = /^\s*<(?:!doctype|html|head|body|script|iframe|svg|\?xml|!--)/i;

/** A text output's stored type, or null when its first bytes are markup or binary. */
function sniffText(head: Buffer): string | null {
  const start = head.subarray(0, 512).toString("latin1").replace(/^\u00ef\u00bb\u00bf/, "");
  if (MARKUP.test(start) || head.includes(0)) return null;
  return TEXT_CONTENT_TYPE;
}

async function copyOnce(options: CopyOutputOptions, store: StorageDriver): Promise<StoredObject> {
  const maxBytes = options.maxBytes ?? OUTPUT_KINDS[options.kind].maxBytes;
  const source = await openSource(options);
  try {
    const { contentType, stream } = await inspect(source, options.kind, maxBytes);
    try {
      return await store.put(options.key, stream, { contentType });
    } catch (error) {
      if (error instanceof OutputCopyError) throw error;
      throw new OutputCopyError("storage_failed", `storage write failed: ${(error as Error).message}`, { cause: error });
    }
  } finally {
    source.cancel();
  }
}

/**
 * Copies a provider's output into storage, streaming: the status, the declared
 * content type and the first bytes must match `kind` (HTML where a video is
 * expected is refused), the size cap holds while streaming, and the object
 * appears only when complete. Transient failures (network, 429/5xx, a body cut
 * short, a storage error) are retried a bounded number of times; everything
 * else fails at once. Throws OutputCopyError; `error.providerCode` is the code
 * to store on a failed task.
 */
export async function copyOutputToStorage(options: CopyOutputOptions): Promise<StoredObject> {
  assertValidKey(options.key);
  const store = options.storage ?? defaultStorage();
  const retry = { maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 5_000, totalTimeMs: 60_000, ...options.retry };
  return withRetry(
    () => copyOnce(options, store),
    (outcome, attempt) =>
      !outcome.ok && outcome.error instanceof OutputCopyError && outcome.error.retryable ? backoffDelayMs(attempt, retry) : null,
    retry,
  );
}
