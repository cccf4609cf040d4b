import type { S3Client } from "@aws-sdk/client-s3";
import { Transform, type Readable } from "node:stream";
import { assertValidKey } from "./keys";
import { toNodeStream } from "./local";
import type { StorageBody, StorageDriver, StoredObject } from "./types";

export interface S3StorageOptions {
  bucket: string;
  region: string;
  /** Custom endpoint for R2, MinIO, Supabase Storage, a local test server; unset = AWS. */
  endpoint?: string;
  forcePathStyle?: boolean;
  accessKeyId?: string;
  secretAccessKey?: string;
  ttlSeconds: number;
}

/** Presigned URLs longer than this are refused by S3 (SigV4 limit: 7 days). */
const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;
/** Multipart part size: the most a streamed upload holds in memory per part in flight. */
const PART_SIZE = 8 * 1024 * 1024;
const PARTS_IN_FLIGHT = 2;

/** The SDK, loaded on first use: deployments on the local driver never load it. */
const sdk = () =>
  Promise.all([import("@aws-sdk/client-s3"), import("@aws-sdk/lib-storage"), import("@aws-sdk/s3-request-presigner")]).then(
    ([s3, storage, presigner]) => ({ ...s3, Upload: storage.Upload, getSignedUrl: presigner.getSignedUrl }),
  );

/**
 * Any S3-compatible bucket through the AWS SDK v3. Objects are written without
 * an ACL (private by default); reads are presigned GET URLs only.
 */
export class S3Storage implements StorageDriver {
  readonly name = "s3" as const;
  private clientPromise?: Promise<S3Client>;

  constructor(private readonly options: S3StorageOptions) {}

  private client(): Promise<S3Client> {
    this.clientPromise ??= sdk().then(
      ({ S3Client }) =>
        new S3Client({
          region: this.options.region,
          endpoint: this.options.endpoint,
          forcePathStyle: this.options.forcePathStyle,
          credentials:
            this.options.accessKeyId && this.options.secretAccessKey
              ? { accessKeyId: this.options.accessKeyId, secretAccessKey: this.options.secretAccessKey }
              : undefined,
        }),
    );
    return this.clientPromise;
  }

  /** Closes the client's connections (tests, scripts). */
  async close(): Promise<void> {
    if (this.clientPromise) (await this.clientPromise).destroy();
  }

  async put(key: string, body: StorageBody, { contentType }: { contentType: string }): Promise<StoredObject> {
    assertValidKey(key);
    const [{ Upload }, client] = await Promise.all([sdk(), this.client()]);
    let bytes = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    const source = toNodeStream(body);
    // A failing source must fail the upload (and abort the multipart upload), not hang it.
    source.on("error", (e) => counter.destroy(e));
    source.pipe(counter);
    const upload = new Upload({
      client,
      params: { Bucket: this.options.bucket, Key: key, Body: counter, ContentType: contentType },
      partSize: PART_SIZE,
      queueSize: PARTS_IN_FLIGHT,
      leavePartsOnError: false,
    });
    const done = upload.done();
    done.catch(() => {}); // observed through the race below
    const failed = new Promise<never>((_, reject) => counter.once("error", reject));
    await Promise.race([done, failed]).catch(async (error) => {
      await upload.abort().catch(() => {});
      throw error;
    });
    return { key, contentType, bytes };
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    const [{ DeleteObjectCommand }, client] = await Promise.all([sdk(), this.client()]);
    await client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: key }));
  }

  async head(key: string): Promise<StoredObject | null> {
    assertValidKey(key);
    const [{ HeadObjectCommand, S3ServiceException }, client] = await Promise.all([sdk(), this.client()]);
    try {
      const out = await client.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: key }));
      return { key, contentType: out.ContentType ?? "application/octet-stream", bytes: out.ContentLength ?? 0 };
    } catch (error) {
      if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404) return null;
      throw error;
    }
  }

  async get(key: string): Promise<Readable | null> {
    assertValidKey(key);
    const [{ GetObjectCommand, S3ServiceException }, client] = await Promise.all([sdk(), this.client()]);
    try {
      const out = await client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: key }));
      // In Node the SDK's body is a Readable (an IncomingMessage).
      return out.Body ? toNodeStream(out.Body as StorageBody) : null;
    } catch (error) {
      if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404) return null;
      throw error;
    }
  }

  async signedUrl(key: string, options: { ttlSeconds?: number } = {}): Promise<string> {
    assertValidKey(key);
    const expiresIn = Math.min(options.ttlSeconds ?? this.options.ttlSeconds, MAX_PRESIGN_SECONDS);
    const [{ GetObjectCommand, getSignedUrl }, client] = await Promise.all([sdk(), this.client()]);
    const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: this.options.bucket, Key: key }), { expiresIn });
    assertSigned(url);
    return url;
  }
}

/** The driver never hands out a URL that reads without a signature. */
export function assertSigned(url: string): void {
  const params = new URL(url).searchParams;
  if (!params.get("X-Amz-Signature") || !params.get("X-Amz-Expires")) {
    throw new Error("refusing to return an unsigned storage URL");
  }
}
