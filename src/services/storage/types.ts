import type { Readable } from "node:stream";

/** A body to store: a Node stream or a web stream. Never a whole buffered file. */
export type StorageBody = Readable | ReadableStream<Uint8Array>;

export interface StoredObject {
  key: string;
  contentType: string;
  bytes: number;
}

/**
 * The one interface task outputs are stored through. Objects are private: the
 * only way to read one from a browser is a short-lived signed URL.
 */
export interface StorageDriver {
  readonly name: "local" | "s3";
  /** Stores `body` under `key` (replacing any object there); resolves once it is durable. */
  put(key: string, body: StorageBody, options: { contentType: string }): Promise<StoredObject>;
  /** Removes the object; a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** Content type and size, or null when there is no such object. */
  head(key: string): Promise<StoredObject | null>;
  /**
   * The object's bytes as a stream (never buffered whole), or null when there is no such
   * object: for code in the app that reads what it stored (e.g. the mock upscaler reading
   * an uploaded image). Browsers and providers read through `signedUrl`.
   */
  get(key: string): Promise<Readable | null>;
  /** An absolute URL that reads the object until it expires (default STORAGE_URL_TTL_SECONDS). */
  signedUrl(key: string, options?: { ttlSeconds?: number }): Promise<string>;
}
