import { PayloadTooLargeError } from "./errors";

/**
 * Request bodies are read only through this module, with a limit per route, so an
 * anonymous client cannot make the server buffer an arbitrary amount of memory:
 * a `Content-Length` over the limit is refused before a byte is read, and a body
 * without one (chunked) is read while streaming and abandoned as soon as it passes
 * the limit. Both answer 413 with the envelope (PayloadTooLargeError).
 */
export const BODY_LIMITS = {
  /** JSON APIs: the largest legitimate body (a 2,000-character prompt) is a few KB. */
  json: 64 * 1024,
  /** next-auth's form posts (credentials, sign-out, OAuth start): a few hundred bytes. */
  authForm: 64 * 1024,
  /**
   * Signed webhooks (Stripe, Replicate). Stripe's events are well under 1 MB (its
   * documented payload ceiling for an event object is far lower); Replicate's
   * prediction webhooks carry the input, output URLs and logs, also well under 1 MB.
   */
  webhook: 1024 * 1024,
  /**
   * POST /api/chat: useChat sends the whole conversation by default (only the newest
   * message is read); the app's own page sends just that one.
   */
  chat: 1024 * 1024,
} as const;

/** The body's bytes, at most `limit` of them; PayloadTooLargeError beyond. */
export async function readBodyBytes(request: Request, limit: number): Promise<Uint8Array> {
  const declared = request.headers.get("content-length");
  if (declared !== null && declared.trim() !== "") {
    const length = Number(declared);
    if (!Number.isFinite(length) || length > limit) {
      if (request.body) discardRest(request.body.getReader());
      throw new PayloadTooLargeError(limit);
    }
  }
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      // Stop buffering: the rest of the upload is never kept.
      discardRest(reader);
      throw new PayloadTooLargeError(limit);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * How much of a refused upload is read and thrown away (in the background, while the
 * 413 goes out) before the connection is cut. Clients such as fetch/undici only read
 * the answer once they have sent their body: draining a moderately oversized body lets
 * them see the 413 instead of a reset; a huge one is cut after this many bytes.
 */
const DISCARD_MAX_BYTES = 8 * 1024 * 1024;

function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>) {
  void (async () => {
    let discarded = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        discarded += value.byteLength;
        if (discarded > DISCARD_MAX_BYTES) {
          await reader.cancel();
          return;
        }
      }
    } catch {
      // the client went away
    }
  })();
}

/** The body as UTF-8 text (invalid sequences become U+FFFD, as `request.text()` does), at most `limit` bytes. */
export async function readBodyText(request: Request, limit: number): Promise<string> {
  return new TextDecoder().decode(await readBodyBytes(request, limit));
}

/**
 * A copy of the request whose body has been read within `limit`, for handlers that
 * read the body themselves (next-auth): they then see a small, already buffered body.
 */
export async function withBoundedBody<R extends Request>(
  request: Request,
  limit: number,
  make: (input: string, init: RequestInit) => R,
): Promise<R> {
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  const body = hasBody ? await readBodyBytes(request, limit) : undefined;
  return make(request.url, { method: request.method, headers: request.headers, body: body as BodyInit | undefined, signal: request.signal });
}
