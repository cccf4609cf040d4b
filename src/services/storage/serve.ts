import { Readable } from "node:stream";
import { fail } from "@/lib/http/api";
import { isValidKey } from "./keys";
import { LocalStorage } from "./local";
import type { StorageDriver } from "./types";

export type ByteRange = { start: number; end: number };

/**
 * Parses a Range header against an object of `size` bytes (RFC 9110, one range):
 * null = serve the whole object (no header, or one we do not honour, e.g. several
 * ranges); "unsatisfiable" = answer 416.
 */
export function parseRange(header: string | null, size: number): ByteRange | "unsatisfiable" | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return null;
  if (m[1] === "") {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return "unsatisfiable";
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || (m[2] !== "" && Number(m[2]) < start)) return "unsatisfiable";
  return { start, end };
}

/**
 * GET /api/storage/<key>?exp=&sig= for the local driver: 404 for a malformed
 * key (checked before anything touches the disk) or a missing object, 403 for a
 * missing, wrong or expired signature; otherwise the bytes with their content
 * type, honouring a single Range (206) so video can seek.
 */
export async function serveLocalObject(request: Request, segments: string[], driver: StorageDriver): Promise<Response> {
  const key = segments.join("/");
  if (!(driver instanceof LocalStorage) || !isValidKey(key)) return fail(404, "not found");
  const params = new URL(request.url).searchParams;
  const check = driver.verify(key, params.get("exp"), params.get("sig"));
  if (check !== "ok") return fail(403, check === "expired" ? "link expired" : "invalid signature", { reason: check });
  const object = await driver.head(key);
  if (!object) return fail(404, "not found");

  const headers = new Headers({
    "content-type": object.contentType,
    "accept-ranges": "bytes",
    // Private, and never cached past the link's own expiry: the URL is the credential.
    "cache-control": `private, max-age=${Math.max(0, Math.min(300, Number(params.get("exp")) - Math.floor(Date.now() / 1000)))}`,
    "x-content-type-options": "nosniff",
    "content-disposition": "inline",
  });
  const range = parseRange(request.headers.get("range"), object.bytes);
  if (range === "unsatisfiable") {
    headers.set("content-range", `bytes */${object.bytes}`);
    return new Response(null, { status: 416, headers });
  }
  const head = request.method === "HEAD";
  const body = (r?: ByteRange) =>
    head ? null : (Readable.toWeb(driver.createReadStream(key, r)) as unknown as ReadableStream<Uint8Array>);
  if (range) {
    headers.set("content-range", `bytes ${range.start}-${range.end}/${object.bytes}`);
    headers.set("content-length", String(range.end - range.start + 1));
    return new Response(body(range), { status: 206, headers });
  }
  headers.set("content-length", String(object.bytes));
  return new Response(body(), { status: 200, headers });
}
