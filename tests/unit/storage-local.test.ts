import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isValidKey, LocalStorage } from "@/services/storage";
import { parseRange, serveLocalObject } from "@/services/storage/serve";

// The local driver on a real temporary folder, and the route logic that serves it.
let dir: string;
let store: LocalStorage;
const SECRET = "unit-test-storage-secret";

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "storage-local-"));
  store = new LocalStorage({ root: path.join(dir, "root"), secret: SECRET, baseUrl: "http://app.test", ttlSeconds: 3600 });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const get = (url: string, headers: Record<string, string> = {}) => {
  const u = new URL(url);
  const segments = u.pathname.replace(/^\/api\/storage\//, "").split("/").map(decodeURIComponent);
  return serveLocalObject(new Request(url, { headers }), segments, store);
};

describe("object keys", () => {
  it("accepts plain relative paths and refuses traversal, absolute paths and odd characters", () => {
    expect(isValidKey("tasks/abc-123/output.mp4")).toBe(true);
    for (const bad of ["", "/etc/passwd", "../x", "a/../../x", "a/./b", "a//b", "a\\b", "..", "a/..", "C:/x", "a b", "é", "a/"]) {
      expect(isValidKey(bad), bad).toBe(false);
    }
  });
});

describe("local driver", () => {
  it("stores a stream, reports its type and size, and deletes it", async () => {
    const obj = await store.put("tasks/t1/out.mp4", Readable.from([Buffer.from("hello "), Buffer.from("world")]), {
      contentType: "video/mp4",
    });
    expect(obj).toEqual({ key: "tasks/t1/out.mp4", contentType: "video/mp4", bytes: 11 });
    expect(await store.head("tasks/t1/out.mp4")).toEqual(obj);
    await store.delete("tasks/t1/out.mp4");
    expect(await store.head("tasks/t1/out.mp4")).toBeNull();
    await store.delete("tasks/t1/out.mp4"); // missing is fine
  });

  it("a failing source leaves no object and no temporary file", async () => {
    const failing = new Readable({
      read() {
        this.push(Buffer.alloc(1024));
        this.destroy(new Error("source broke"));
      },
    });
    await expect(store.put("tasks/t2/out.mp4", failing, { contentType: "video/mp4" })).rejects.toThrow(/source broke/);
    expect(await store.head("tasks/t2/out.mp4")).toBeNull();
    expect(fs.readdirSync(path.join(dir, "root/tmp"))).toEqual([]);
  });

  it("refuses to write or sign a key outside the root", async () => {
    await expect(store.put("../escape.txt", Readable.from([Buffer.from("x")]), { contentType: "text/plain" })).rejects.toThrow(
      /invalid storage key/,
    );
    await expect(store.signedUrl("/etc/passwd")).rejects.toThrow(/invalid storage key/);
    expect(fs.existsSync(path.join(dir, "escape.txt"))).toBe(false);
  });
});

describe("signed read URLs", () => {
  const key = "tasks/t3/out.mp4";
  const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256));
  beforeAll(async () => {
    await store.put(key, Readable.from([bytes]), { contentType: "video/mp4" });
  });

  it("a fresh URL reads the bytes with their content type", async () => {
    const url = await store.signedUrl(key);
    expect(url).toMatch(/^http:\/\/app\.test\/api\/storage\/tasks\/t3\/out\.mp4\?exp=\d+&sig=/);
    const res = await get(url);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("video/mp4");
    expect(res.headers.get("accept-ranges")).toBe("bytes");
    expect(res.headers.get("cache-control")).toBe("private, max-age=300");
    const shortLived = await get(await store.signedUrl(key, { ttlSeconds: 20 }));
    expect(shortLived.headers.get("cache-control")).toMatch(/^private, max-age=(19|20)$/);
    await shortLived.arrayBuffer();
    expect(Buffer.from(await res.arrayBuffer())).toEqual(bytes);
  });

  it("answers a Range request with 206 and just those bytes (video seeking)", async () => {
    const url = await store.signedUrl(key);
    const res = await get(url, { range: "bytes=100-199" });
    expect(res.status).toBe(206);
    expect(res.headers.get("content-range")).toBe("bytes 100-199/1000");
    expect(Buffer.from(await res.arrayBuffer())).toEqual(bytes.subarray(100, 200));
    const tail = await get(url, { range: "bytes=-10" });
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(bytes.subarray(990));
    const beyond = await get(url, { range: "bytes=5000-" });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get("content-range")).toBe("bytes */1000");
  });

  it("an expired, tampered or unsigned URL is 403 with an envelope and no bytes", async () => {
    const expired = await store.signedUrl(key, { ttlSeconds: -1 });
    const good = new URL(await store.signedUrl(key));
    const tamperedSig = new URL(good);
    tamperedSig.searchParams.set("sig", good.searchParams.get("sig")!.replace(/^./, (c) => (c === "A" ? "B" : "A")));
    const longerLife = new URL(good);
    longerLife.searchParams.set("exp", String(Number(good.searchParams.get("exp")) + 10_000));
    const otherKey = new URL(good);
    otherKey.pathname = "/api/storage/tasks/t1/out.mp4";
    const unsigned = new URL(good);
    unsigned.search = "";
    for (const [name, url, reason] of [
      ["expired", expired, "expired"],
      ["tampered signature", tamperedSig.toString(), "invalid"],
      ["extended expiry", longerLife.toString(), "invalid"],
      ["signature of another key", otherKey.toString(), "invalid"],
      ["no signature", unsigned.toString(), "missing"],
    ] as const) {
      const res = await get(url);
      expect(res.status, name).toBe(403);
      expect(res.headers.get("content-type")).toMatch(/application\/json/);
      const body = await res.json();
      expect(body, name).toMatchObject({ code: 403, data: { reason } });
    }
  });

  it("a traversal key is 404 without reading the disk, even when signed with the real secret", async () => {
    fs.writeFileSync(path.join(dir, "secret.txt"), "top secret");
    const res = await serveLocalObject(new Request("http://app.test/x"), ["..", "..", "secret.txt"], store);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain("top secret");
    const abs = await serveLocalObject(new Request("http://app.test/x"), ["", "etc", "passwd"], store);
    expect(abs.status).toBe(404);
  });

  it("a valid signature for an object that does not exist is 404", async () => {
    const url = await store.signedUrl("tasks/none/out.mp4");
    expect((await get(url)).status).toBe(404);
  });
});

describe("parseRange", () => {
  it("handles the single-range forms and ignores what it does not honour", () => {
    expect(parseRange(null, 10)).toBeNull();
    expect(parseRange("bytes=0-", 10)).toEqual({ start: 0, end: 9 });
    expect(parseRange("bytes=2-100", 10)).toEqual({ start: 2, end: 9 });
    expect(parseRange("bytes=-3", 10)).toEqual({ start: 7, end: 9 });
    expect(parseRange("bytes=0-1,4-5", 10)).toBeNull();
    expect(parseRange("items=0-1", 10)).toBeNull();
    expect(parseRange("bytes=5-2", 10)).toBe("unsatisfiable");
    expect(parseRange("bytes=10-", 10)).toBe("unsatisfiable");
  });
});
