/**
 * What an upload's bytes are, decided from the bytes alone while they stream past:
 * the content type (`file-type` on the first bytes; never the name or a header), the
 * kind and its size cap, the measured facts (image width/height with `image-size`,
 * audio/video duration with `music-metadata`), and whether an image is whole.
 * Nothing here holds more than a bounded head (1 MiB, images only) and a small tail.
 */
import { once } from "node:events";
import { PassThrough } from "node:stream";
import { fileTypeFromBuffer } from "file-type";
import { imageSize } from "image-size";
import { parseStream } from "music-metadata";
import { AppError, BadRequestError } from "@/lib/http/errors";
import { kindOfContentType, UPLOAD_KIND_NAMES, type UploadKind } from "@/services/storage/kinds";
import type { UploadFacts } from "./field";

/** Enough for file-type to recognise every format it knows. */
const SNIFF_BYTES = 4100;
/** Image headers (JPEG's size can sit behind EXIF and XMP segments) are looked for within this. */
const IMAGE_HEAD_BYTES = 1024 * 1024;
/** Waiting this long for music-metadata after the last byte means it cannot tell. */
const METADATA_TIMEOUT_MS = 10_000;

/** 415 naming the field: the bytes are not something we accept. */
export class UnsupportedUploadError extends AppError {
  constructor(message: string) {
    super(415, `file: ${message}`, { field: "file" });
  }
}

/** 413 naming the field: more bytes than the kind's cap. */
export class UploadTooLargeError extends AppError {
  constructor(
    readonly limitBytes: number,
    kind: UploadKind | null,
  ) {
    super(413, `file: larger than ${kind ? `the ${kind} cap of` : ""} ${limitBytes} bytes`.replace("  ", " "), {
      field: "file",
      limitBytes,
      ...(kind ? { kind } : {}),
    });
  }
}

/** file-type's names for some types differ from the ones we store. */
const CANONICAL: Record<string, string> = {
  "audio/x-wav": "audio/wav",
  "audio/vnd.wave": "audio/wav",
  "audio/x-flac": "audio/flac",
  "audio/x-m4a": "audio/mp4",
  "audio/m4a": "audio/mp4",
  "audio/x-aac": "audio/aac",
  "audio/ogg; codecs=opus": "audio/opus",
  "audio/mp3": "audio/mpeg",
};

/** What inspecting the bytes measured: an upload's facts before it has its id. */
export type Measured = Omit<UploadFacts, "id">;

export interface InspectOptions {
  /** Size caps per kind (UPLOAD_MAX_*_BYTES). */
  caps: Record<UploadKind, number>;
  /** Bytes the caller may still upload this hour; past it: `overQuota()`. */
  quotaBytes: number;
  overQuota: () => Error;
}

/**
 * Reads the file's first bytes and decides what it is (`sniff`), then passes every
 * chunk on for storage (`chunks`) while it caps and measures. `chunks` throws —
 * failing the storage write — at the first byte over a cap, or at the end when the
 * bytes are not a whole, measurable file. `result()` gives the facts once it finished.
 */
export function inspectUpload(source: AsyncIterable<Uint8Array>, options: InspectOptions) {
  const largest = Math.max(...Object.values(options.caps));
  const iterator = source[Symbol.asyncIterator]();
  let measured: Measured | null = null;
  let sniffed: { kind: UploadKind; contentType: string; first: Buffer; ended: boolean } | null = null;

  /** The first bytes: 400 when there are none, 413 past the largest cap, 415 when not an accepted type. */
  async function sniff(): Promise<{ kind: UploadKind; contentType: string }> {
    const head: Uint8Array[] = [];
    let headBytes = 0;
    let ended = false;
    while (headBytes < SNIFF_BYTES) {
      const next = await iterator.next();
      if (next.done) {
        ended = true;
        break;
      }
      head.push(next.value);
      headBytes += next.value.length;
      // Until the kind is known, the cap is the largest kind's.
      if (headBytes > largest) throw new UploadTooLargeError(largest, null);
      if (headBytes > options.quotaBytes) throw options.overQuota();
    }
    if (headBytes === 0) throw new BadRequestError("file: is empty", "file");
    const first = Buffer.concat(head);
    const type = await fileTypeFromBuffer(first.subarray(0, SNIFF_BYTES));
    const mime = type ? (CANONICAL[type.mime] ?? type.mime) : null;
    const kind = mime ? (kindOfContentType(mime, UPLOAD_KIND_NAMES) as UploadKind | null) : null;
    if (!mime || !kind) {
      throw new UnsupportedUploadError(
        `the bytes are ${type ? type.mime : "not a known format"}; send an image (PNG, JPEG, WebP, GIF), audio (MP3, WAV, Ogg, FLAC, M4A, AAC, WebM) or video (MP4, WebM, MOV)`,
      );
    }
    if (headBytes > options.caps[kind]) throw new UploadTooLargeError(options.caps[kind], kind);
    sniffed = { kind, contentType: mime, first, ended };
    return { kind, contentType: mime };
  }

  async function* chunks(): AsyncGenerator<Uint8Array> {
    if (!sniffed) throw new Error("inspectUpload: sniff() first");
    const { kind, contentType: mime, first, ended } = sniffed;
    const cap = options.caps[kind];
    const image = kind === "image" ? new ImageCheck(mime) : null;
    const media = kind === "image" ? null : new DurationReader(mime);
    let bytes = 0;
    const pass = async (chunk: Uint8Array) => {
      bytes += chunk.length;
      image?.add(chunk);
      await media?.add(chunk);
    };
    try {
      await pass(first);
      yield first;
      while (!ended) {
        const next = await iterator.next();
        if (next.done) break;
        if (bytes + next.value.length > cap) throw new UploadTooLargeError(cap, kind);
        if (bytes + next.value.length > options.quotaBytes) throw options.overQuota();
        await pass(next.value);
        yield next.value;
      }
      let facts: Pick<Measured, "width" | "height" | "durationSeconds"> = { width: null, height: null, durationSeconds: null };
      if (image) facts = { ...image.finish(bytes), durationSeconds: null };
      if (media) facts = { width: null, height: null, durationSeconds: await media.finish() };
      // An audio-only WebM or MP4 (what browsers record) is audio, with audio's cap. (Its
      // object keeps the container's type, which plays the same.)
      let finalKind = kind;
      let contentType = mime;
      if (media?.audioOnly && kind === "video") {
        finalKind = "audio";
        contentType = mime === "video/webm" ? "audio/webm" : "audio/mp4";
        if (bytes > options.caps.audio) throw new UploadTooLargeError(options.caps.audio, "audio");
      }
      measured = { kind: finalKind, contentType, bytes, ...facts };
    } finally {
      media?.close();
    }
  }

  return {
    sniff,
    chunks,
    result(): Measured {
      if (!measured) throw new Error("inspectUpload: not finished");
      return measured;
    },
  };
}

/**
 * Is the image whole, and how big is it: the head (up to 1 MiB) goes to image-size, and
 * the end must be the format's end (PNG's IEND chunk, GIF's trailer, WebP's RIFF length;
 * for JPEG an end-of-image marker after the first start-of-scan), so a truncated file is
 * refused rather than handed to a provider.
 */
class ImageCheck {
  private head: Buffer[] = [];
  private headBytes = 0;
  private tail = Buffer.alloc(0);
  // JPEG: markers seen while streaming (0xFF then the code, possibly across chunks).
  private previousFF = false;
  private sawScan = false;
  private sawEndAfterScan = false;

  constructor(private readonly mime: string) {}

  add(chunk: Uint8Array) {
    const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.headBytes < IMAGE_HEAD_BYTES) {
      const part = buf.subarray(0, IMAGE_HEAD_BYTES - this.headBytes);
      this.head.push(Buffer.from(part));
      this.headBytes += part.length;
    }
    this.tail = Buffer.concat([this.tail, buf.subarray(Math.max(0, buf.length - 16))]).subarray(-16);
    if (this.mime === "image/jpeg" && !this.sawEndAfterScan) this.scanJpeg(buf);
  }

  private scanJpeg(buf: Buffer) {
    for (let i = 0; i < buf.length; i++) {
      const byte = buf[i];
      if (this.previousFF) {
        if (byte === 0xda) this.sawScan = true;
        else if (byte === 0xd9 && this.sawScan) {
          this.sawEndAfterScan = true;
          return;
        }
      }
      this.previousFF = byte === 0xff;
    }
  }

  finish(total: number): { width: number; height: number } {
    const head = Buffer.concat(this.head);
    const whole = (() => {
      switch (this.mime) {
        case "image/png":
          return this.tail.subarray(-12).equals(Buffer.from("0000000049454e44ae426082", "hex"));
        case "image/gif":
          return this.tail[this.tail.length - 1] === 0x3b;
        case "image/webp":
          return head.length >= 8 && total >= head.readUInt32LE(4) + 8;
        case "image/jpeg":
          return this.sawEndAfterScan;
        default:
          return false;
      }
    })();
    if (!whole) throw new UnsupportedUploadError("the image is truncated or damaged");
    try {
      const size = imageSize(head);
      if (!size.width || !size.height) throw new Error("no size");
      return { width: size.width, height: size.height };
    } catch {
      throw new UnsupportedUploadError("the image's size could not be read");
    }
  }
}

/**
 * Feeds the bytes to music-metadata through a bounded side stream and reads the
 * duration: the container's (audio's format.duration, or the longest track's, e.g. an
 * MP4's video track). The parser may stop reading early; the feed then stops too.
 */
class DurationReader {
  private readonly side = new PassThrough({ highWaterMark: 256 * 1024 });
  private settled = false;
  private readonly parsed: Promise<{ duration: number | null; audioOnly: boolean } | Error>;
  audioOnly = false;

  constructor(mime: string) {
    this.side.on("error", () => {});
    this.parsed = parseStream(this.side, { mimeType: mime }, { duration: true, skipCovers: true })
      .then((meta) => {
        const tracks = meta.format.trackInfo ?? [];
        const trackDuration = Math.max(0, ...tracks.map((t) => (typeof t.duration === "number" && Number.isFinite(t.duration) ? t.duration : 0)));
        const duration = meta.format.duration && Number.isFinite(meta.format.duration) ? meta.format.duration : trackDuration || null;
        const hasVideo = meta.format.hasVideo ?? tracks.some((t) => !!t.video);
        return { duration, audioOnly: !hasVideo && (meta.format.hasAudio ?? tracks.some((t) => !!t.audio)) };
      })
      .catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))))
      .finally(() => {
        this.settled = true;
        this.side.resume(); // whatever is still buffered is not needed
      });
  }

  async add(chunk: Uint8Array) {
    if (this.settled) return;
    if (!this.side.write(chunk)) await Promise.race([once(this.side, "drain"), this.parsed]);
  }

  async finish(): Promise<number> {
    this.side.end();
    const timeout = new Promise<Error>((resolve) => setTimeout(() => resolve(new Error("timed out")), METADATA_TIMEOUT_MS).unref());
    const result = await Promise.race([this.parsed, timeout]);
    if (result instanceof Error || !result.duration || result.duration <= 0) {
      throw new UnsupportedUploadError("the duration could not be read: the file is damaged or not a playable audio or video");
    }
    this.audioOnly = result.audioOnly;
    return Math.round(result.duration * 1000) / 1000;
  }

  close() {
    if (!this.side.writableEnded) this.side.end();
    this.side.resume();
  }
}
