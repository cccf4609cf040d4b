// POST/GET /api/uploads on the real `next start` (PGlite by default, PostgreSQL with
// TEST_DATABASE_URL): files streamed into storage, typed by their bytes, capped while they
// arrive, limited per user, and every bad input of the issue.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startOwnServer } from "../support/http-setup";
import { signedInClient, TestClient } from "../support/http-client";
import { multipartFile, multipartPrefix } from "../support/multipart";
import { streamUpload } from "../support/raw-http";

const base = inject("baseUrl");
const storageDir = inject("storageDir");
const PNG = fs.readFileSync("tests/fixtures/image-512x512.png");
const JPEG = fs.readFileSync("tests/fixtures/uploads/photo-96x64.jpg");
const MP3 = fs.readFileSync("tests/fixtures/uploads/tone-61s.mp3");
const MP4 = fs.readFileSync("public/demo/video/ocean-landscape-3s.mp4");

/**
 * A copy of a fixture image with a comment of its own near its start (PNG: a tEXt chunk after
 * IHDR; JPEG: a COM segment after SOI): still a whole image, and neither it nor any prefix of it
 * past the first few dozen bytes is something another test uploads.
 */
function ownCopy(image: Buffer): Buffer {
  const text = Buffer.from(`Comment\0${randomUUID()}`, "latin1");
  if (image[0] === 0xff && image[1] === 0xd8) {
    const com = Buffer.from([0xff, 0xfe, 0, 0]);
    com.writeUInt16BE(text.length + 2, 2);
    return Buffer.concat([image.subarray(0, 2), com, text, image.subarray(2)]);
  }
  const type = Buffer.from("tEXt");
  const length = Buffer.alloc(4);
  length.writeUInt32BE(text.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([type, text])));
  const afterHeader = 8 + 25; // the signature, then IHDR (length, type, 13 bytes, CRC)
  return Buffer.concat([image.subarray(0, afterHeader), length, type, text, crc, image.subarray(afterHeader)]);
}

interface UploadJson {
  id: string;
  kind: string;
  contentType: string;
  bytes: number;
  name: string | null;
  width: number | null;
  height: number | null;
  durationSeconds: number | null;
  expiresAt: string;
  url: string;
}

function upload(client: TestClient, bytes: Buffer, options: { filename?: string; field?: string; type?: string; headers?: Record<string, string> } = {}) {
  const { contentType, body } = multipartFile(bytes, options);
  return client.json<{ upload: UploadJson }>("/api/uploads", {
    method: "POST",
    headers: { "content-type": contentType, ...options.headers },
    body: new Uint8Array(body),
  });
}

/** Every object the local driver holds under uploads/ (and its temporary files). */
function storedUploads(): string[] {
  const dir = path.join(storageDir, "objects", "uploads");
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
}
const tmpFiles = () => (fs.existsSync(path.join(storageDir, "tmp")) ? fs.readdirSync(path.join(storageDir, "tmp")) : []);

/**
 * A refused upload leaves nothing behind. Other test files upload to the same server at the same
 * time, so counting objects is not enough: no object that appeared since `before` may begin like
 * the refused bytes (whole, cut short, or continued), and the temporary folder must empty (a
 * leaked temporary file stays there; another upload's goes when it finishes).
 */
async function expectNothingKept(before: string[], refused: Buffer[]) {
  for (const id of storedUploads().filter((entry) => !before.includes(entry))) {
    let content: Buffer;
    try {
      content = fs.readFileSync(path.join(storageDir, "objects", "uploads", id));
    } catch {
      continue; // removed meanwhile by its own test
    }
    for (const bytes of refused) {
      const n = Math.min(content.length, bytes.length);
      expect(n > 0 && content.subarray(0, n).equals(bytes.subarray(0, n)), `object ${id} holds refused bytes`).toBe(false);
    }
  }
  await expect.poll(tmpFiles, { timeout: 5_000 }).toEqual([]);
}

let alice: TestClient;
let bob: TestClient;

beforeAll(async () => {
  [{ client: alice }, { client: bob }] = await Promise.all([signedInClient(base), signedInClient(base)]);
});

describe("POST /api/uploads", () => {
  it("an image: 201 with its kind, type from the bytes, size and dimensions; stored privately under its id, readable by its signed URL", async () => {
    const res = await upload(alice, PNG, { filename: "holiday.jpg", type: "text/plain" });
    expect(res.status).toBe(201);
    const u = res.body.data.upload;
    expect(u).toMatchObject({ kind: "image", contentType: "image/png", bytes: PNG.length, width: 512, height: 512, durationSeconds: null, name: "holiday.jpg" });
    expect(new Date(u.expiresAt).getTime() - Date.now()).toBeGreaterThan(86_000_000);
    expect(storedUploads()).toContain(u.id);
    const read = await fetch(u.url);
    expect(read.status).toBe(200);
    expect(read.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await read.arrayBuffer()).equals(PNG)).toBe(true);
    // The bytes are not readable without the signature.
    expect((await fetch(u.url.split("?")[0])).status).toBe(403);
  });

  it("audio and video: their duration in seconds, measured from the file", async () => {
    const mp3 = await upload(alice, MP3, { filename: "talk.mp3" });
    expect(mp3.status).toBe(201);
    expect(mp3.body.data.upload).toMatchObject({ kind: "audio", contentType: "audio/mpeg", width: null });
    expect(mp3.body.data.upload.durationSeconds).toBeGreaterThan(61);
    expect(mp3.body.data.upload.durationSeconds).toBeLessThan(62.5);
    const mp4 = await upload(alice, MP4, { filename: "clip.mp4" });
    expect(mp4.status).toBe(201);
    expect(mp4.body.data.upload).toMatchObject({ kind: "video", contentType: "video/mp4", durationSeconds: 3 });
  });

  it("bytes that are not an accepted kind are 415, whatever the name or header says: an executable named .png, HTML as audio, a truncated image", async () => {
    const before = storedUploads();
    const exe = fs.readFileSync(process.execPath).subarray(0, 64 * 1024);
    const refused = [
      [exe, "cat.png", "image/png"],
      [Buffer.from("<!doctype html><html><body><script>alert(1)</script></body></html>"), "song.mp3", "audio/mpeg"],
      [ownCopy(PNG).subarray(0, Math.floor(PNG.length / 2)), "half.png", "image/png"],
      [ownCopy(JPEG).subarray(0, JPEG.length - 300), "half.jpg", "image/jpeg"],
    ] as const;
    for (const [bytes, filename, type] of refused) {
      const res = await upload(alice, bytes, { filename, type });
      expect(res.status, filename).toBe(415);
      expect(res.body).toMatchObject({ code: 415, data: { field: "file" } });
    }
    await expectNothingKept(
      before,
      refused.map(([bytes]) => bytes),
    );
  });

  it("zero bytes, no file, or the file in another field: 400 naming `file`; not multipart: 415", async () => {
    expect((await upload(alice, Buffer.alloc(0))).body).toMatchObject({ code: 400, data: { field: "file" } });
    expect((await upload(alice, PNG, { field: "image" })).body).toMatchObject({ code: 400, data: { field: "file" } });
    const json = await alice.postJson("/api/uploads", { file: "x" });
    expect(json.status).toBe(415);
  });

  it("a file name with path tricks is never part of a storage key; it is kept cleaned, as a label", async () => {
    for (const filename of ["../../../etc/passwd.png", "..\\..\\boot.ini", `a${"\u0000"}b.png`, `${"x".repeat(500)}.png`]) {
      const before = storedUploads();
      const png = ownCopy(PNG);
      const res = await upload(alice, png, { filename });
      // A NUL in the part's header makes the multipart body malformed: refused (400, naming the
      // body), nothing stored.
      if (filename.includes("\u0000") && res.status === 400) {
        expect((res.body.data as unknown as { field?: string } | null)?.field).toMatch(/^(body|file)$/);
        await expectNothingKept(before, [png]);
        continue;
      }
      expect(res.status, filename).toBe(201);
      const u = res.body.data.upload;
      expect(u.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(new URL(u.url).pathname).toBe(`/api/storage/uploads/${u.id}`);
      expect(u.name ?? "").not.toMatch(/[/\\\u0000]/);
      expect((u.name ?? "").length).toBeLessThanOrEqual(200);
    }
    // Nothing was written outside the storage root.
    expect(fs.existsSync(path.join(storageDir, "..", "etc"))).toBe(false);
  });

  it("over the image cap: 413 while the bytes still arrive, the connection cut early, nothing left in storage", async () => {
    const before = storedUploads();
    const head = ownCopy(PNG).subarray(0, 1024);
    const { contentType, prefix } = multipartPrefix(head);
    const res = await streamUpload(base, "/api/uploads", {
      totalBytes: 200 * 1024 * 1024,
      chunked: true,
      prefix,
      headers: { "Content-Type": contentType, Cookie: alice.cookieHeader(), Origin: new URL(base).origin },
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ code: 413, data: { field: "file", kind: "image", limitBytes: 20 * 1024 * 1024 } });
    // Answered after the cap (20 MB) and not much more: far from the 200 MB sent.
    expect(res.bytesSent).toBeLessThan(80 * 1024 * 1024);
    await expectNothingKept(before, [head]);
  });

  it("a declared length over the largest cap: 413 before the body is read", async () => {
    const { contentType, prefix } = multipartPrefix(PNG.subarray(0, 1024));
    const res = await streamUpload(base, "/api/uploads", {
      totalBytes: 600 * 1024 * 1024,
      chunked: false,
      prefix,
      headers: { "Content-Type": contentType, Cookie: alice.cookieHeader(), Origin: new URL(base).origin },
    });
    expect(res.status).toBe(413);
    expect(res.bytesSent).toBeLessThan(40 * 1024 * 1024);
  });

  it("anonymous: 401; cross-origin with the session cookie: 403; nothing stored", async () => {
    const before = storedUploads();
    const png = ownCopy(PNG);
    expect((await upload(new TestClient(base), png)).status).toBe(401);
    const cross = await upload(alice, png, { headers: { origin: "https://evil.example" } });
    expect(cross.status).toBe(403);
    await expectNothingKept(before, [png]);
  });
});

describe("GET /api/uploads and /api/uploads/{id}", () => {
  it("lists the caller's own recent uploads (by kind), shows one with a signed URL; another user's is 403, an unknown one 404", async () => {
    const mine = (await upload(bob, JPEG, { filename: "me.jpg" })).body.data.upload;
    const list = await bob.json<{ uploads: UploadJson[] }>("/api/uploads?kind=image");
    expect(list.body.data.uploads.map((u) => u.id)).toContain(mine.id);
    expect((await alice.json<{ uploads: UploadJson[] }>("/api/uploads")).body.data.uploads.map((u) => u.id)).not.toContain(mine.id);
    const one = await bob.json<{ upload: UploadJson }>(`/api/uploads/${mine.id}`);
    expect(one.body.data.upload).toMatchObject({ id: mine.id, width: 96, height: 64 });
    expect((await alice.json(`/api/uploads/${mine.id}`)).status).toBe(403);
    expect((await bob.json(`/api/uploads/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    expect((await bob.json("/api/uploads?kind=pdf")).body).toMatchObject({ code: 400, data: { field: "kind" } });
  });
});

describe("per-user limits", () => {
  let server: Awaited<ReturnType<typeof startOwnServer>>;
  beforeAll(async () => {
    server = await startOwnServer("uploads-limits", { UPLOAD_RATE_LIMIT_PER_HOUR: "3", UPLOAD_RATE_LIMIT_BYTES_PER_HOUR: String(PNG.length * 2 + 10) });
  }, 120_000);
  afterAll(() => server?.stopAll());

  it("uploads past the hourly count or bytes: 429 with Retry-After; other users are not affected", async () => {
    const { client } = await signedInClient(server.url);
    expect((await upload(client, PNG)).status).toBe(201);
    expect((await upload(client, PNG)).status).toBe(201);
    // Two PNGs are the hour's bytes: the third is refused while it arrives.
    const overBytes = await upload(client, PNG);
    expect(overBytes.status).toBe(429);
    expect(Number(overBytes.headers.get("retry-after"))).toBeGreaterThan(0);
    // The fourth attempt is past the count.
    const overCount = await upload(client, JPEG);
    expect(overCount.status).toBe(429);
    expect(Number(overCount.headers.get("retry-after"))).toBeGreaterThan(3000);
    const { client: other } = await signedInClient(server.url);
    expect((await upload(other, JPEG)).status).toBe(201);
  });
});
