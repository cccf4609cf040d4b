// multipart/form-data bodies for upload tests, built by hand so a test controls every
// byte (the file name, the field name, the framing).
import crypto from "node:crypto";

export interface MultipartBody {
  contentType: string;
  body: Buffer;
}

/** One file part (`field`, default "file") with `bytes`; `filename` is sent as given (path tricks included). */
export function multipartFile(bytes: Buffer, options: { filename?: string; field?: string; type?: string } = {}): MultipartBody {
  const boundary = `----test${crypto.randomBytes(8).toString("hex")}`;
  const filename = options.filename ?? "file.bin";
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${options.field ?? "file"}"; filename="${filename}"\r\n` +
      `Content-Type: ${options.type ?? "application/octet-stream"}\r\n\r\n`,
    "utf8",
  );
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat([head, bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]) };
}

/** The framing that goes before a file's bytes, for streamed uploads that never end. */
export function multipartPrefix(firstBytes: Buffer, filename = "big.png"): { contentType: string; prefix: Buffer } {
  const boundary = `----test${crypto.randomBytes(8).toString("hex")}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: image/png\r\n\r\n`);
  return { contentType: `multipart/form-data; boundary=${boundary}`, prefix: Buffer.concat([head, firstBytes]) };
}

/** A fetch body for a multipart buffer. */
export function webStream(buffer: Buffer): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (let i = 0; i < buffer.length; i += 64 * 1024) controller.enqueue(new Uint8Array(buffer.subarray(i, i + 64 * 1024)));
      controller.close();
    },
  });
}
