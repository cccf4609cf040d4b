/**
 * Storage benchmark: copyOutputToStorage streams a generated 200 MB "video"
 * (BENCH_STORAGE_MB) from a local HTTP server (a child process, so its memory
 * is not counted) into the local storage driver. Reported: the copying
 * process's peak RSS growth during the copy (goal: under 64 MB, i.e. the file
 * is never buffered whole) and throughput as a ratio of a plain file copy
 * (stream pipeline, file to file) of the same bytes in the same run, median
 * of three alternating rounds each.
 *
 * Run alone: npx tsx bench/storage.ts
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { LocalStorage } from "@/services/storage";
import { copyOutputToStorage } from "@/services/storage/copy";
import { measured, median, printTable, runIfMain } from "./stats";

const GOAL_RSS_MB = 64;
const ROUNDS = 3;

// A file server in its own process: GET / streams the file.
const SERVER = `
const http = require("node:http"), fs = require("node:fs");
const file = process.argv[1], size = fs.statSync(file).size;
const srv = http.createServer((req, res) => {
  // /small: the first 64 KiB, to warm up without growing the heap.
  const length = req.url === "/small" ? 65536 : size;
  res.writeHead(200, { "content-type": "video/mp4", "content-length": length });
  fs.createReadStream(file, { end: length - 1 }).pipe(res);
});
srv.listen(0, "127.0.0.1", () => console.log(srv.address().port));
`;

function writeSource(file: string, bytes: number) {
  const chunk = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 131) % 251;
  Buffer.from([0, 0, 0, 0x20, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d]).copy(chunk);
  const fd = fs.openSync(file, "w");
  for (let written = 0; written < bytes; written += chunk.length) fs.writeSync(fd, chunk, 0, Math.min(chunk.length, bytes - written));
  fs.closeSync(fd);
}

export async function runStorageBench() {
  const mb = Number(process.env.BENCH_STORAGE_MB ?? 200);
  const bytes = mb * 1024 * 1024;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-storage-"));
  const source = path.join(dir, "source.mp4");
  writeSource(source, bytes);
  const child = spawn(process.execPath, ["-e", SERVER, source], { stdio: ["ignore", "pipe", "inherit"] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout!.once("data", (d) => resolve(Number(String(d).trim())));
      child.once("exit", (code) => reject(new Error(`file server exited ${code}`)));
    });
    const store = new LocalStorage({ root: path.join(dir, "storage"), secret: "bench", baseUrl: "http://127.0.0.1", ttlSeconds: 60 });
    // Warm up (module loading, first connection) on a small object.
    await copyOutputToStorage({ url: `http://127.0.0.1:${port}/small`, key: "warm/up", kind: "video", storage: store, maxBytes: bytes + 1 });
    await store.delete("warm/up");

    // Alternating rounds; the machine is shared, so the median time of each is compared.
    // RSS growth is the largest seen (the first, cold copy is the honest one).
    const copies: Array<{ seconds: number; rssGrowthMb: number }> = [];
    const plains: Array<{ seconds: number; rssGrowthMb: number }> = [];
    for (let round = 0; round < ROUNDS; round++) {
      copies.push(
        await measured(() =>
          copyOutputToStorage({ url: `http://127.0.0.1:${port}/`, key: "bench/output", kind: "video", storage: store, maxBytes: bytes + 1 }),
        ),
      );
      const stored = await store.head("bench/output");
      if (stored?.bytes !== bytes) throw new Error(`stored ${stored?.bytes} bytes, expected ${bytes}`);
      plains.push(await measured(() => pipeline(fs.createReadStream(source), fs.createWriteStream(path.join(dir, "plain.mp4")))));
    }
    const summary = (runs: typeof copies) => ({
      seconds: median(runs.map((r) => r.seconds)),
      rssGrowthMb: Math.max(...runs.map((r) => r.rssGrowthMb)),
    });
    const copy = summary(copies);
    const plain = summary(plains);
    const rate = (s: number) => (mb / s).toFixed(0);
    printTable(
      `Output copy into storage (${mb} MB, local driver, source on a local HTTP server; median of ${ROUNDS} rounds)`,
      ["copy", "seconds", "MB/s", "x plain copy", "peak RSS growth MB"],
      [
        ["plain file copy (baseline)", plain.seconds.toFixed(2), rate(plain.seconds), "1.00", plain.rssGrowthMb.toFixed(1)],
        ["copyOutputToStorage", copy.seconds.toFixed(2), rate(copy.seconds), (plain.seconds / copy.seconds).toFixed(2), copy.rssGrowthMb.toFixed(1)],
      ],
    );
    console.log(
      `goal: peak RSS growth ${copy.rssGrowthMb.toFixed(1)} MB (< ${GOAL_RSS_MB} MB): ${copy.rssGrowthMb < GOAL_RSS_MB ? "met" : "NOT met"}`,
    );
  } finally {
    child.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

runIfMain(import.meta.url, runStorageBench);
