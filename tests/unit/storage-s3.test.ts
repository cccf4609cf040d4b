import crypto from "node:crypto";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStorage, S3Storage } from "@/services/storage";
import { assertSigned } from "@/services/storage/s3";
import { env } from "@/lib/env";
import { startS3Server, type S3TestServer } from "../support/s3-server";

// The s3 driver against a real S3-compatible server (s3rver) started here.
let s3: S3TestServer;
let store: S3Storage;

beforeAll(async () => {
  s3 = await startS3Server();
  store = new S3Storage({
    bucket: s3.bucket,
    region: "us-east-1",
    endpoint: s3.endpoint,
    forcePathStyle: true,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    ttlSeconds: 3600,
  });
});
afterAll(async () => {
  await store?.close();
  await s3?.close();
});

describe("s3 driver", () => {
  it("stores a stream, reads it back through a presigned URL, and deletes it", async () => {
    const bytes = crypto.randomBytes(100_000);
    const obj = await store.put("tasks/s1/out.mp4", Readable.from([bytes.subarray(0, 50_000), bytes.subarray(50_000)]), {
      contentType: "video/mp4",
    });
    expect(obj).toEqual({ key: "tasks/s1/out.mp4", contentType: "video/mp4", bytes: 100_000 });
    expect(await store.head("tasks/s1/out.mp4")).toEqual(obj);

    const url = await store.signedUrl("tasks/s1/out.mp4");
    expect(url.startsWith(`${s3.endpoint}/${s3.bucket}/tasks/s1/out.mp4?`)).toBe(true);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("video/mp4");
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);

    await store.delete("tasks/s1/out.mp4");
    expect(await store.head("tasks/s1/out.mp4")).toBeNull();
    expect((await fetch(url)).status).toBe(404);
  });

  it("streams an object larger than one multipart part (multipart upload)", async () => {
    const part = crypto.randomBytes(1024 * 1024);
    const chunks = function* () {
      for (let i = 0; i < 20; i++) yield part; // 20 MiB, never one buffer
    };
    const obj = await store.put("tasks/s2/big.mp4", Readable.from(chunks()), { contentType: "video/mp4" });
    expect(obj.bytes).toBe(20 * 1024 * 1024);
    expect((await store.head("tasks/s2/big.mp4"))?.bytes).toBe(20 * 1024 * 1024);
    const res = await fetch(await store.signedUrl("tasks/s2/big.mp4"), { headers: { range: "bytes=0-1023" } });
    expect(res.status).toBe(206);
    expect(Buffer.from(await res.arrayBuffer()).equals(part.subarray(0, 1024))).toBe(true);
  });

  it("a failing source rejects the put and leaves no object", async () => {
    const failing = new Readable({
      read() {
        this.push(crypto.randomBytes(1024));
        this.destroy(new Error("source broke"));
      },
    });
    await expect(store.put("tasks/s3/out.mp4", failing, { contentType: "video/mp4" })).rejects.toThrow(/source broke/);
    expect(await store.head("tasks/s3/out.mp4")).toBeNull();
  });

  it("a presigned URL stops working after its lifetime", async () => {
    await store.put("tasks/s4/out.png", Readable.from([Buffer.from("png")]), { contentType: "image/png" });
    const url = await store.signedUrl("tasks/s4/out.png", { ttlSeconds: 1 });
    expect((await fetch(url)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2100));
    const res = await fetch(url);
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain("png</");
  });

  it("never returns an unsigned URL", async () => {
    const url = new URL(await store.signedUrl("tasks/s4/out.png"));
    expect(url.searchParams.get("X-Amz-Signature")).toMatch(/^[0-9a-f]{64}$/);
    expect(url.searchParams.get("X-Amz-Expires")).toBe("3600");
    expect(url.searchParams.get("X-Amz-Credential")).toContain("S3RVER/");
    expect(() => assertSigned(`${s3.endpoint}/${s3.bucket}/tasks/s4/out.png`)).toThrow(/unsigned/);
    await expect(store.signedUrl("../x")).rejects.toThrow(/invalid storage key/);
  });

  it("STORAGE_DRIVER=s3 builds this driver from the S3_* environment", () => {
    const driver = createStorage({
      ...env(),
      STORAGE_DRIVER: "s3",
      S3_BUCKET: s3.bucket,
      S3_ENDPOINT: s3.endpoint,
      S3_FORCE_PATH_STYLE: true,
      S3_ACCESS_KEY_ID: "a",
      S3_SECRET_ACCESS_KEY: "b",
    });
    expect(driver.name).toBe("s3");
  });
});
