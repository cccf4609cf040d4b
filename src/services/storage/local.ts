import crypto from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { assertValidKey, isValidKey } from "./keys";
import { signKey, verifyKeySignature, type SignatureCheck } from "./signing";
import type { StorageBody, StorageDriver, StoredObject } from "./types";

export interface LocalStorageOptions {
  /** Folder holding the objects (created on first write). */
  root: string;
  /** HMAC key for read URLs. */
  secret: string;
  /** Public base URL of the app (or how to get it per request); read URLs point at `${baseUrl}/api/storage/<key>`. */
  baseUrl: string | (() => string | Promise<string>);
  /** Default lifetime of a read URL. */
  ttlSeconds: number;
}

export const LOCAL_ROUTE_PREFIX = "/api/storage/";

export function toNodeStream(body: StorageBody): Readable {
  return body instanceof Readable ? body : Readable.fromWeb(body as import("node:stream/web").ReadableStream<Uint8Array>);
}

/**
 * Files under `<root>/objects/<key>`, with the content type in
 * `<root>/meta/<key>.json`. Writes go to `<root>/tmp` first and are renamed into
 * place, so a failed or aborted copy never leaves a partial object.
 */
export class LocalStorage implements StorageDriver {
  readonly name = "local" as const;
  readonly root: string;
  private readonly objects: string;
  private readonly meta: string;
  private readonly tmp: string;

  constructor(private readonly options: LocalStorageOptions) {
    this.root = path.resolve(options.root);
    this.objects = path.join(this.root, "objects");
    this.meta = path.join(this.root, "meta");
    this.tmp = path.join(this.root, "tmp");
  }

  /** The file of a key, or null if the key is malformed or would leave the root. */
  private filePath(dir: string, key: string, suffix = ""): string | null {
    if (!isValidKey(key)) return null;
    const full = path.resolve(dir, key + suffix);
    return full.startsWith(dir + path.sep) ? full : null;
  }

  async put(key: string, body: StorageBody, { contentType }: { contentType: string }): Promise<StoredObject> {
    assertValidKey(key);
    const file = this.filePath(this.objects, key)!;
    const metaFile = this.filePath(this.meta, key, ".json")!;
    await fsp.mkdir(this.tmp, { recursive: true });
    const tmpFile = path.join(this.tmp, crypto.randomUUID());
    let bytes = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    try {
      await pipeline(toNodeStream(body), counter, fs.createWriteStream(tmpFile, { flags: "wx" }));
      await fsp.mkdir(path.dirname(file), { recursive: true });
      await fsp.mkdir(path.dirname(metaFile), { recursive: true });
      const object: StoredObject = { key, contentType, bytes };
      await fsp.writeFile(metaFile, JSON.stringify({ contentType, bytes }));
      await fsp.rename(tmpFile, file);
      return object;
    } catch (error) {
      await fsp.rm(tmpFile, { force: true });
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    await fsp.rm(this.filePath(this.objects, key)!, { force: true });
    await fsp.rm(this.filePath(this.meta, key, ".json")!, { force: true });
  }

  async head(key: string): Promise<StoredObject | null> {
    const file = this.filePath(this.objects, key);
    const metaFile = this.filePath(this.meta, key, ".json");
    if (!file || !metaFile) return null;
    try {
      const [stat, meta] = await Promise.all([fsp.stat(file), fsp.readFile(metaFile, "utf8")]);
      if (!stat.isFile()) return null;
      // The real path must still be inside the root (no symlinked escape).
      const real = await fsp.realpath(file);
      if (!real.startsWith((await fsp.realpath(this.objects)) + path.sep)) return null;
      const { contentType } = JSON.parse(meta) as { contentType: string };
      return { key, contentType, bytes: stat.size };
    } catch {
      return null;
    }
  }

  async get(key: string): Promise<Readable | null> {
    return (await this.head(key)) ? this.createReadStream(key) : null;
  }

  /** A read stream over bytes [start, end] (inclusive) of an object that `head` found. */
  createReadStream(key: string, range?: { start: number; end: number }): Readable {
    const file = this.filePath(this.objects, key);
    if (!file) throw new Error("invalid storage key");
    return fs.createReadStream(file, range);
  }

  async signedUrl(key: string, options: { ttlSeconds?: number } = {}): Promise<string> {
    assertValidKey(key);
    const expires = Math.floor(Date.now() / 1000) + (options.ttlSeconds ?? this.options.ttlSeconds);
    const base = typeof this.options.baseUrl === "function" ? await this.options.baseUrl() : this.options.baseUrl;
    const url = new URL(LOCAL_ROUTE_PREFIX + key, base);
    url.searchParams.set("exp", String(expires));
    url.searchParams.set("sig", signKey(this.options.secret, key, expires));
    return url.toString();
  }

  /** Checks a read URL's `exp` and `sig` for `key`. */
  verify(key: string, expires: string | null, signature: string | null, now = Date.now()): SignatureCheck {
    return verifyKeySignature(this.options.secret, key, expires, signature, now);
  }
}
