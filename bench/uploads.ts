/**
 * Upload benchmark: a 200 MB recording (BENCH_UPLOAD_MB; a WAV, so it is typed and measured
 * like any upload) sent as multipart/form-data over HTTP to a server in this process that
 * answers POST with receiveUpload (busboy → the type sniffed from the bytes → caps and quota
 * while it arrives → the local storage driver → its duration measured), exactly as the route
 * does. The client is a child process (its memory is not counted). Reported: this process's
 * peak RSS growth during an upload (goal ≤ 64 MB: the file is never held whole) and the
 * throughput as a ratio of a plain file copy (stream pipeline, file to file) of the same bytes
 * in the same run, median of three alternating rounds each, like bench/storage.ts.
 * On PostgreSQL (BENCH_DATABASE_URL or TEST_DATABASE_URL) when given, else in-memory PGlite.
 *
 * Run alone: npx tsx bench/uploads.ts
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { openPglite, openPostgres, setDatabase, type Database } from "@/db";
import { users } from "@/db/schema";
import { env } from "@/lib/env";
import { LocalStorage } from "@/services/storage";
import { receiveUpload } from "@/services/uploads";
import { createPostgresDatabase } from "../tests/support/test-database";
import { measured, median, printTable, runIfMain } from "./stats";

const GOAL_RSS_MB = 64;
const ROUNDS = 3;

/** A mono 16-bit 48 kHz WAV of `bytes` in all (header + PCM), a few frequencies so it is not all zeros. */
function writeWav(file: string, bytes: number) {
  const dataBytes = bytes - 44;
  const header = Buffer.alloc(44);
  header.write("RIFF", 0, "latin1");
  header.writeUInt32LE(bytes - 8, 4);
  header.write("WAVEfmt ", 8, "latin1");
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(48_000, 24);
  header.writeUInt32LE(96_000, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write("data", 36, "latin1");
  header.writeUInt32LE(dataBytes, 40);
  const chunk = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < chunk.length / 2; i++) chunk.writeInt16LE(Math.round(8000 * Math.sin(i / 7) + 3000 * Math.sin(i / 31)), i * 2);
  const fd = fs.openSync(file, "w");
  fs.writeSync(fd, header);
  for (let written = 0; written < dataBytes; written += chunk.length) fs.writeSync(fd, chunk, 0, Math.min(chunk.length, dataBytes - written));
  fs.closeSync(fd);
}

// The client, in its own process: streams the file as one multipart part, prints the status.
const CLIENT = `
const http = require("node:http"), fs = require("node:fs");
const [port, file] = process.argv.slice(1);
const boundary = "----bench" + Date.now();
const head = Buffer.from("--" + boundary + "\\r\\nContent-Disposition: form-data; name=\\"file\\"; filename=\\"bench.wav\\"\\r\\nContent-Type: audio/wav\\r\\n\\r\\n");
const tail = Buffer.from("\\r\\n--" + boundary + "--\\r\\n");
const size = fs.statSync(file).size;
const req = http.request({ host: "127.0.0.1", port: Number(port), method: "POST", path: "/",
  headers: { "content-type": "multipart/form-data; boundary=" + boundary, "content-length": head.length + size + tail.length } },
  (res) => { let body = ""; res.on("data", (c) => body += c); res.on("end", () => { console.log(res.statusCode + " " + body); }); });
req.write(head);
const stream = fs.createReadStream(file, { highWaterMark: 256 * 1024 });
stream.pipe(req, { end: false });
stream.on("end", () => req.end(tail));
`;

function sendFromChild(port: number, file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", CLIENT, String(port), file], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout!.on("data", (d) => (out += d));
    child.on("exit", (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`upload client exited ${code}`))));
  });
}

export async function runUploadBench() {
  const mb = Number(process.env.BENCH_UPLOAD_MB ?? 200);
  const bytes = mb * 1024 * 1024;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-uploads-"));
  const source = path.join(dir, "source.wav");
  writeWav(source, bytes);

  const adminUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
  let database: Database;
  let drop = async () => {};
  if (adminUrl) {
    process.env.TEST_DATABASE_URL = adminUrl;
    const fresh = await createPostgresDatabase("bench_uploads");
    database = openPostgres(fresh.url, { max: 4 });
    drop = fresh.drop;
  } else {
    database = openPglite();
  }
  const store = new LocalStorage({ root: path.join(dir, "storage"), secret: "bench", baseUrl: "http://127.0.0.1", ttlSeconds: 60 });
  // The audio cap raised above the file; every other rule as configured.
  const e = { ...env(), UPLOAD_MAX_AUDIO_BYTES: bytes + 1024 * 1024, UPLOAD_RATE_LIMIT_BYTES_PER_HOUR: 100 * bytes };
  let server: http.Server | undefined;
  try {
    await database.migrate();
    setDatabase(database);
    const [user] = await database.db.insert(users).values({ email: `bench-uploads-${Date.now()}@example.com` }).returning({ id: users.id });
    const stored: string[] = [];
    server = http.createServer((req, res) => {
      receiveUpload(
        {
          userUuid: user.id,
          contentType: req.headers["content-type"] ?? null,
          contentLength: Number(req.headers["content-length"] ?? "") || null,
          body: Readable.toWeb(req) as ReadableStream<Uint8Array>,
        },
        { db: database.db, storage: store, env: e },
      ).then(
        (upload) => {
          stored.push(upload.id);
          res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ id: upload.id, bytes: upload.bytes, durationSeconds: upload.durationSeconds }));
        },
        (error: Error & { status?: number }) => res.writeHead(error.status ?? 500).end(error.message),
      );
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;

    // Warm up (module loading, the first connection, the first query) on a small file.
    const warm = path.join(dir, "warm.wav");
    writeWav(warm, 256 * 1024);
    const warmAnswer = await sendFromChild(port, warm);
    if (!warmAnswer.startsWith("201")) throw new Error(`warm-up upload: ${warmAnswer}`);

    const uploads: Array<{ seconds: number; rssGrowthMb: number }> = [];
    const plains: Array<{ seconds: number; rssGrowthMb: number }> = [];
    for (let round = 0; round < ROUNDS; round++) {
      let answer = "";
      uploads.push(await measured(async () => (answer = await sendFromChild(port, source))));
      if (!answer.startsWith("201")) throw new Error(`upload answered ${answer}`);
      const { id, bytes: storedBytes } = JSON.parse(answer.slice(4)) as { id: string; bytes: number };
      if (storedBytes !== bytes || (await store.head(`uploads/${id}`))?.bytes !== bytes) throw new Error(`stored ${storedBytes} bytes, expected ${bytes}`);
      await store.delete(`uploads/${id}`);
      plains.push(await measured(() => pipeline(fs.createReadStream(source), fs.createWriteStream(path.join(dir, "plain.wav")))));
    }
    const summary = (runs: typeof uploads) => ({
      seconds: median(runs.map((r) => r.seconds)),
      rssGrowthMb: Math.max(...runs.map((r) => r.rssGrowthMb)),
    });
    const upload = summary(uploads);
    const plain = summary(plains);
    const rate = (s: number) => (mb / s).toFixed(0);
    printTable(
      `Upload (${mb} MB WAV, POST multipart over local HTTP into the local driver, ${database.kind}; median of ${ROUNDS} rounds)`,
      ["copy", "seconds", "MB/s", "x plain copy", "peak RSS growth MB"],
      [
        ["plain file copy (baseline)", plain.seconds.toFixed(2), rate(plain.seconds), "1.00", plain.rssGrowthMb.toFixed(1)],
        ["receiveUpload (server side)", upload.seconds.toFixed(2), rate(upload.seconds), (plain.seconds / upload.seconds).toFixed(2), upload.rssGrowthMb.toFixed(1)],
      ],
    );
    console.log(`goal: peak RSS growth ${upload.rssGrowthMb.toFixed(1)} MB (≤ ${GOAL_RSS_MB} MB): ${upload.rssGrowthMb <= GOAL_RSS_MB ? "met" : "NOT met"}`);
  } finally {
    server?.close();
    setDatabase(undefined);
    await database.close();
    await drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

runIfMain(import.meta.url, runUploadBench);
