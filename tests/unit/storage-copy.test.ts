import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalStorage, S3Storage, type StorageDriver } from "@/services/storage";
import { copyOutputToStorage, OutputCopyError, outputKey, sniffContentType, type CopyOutputOptions } from "@/services/storage/copy";
import { mp4Bytes, PNG_BYTES, startOutputServer, type OutputServer } from "../support/output-server";
import { startS3Server, type S3TestServer } from "../support/s3-server";

// copyOutputToStorage against a local HTTP server serving good, oversize,
// wrong-type and failing outputs, into the local driver and a real s3rver.
let dir: string;
let local: LocalStorage;
let s3server: S3TestServer;
let s3: S3Storage;
let out: OutputServer;
const PUBLIC = path.resolve("public");

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "storage-copy-"));
  local = new LocalStorage({ root: dir, secret: "s", baseUrl: "http://app.test", ttlSeconds: 60 });
  out = await startOutputServer();
  s3server = await startS3Server();
  s3 = new S3Storage({
    bucket: s3server.bucket,
    region: "us-east-1",
    endpoint: s3server.endpoint,
    forcePathStyle: true,
    accessKeyId: s3server.accessKeyId,
    secretAccessKey: s3server.secretAccessKey,
    ttlSeconds: 60,
  });
});
afterAll(async () => {
  await s3?.close();
  await s3server?.close();
  await out?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const fast = { baseDelayMs: 10, maxDelayMs: 20 };
const copy = (over: Partial<CopyOutputOptions> & { url: string }, store: StorageDriver = local) =>
  copyOutputToStorage({ key: "tasks/t/output", kind: "video", storage: store, publicDir: PUBLIC, appUrl: "http://127.0.0.1:9", retry: fast, ...over });

async function expectCode(promise: Promise<unknown>, code: string, providerCode: string) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OutputCopyError);
  expect((error as OutputCopyError).code).toBe(code);
  expect((error as OutputCopyError).providerCode).toBe(providerCode);
}

describe("copyOutputToStorage", () => {
  for (const driver of ["local", "s3"] as const) {
    it(`copies a provider video into ${driver} storage and returns key, type and size`, async () => {
      const store = driver === "local" ? local : s3;
      const key = `tasks/${driver}-good/output`;
      const result = await copy({ url: `${out.url}/video.mp4`, key }, store);
      expect(result).toEqual({ key, contentType: "video/mp4", bytes: 1024 * 1024 });
      expect(await store.head(key)).toMatchObject({ contentType: "video/mp4", bytes: 1024 * 1024 });
    });

    it(`refuses an output over the cap while streaming and stores nothing (${driver})`, async () => {
      const store = driver === "local" ? local : s3;
      const key = `tasks/${driver}-big/output`;
      await expectCode(copy({ url: `${out.url}/endless.mp4`, key, maxBytes: 5 * 1024 * 1024 }, store), "too_large", "invalid_output");
      expect(await store.head(key)).toBeNull();
      // The download stopped near the cap instead of reading the endless body.
      expect(out.sent.get("/endless.mp4")!).toBeLessThan(64 * 1024 * 1024);
    });
  }

  it("trusts the bytes: octet-stream with MP4 bytes is stored as video/mp4; an image kind takes a PNG", async () => {
    expect((await copy({ url: `${out.url}/video-octet`, key: "tasks/octet/output" })).contentType).toBe("video/mp4");
    expect(await copy({ url: `${out.url}/image.png`, key: "tasks/png/output", kind: "image" })).toEqual({
      key: "tasks/png/output",
      contentType: "image/png",
      bytes: PNG_BYTES.length,
    });
  });

  it("refuses HTML (declared or disguised as video/mp4) and the wrong kind, storing nothing", async () => {
    await expectCode(copy({ url: `${out.url}/page.html`, key: "tasks/html/output" }), "wrong_content_type", "invalid_output");
    await expectCode(copy({ url: `${out.url}/html-as-mp4`, key: "tasks/html/output" }), "wrong_content_type", "invalid_output");
    await expectCode(copy({ url: `${out.url}/video.mp4`, key: "tasks/html/output", kind: "image" }), "wrong_content_type", "invalid_output");
    expect(await local.head("tasks/html/output")).toBeNull();
  });

  it("refuses a declared Content-Length over the cap before reading the body", async () => {
    await expectCode(copy({ url: `${out.url}/declared-huge`, key: "tasks/huge/output" }), "too_large", "invalid_output");
  });

  it("retries 503s and a body cut short, then succeeds", async () => {
    expect((await copy({ url: `${out.url}/flaky.mp4`, key: "tasks/flaky/output" })).bytes).toBe(1024 * 1024);
    expect(out.hits.get("/flaky.mp4")).toBe(3);
    expect((await copy({ url: `${out.url}/cut.mp4`, key: "tasks/cut/output" })).bytes).toBe(1024 * 1024);
    expect(out.hits.get("/cut.mp4")).toBe(2);
  });

  it("gives up on a host that keeps failing after a bounded number of tries; a 404 is not retried", async () => {
    await expectCode(copy({ url: `${out.url}/down.mp4`, key: "tasks/down/output" }), "source_unavailable", "provider_unavailable");
    expect(out.hits.get("/down.mp4")).toBe(3);
    await expectCode(copy({ url: `${out.url}/missing.mp4`, key: "tasks/missing/output" }), "source_not_found", "invalid_output");
    expect(out.hits.get("/missing.mp4")).toBe(1);
    await expectCode(copy({ url: "http://127.0.0.1:9/x.mp4", key: "tasks/refused/output" }), "source_unavailable", "provider_unavailable");
  });

  it("copies the mock provider's bundled samples from an app path or the app's own URL, from disk", async () => {
    const size = fs.statSync(path.join(PUBLIC, "demo/video/aurora-landscape-3s.mp4")).size;
    expect(await copy({ url: "/demo/video/aurora-landscape-3s.mp4", key: "tasks/mock/output" })).toEqual({
      key: "tasks/mock/output",
      contentType: "video/mp4",
      bytes: size,
    });
    // The app is not listening at appUrl: the file is read from public/, not fetched.
    expect((await copy({ url: "http://127.0.0.1:9/demo/video/dunes-square-2s.mp4", key: "tasks/mock2/output" })).contentType).toBe("video/mp4");
    expect((await copy({ url: pathToFileURL(path.join(PUBLIC, "demo/video/ocean-portrait-1s.mp4")).toString(), key: "tasks/mock3/output" })).bytes).toBe(
      fs.statSync(path.join(PUBLIC, "demo/video/ocean-portrait-1s.mp4")).size,
    );
  });

  it("never reads files outside the public folder", async () => {
    await expectCode(copy({ url: "/../package.json", key: "tasks/x/output" }), "source_not_found", "invalid_output");
    await expectCode(copy({ url: "/%2e%2e/package.json", key: "tasks/x/output" }), "source_not_found", "invalid_output");
    await expectCode(copy({ url: "file:///etc/passwd", key: "tasks/x/output" }), "invalid_source", "invalid_output");
    await expectCode(copy({ url: "ftp://example.com/x.mp4", key: "tasks/x/output" }), "invalid_source", "invalid_output");
    await expect(copy({ url: `${out.url}/video.mp4`, key: "../escape" })).rejects.toThrow(/invalid storage key/);
  });

  it("sniffs the formats it accepts", () => {
    expect(sniffContentType(mp4Bytes(32))).toBe("video/mp4");
    expect(sniffContentType(Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0, 0, 0, 0]))).toBe("video/webm");
    expect(sniffContentType(PNG_BYTES)).toBe("image/png");
    expect(sniffContentType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe("image/jpeg");
    expect(sniffContentType(Buffer.from("RIFF\0\0\0\0WEBPVP8 "))).toBe("image/webp");
    expect(sniffContentType(Buffer.from("<!doctype html>"))).toBeNull();
    expect(outputKey("0b1c2d3e-aaaa-bbbb-cccc-123456789abc")).toBe("tasks/0b1c2d3e-aaaa-bbbb-cccc-123456789abc/output");
  });
});
