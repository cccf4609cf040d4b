import http from "node:http";
import { Readable } from "node:stream";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { LocalStorage } from "@/services/storage";

// GET /api/storage/<key> on the real `next start`: the local driver's signed URLs.
const baseUrl = inject("baseUrl");
const store = new LocalStorage({
  root: inject("storageDir"),
  secret: inject("storageSigningSecret"),
  baseUrl,
  ttlSeconds: 3600,
});
const key = "tasks/http-test/out.mp4";
const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7) % 256));

beforeAll(async () => {
  await store.put(key, Readable.from([bytes]), { contentType: "video/mp4" });
});

async function expectRefused(url: string, status: number) {
  const res = await fetch(url);
  expect(res.status, url).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/application\/json/);
  const text = await res.text();
  expect(JSON.parse(text)).toMatchObject({ code: status, message: expect.any(String) });
  expect(text.length).toBeLessThan(300); // an envelope, not the file
}

describe("GET /api/storage/<key>", () => {
  it("a signed URL streams the object with its content type; a Range request gets 206 (seeking)", async () => {
    const url = await store.signedUrl(key);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("video/mp4");
    // next start sends the body chunked (no Content-Length); a 206 carries Content-Range.
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);

    const part = await fetch(url, { headers: { range: "bytes=1000-1999" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe("bytes 1000-1999/4096");
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(1000, 2000))).toBe(true);
  });

  it("an expired, tampered or unsigned URL is 403 with an envelope and no bytes", async () => {
    const good = new URL(await store.signedUrl(key));
    const tampered = new URL(good);
    tampered.searchParams.set("sig", "A".repeat(43));
    const unsigned = new URL(good);
    unsigned.search = "";
    await expectRefused(await store.signedUrl(key, { ttlSeconds: -5 }), 403);
    await expectRefused(tampered.toString(), 403);
    await expectRefused(unsigned.toString(), 403);
  });

  it("a key with .. or an encoded slash is 404 from the route or normalized away by the server: never a file outside the root", async () => {
    const { search } = new URL(await store.signedUrl(key));
    // Encoded slashes reach the route as one segment: a malformed key, refused before any disk access.
    for (const p of [`/api/storage/..%2F..%2Fpackage.json`, `/api/storage/%2Fetc%2Fpasswd`, `/api/storage/tasks%2F..%2F..%2Fpackage.json`]) {
      const res = await rawGet(p + search);
      expect(res.status, p).toBe(404);
      expect(JSON.parse(res.body)).toMatchObject({ code: 404 });
    }
    // Dot segments are resolved by the server before routing, so they never reach the route at all.
    for (const p of [`/api/storage/tasks/%2e%2e/%2e%2e/%2e%2e/package.json`, `/api/storage/tasks/../../../package.json`]) {
      const res = await rawGet(p + search);
      expect(res.status, p).not.toBe(200);
      expect(res.body).not.toContain("credits-ai-starter");
    }
  });

  it("a signed URL for a key with no object is 404", async () => {
    await expectRefused(await store.signedUrl("tasks/nobody/out.mp4"), 404);
  });
});

/** A GET with the path sent exactly as written (fetch would normalize it). */
function rawGet(pathAndQuery: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    http
      .get({ host: hostname, port, path: pathAndQuery }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (d) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on("error", reject);
  });
}
