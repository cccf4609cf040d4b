// Low-level HTTP helpers for security tests: huge streamed uploads that never sit in
// the test's own memory, requests with bytes `fetch` refuses to send, and the
// resident memory of a server process tree.
import fs from "node:fs";
import http from "node:http";
import net from "node:net";

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * POSTs `totalBytes` of filler, written in 64 KB pieces with backpressure, either with
 * a Content-Length or chunked. Resolves with the response as soon as the server
 * answers (the rest of the upload is abandoned), or rejects if the server hangs up
 * without answering.
 */
export function streamUpload(
  baseUrl: string,
  path: string,
  options: { totalBytes: number; chunked: boolean; headers?: Record<string, string>; prefix?: Buffer },
): Promise<RawResponse & { bytesSent: number }> {
  // A raw socket, not http.request: a server that answers and hangs up mid-upload makes
  // Node's client report EPIPE instead of the answer it did receive.
  const url = new URL(path, baseUrl);
  const piece = Buffer.alloc(64 * 1024, "a");
  const chunkHeader = Buffer.from(`${piece.length.toString(16)}\r\n`);
  const crlf = Buffer.from("\r\n");
  return new Promise((resolve, reject) => {
    let bytesSent = 0;
    let received = Buffer.alloc(0);
    let done = false;
    const socket = net.connect(Number(url.port), url.hostname);
    const finish = () => {
      if (done) return;
      const text = received.toString("utf8");
      const split = text.indexOf("\r\n\r\n");
      if (split < 0) return;
      const lines = text.slice(0, split).split("\r\n");
      const headers: http.IncomingHttpHeaders = {};
      for (const line of lines.slice(1)) {
        const i = line.indexOf(":");
        headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      let body = text.slice(split + 4);
      if (/chunked/i.test(String(headers["transfer-encoding"] ?? ""))) {
        if (!body.includes("\r\n0\r\n") && !body.startsWith("0\r\n")) return; // not complete yet
        body = dechunk(body);
      } else if (headers["content-length"] !== undefined && Buffer.byteLength(body) < Number(headers["content-length"])) {
        return;
      }
      done = true;
      socket.destroy();
      resolve({ status: Number(lines[0].split(" ")[1]), headers, body, bytesSent });
    };
    socket.on("data", (d) => {
      received = Buffer.concat([received, d]);
      finish();
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      finish();
      if (!done) reject(new Error(`${path}: connection closed without an answer after ${bytesSent} bytes`));
    });
    const ownType = Object.keys(options.headers ?? {}).some((k) => k.toLowerCase() === "content-type");
    const head = [
      `POST ${url.pathname}${url.search} HTTP/1.1`,
      `Host: ${url.host}`,
      ...(ownType ? [] : ["Content-Type: application/json"]),
      ...Object.entries(options.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
      options.chunked ? "Transfer-Encoding: chunked" : `Content-Length: ${options.totalBytes}`,
      "",
      "",
    ].join("\r\n");
    socket.write(head);
    // The first bytes of the body (e.g. multipart framing and a file's header), then filler.
    if (options.prefix) {
      const p = options.prefix;
      socket.write(options.chunked ? Buffer.concat([Buffer.from(`${p.length.toString(16)}\r\n`), p, crlf]) : p);
      bytesSent += p.length;
    }
    const pump = () => {
      while (!done && !socket.destroyed && bytesSent < options.totalBytes) {
        const n = Math.min(piece.length, options.totalBytes - bytesSent);
        bytesSent += n;
        const data = n === piece.length ? piece : piece.subarray(0, n);
        let ok: boolean;
        if (options.chunked) {
          socket.write(n === piece.length ? chunkHeader : `${n.toString(16)}\r\n`);
          socket.write(data);
          ok = socket.write(crlf);
        } else {
          ok = socket.write(data);
        }
        if (!ok) {
          socket.once("drain", pump);
          return;
        }
      }
      if (!done && !socket.destroyed && options.chunked && bytesSent >= options.totalBytes) socket.write("0\r\n\r\n");
    };
    pump();
  });
}

/** Sends a request line and headers as given (no client-side validation), resolves with the parsed answer. */
export function rawRequest(baseUrl: string, head: string, body = ""): Promise<RawResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname);
    let data = Buffer.alloc(0);
    socket.on("data", (d) => (data = Buffer.concat([data, d])));
    socket.on("error", reject);
    socket.on("close", () => {
      const text = data.toString("utf8");
      const split = text.indexOf("\r\n\r\n");
      const lines = text.slice(0, split).split("\r\n");
      const status = Number(lines[0]?.split(" ")[1] ?? 0);
      const headers: http.IncomingHttpHeaders = {};
      for (const line of lines.slice(1)) {
        const i = line.indexOf(":");
        headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      let rest = text.slice(split + 4);
      if (/chunked/i.test(String(headers["transfer-encoding"] ?? ""))) rest = dechunk(rest);
      resolve({ status, headers, body: rest });
    });
    socket.write(`${head.replace(/\r?\n/g, "\r\n").trimEnd()}\r\nHost: ${url.host}\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  });
}

function dechunk(text: string): string {
  let out = "";
  let rest = text;
  for (;;) {
    const i = rest.indexOf("\r\n");
    if (i < 0) return out;
    const size = parseInt(rest.slice(0, i), 16);
    if (!size) return out;
    out += rest.slice(i + 2, i + 2 + size);
    rest = rest.slice(i + 2 + size + 2);
  }
}

/** The process and all its descendants (`next start` may run the server in a child). */
export function processTree(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // exited meanwhile
    }
  }
  const out: number[] = [];
  const visit = (pid: number) => {
    out.push(pid);
    for (const c of children.get(pid) ?? []) visit(c);
  };
  visit(rootPid);
  return out;
}

/** Resident memory (VmRSS, bytes) summed over a process tree. */
export function treeRssBytes(rootPid: number): number {
  let total = 0;
  for (const pid of processTree(rootPid)) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
      if (m) total += Number(m[1]) * 1024;
    } catch {
      // exited meanwhile
    }
  }
  return total;
}
