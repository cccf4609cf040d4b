// A local HTTP server standing in for a provider's output delivery host:
// routes serve good, oversize, wrong-type and failing outputs (see below).
import http from "node:http";
import type { AddressInfo } from "node:net";

/** `size` bytes that start like an MP4 file (an ftyp box), the rest a cheap pattern. */
export function mp4Bytes(size: number): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = (i * 31) % 251;
  Buffer.from([0, 0, 0, 0x20, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d]).copy(b);
  return b;
}

export const PNG_BYTES = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(500, 7)]);

export interface OutputServer {
  url: string;
  /** Requests per path so far. */
  hits: Map<string, number>;
  /** Bytes the server managed to write per path (shows a download was cut short). */
  sent: Map<string, number>;
  close(): Promise<void>;
}

/**
 * Routes:
 *   /video.mp4            1 MiB MP4, video/mp4
 *   /video-octet          the same, application/octet-stream
 *   /image.png            a PNG
 *   /page.html            text/html (a provider error page)
 *   /html-as-mp4          HTML bytes labelled video/mp4
 *   /declared-huge        Content-Length of 10 GiB
 *   /endless.mp4          an MP4 header then 64 KiB chunks until the client goes away, no length
 *   /flaky.mp4            503 twice, then the video
 *   /cut.mp4              the first response dies half-way, then the video
 *   /down.mp4             always 500
 *   /missing.mp4          404
 *   /stream?bytes=N       N generated MP4 bytes, streamed in 64 KiB chunks (benchmark)
 */
export async function startOutputServer(): Promise<OutputServer> {
  const hits = new Map<string, number>();
  const sent = new Map<string, number>();
  const video = mp4Bytes(1024 * 1024);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const p = url.pathname;
    const n = (hits.get(p) ?? 0) + 1;
    hits.set(p, n);
    const count = (bytes: number) => sent.set(p, (sent.get(p) ?? 0) + bytes);
    const send = (status: number, type: string, body: Buffer) => {
      res.writeHead(status, { "content-type": type, "content-length": body.length });
      res.end(body);
      count(body.length);
    };
    const streamChunks = (first: Buffer, total: number) => {
      let written = 0;
      const chunk = Buffer.alloc(64 * 1024, 1);
      const pump = () => {
        while (written < total) {
          const piece = written === 0 ? first : chunk.subarray(0, Math.min(chunk.length, total - written));
          written += piece.length;
          count(piece.length);
          if (!res.write(piece)) return void res.once("drain", pump);
        }
        res.end();
      };
      res.on("close", () => (written = total));
      pump();
    };
    switch (p) {
      case "/video.mp4":
        return send(200, "video/mp4", video);
      case "/video-octet":
        return send(200, "application/octet-stream", video);
      case "/image.png":
        return send(200, "image/png", PNG_BYTES);
      case "/page.html":
        return send(200, "text/html; charset=utf-8", Buffer.from("<!doctype html><h1>Rate limited</h1>"));
      case "/html-as-mp4":
        return send(200, "video/mp4", Buffer.from("<!DOCTYPE html><html><body>not a video</body></html>"));
      case "/declared-huge":
        res.writeHead(200, { "content-type": "video/mp4", "content-length": String(10 * 2 ** 30) });
        res.write(video.subarray(0, 1024));
        return;
      case "/endless.mp4":
        res.writeHead(200, { "content-type": "video/mp4" });
        return streamChunks(video.subarray(0, 64 * 1024), Number.MAX_SAFE_INTEGER);
      case "/flaky.mp4":
        return n <= 2 ? send(503, "application/json", Buffer.from('{"detail":"busy"}')) : send(200, "video/mp4", video);
      case "/cut.mp4":
        if (n === 1) {
          res.writeHead(200, { "content-type": "video/mp4", "content-length": video.length });
          res.write(video.subarray(0, video.length / 2));
          count(video.length / 2);
          setTimeout(() => res.destroy(), 20);
          return;
        }
        return send(200, "video/mp4", video);
      case "/down.mp4":
        return send(500, "text/plain", Buffer.from("oops"));
      case "/stream": {
        const total = Number(url.searchParams.get("bytes") ?? 0);
        res.writeHead(200, { "content-type": "video/mp4", "content-length": total });
        return streamChunks(mp4Bytes(64 * 1024), total);
      }
      default:
        return send(404, "application/json", Buffer.from('{"detail":"not found"}'));
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    sent,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
