// The Docker path without a Docker engine: the files the Dockerfile's last stage copies
// (parsed from its COPY --from=build lines) go into a fresh folder outside the repo, and
// `node server.js` runs there, as in the image, on PGlite and on PostgreSQL. The build is
// the http project's own (tests/support/app-server.ts builds with NEXT_OUTPUT=standalone).
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { TEST_DIST_DIR, freePort, waitUntilOk } from "../support/app-server";
import { startSmtp } from "../support/smtp";
import { signedInClient } from "../support/http-client";
import { createPostgresDatabase, testDatabaseUrl } from "../support/test-database";
import { demoVideoFor } from "@/tasks/text-to-video/providers";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** [source in the repo, destination in the image's /app], from the Dockerfile's runner stage. */
function dockerfileCopies(): Array<[string, string]> {
  const text = fs.readFileSync(path.join(ROOT, "Dockerfile"), "utf8");
  const copies: Array<[string, string]> = [];
  for (const m of text.matchAll(/^COPY --from=build (?:--chown=\S+ )?(\S+) (\S+)\s*$/gm)) {
    // The image builds into .next; the test build into its own dist folder.
    const from = m[1].replace(/^\/app\//, "").replace(/^\.next(?=\/|$)/, TEST_DIST_DIR);
    const to = m[2].replace(/^\.\/?/, "").replace(/^\.next(?=\/|$)/, TEST_DIST_DIR);
    copies.push([from, to]);
  }
  return copies;
}

interface Standalone {
  url: string;
  child: ChildProcess;
  output(): string;
}

async function startStandalone(dir: string, env: Record<string, string>): Promise<Standalone> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = "";
  // A clean environment: nothing from the developer's shell or the repo leaks in.
  const child = spawn(process.execPath, ["server.js"], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      HOME: dir,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      APP_URL: url,
      AUTH_SECRET: "standalone-test-secret-standalone-test-secret",
      STORAGE_SIGNING_SECRET: "standalone-test-storage-secret-0123456789",
      TEXT2VIDEO_MOCK_DELAY_MS: "300",
      TASK_SWEEP_INTERVAL_MS: "300",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  await waitUntilOk(child, `${url}/api/health`, () => output, "server.js");
  return { url, child, output: () => output };
}

describe("the standalone server, with exactly the files the Dockerfile copies", () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  function imageFolder(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "standalone-app-"));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    for (const [from, to] of dockerfileCopies()) {
      fs.cpSync(path.join(ROOT, from), path.join(dir, to), { recursive: true });
    }
    return dir;
  }

  it("the Dockerfile copies server.js, static assets, public files and migrations", () => {
    const copies = dockerfileCopies().map(([, to]) => to);
    expect(copies).toEqual(["", `${TEST_DIST_DIR}/static`, "public", "drizzle"]);
    // What the standalone trace must hold for the image (and a Vercel function) to run:
    // PGlite's runtime files (it is a serverExternalPackage) and the migrations the start checks.
    const standalone = path.join(ROOT, TEST_DIST_DIR, "standalone");
    for (const file of ["server.js", "node_modules/@electric-sql/pglite/dist/pglite.wasm", "node_modules/@electric-sql/pglite/dist/pglite.data", "drizzle/meta/_journal.json"]) {
      expect(fs.existsSync(path.join(standalone, file)), file).toBe(true);
    }
  });

  async function serveATask(env: Record<string, string>) {
    const dir = imageFolder();
    // A mail transport, as production needs (confirmation links); signedInClient reads the mail.
    const smtp = await startSmtp();
    cleanups.push(smtp.close);
    const app = await startStandalone(dir, { SMTP_URL: smtp.url, ...env });
    cleanups.push(() => {
      app.child.kill("SIGKILL");
    });
    const health = await (await fetch(`${app.url}/api/health`)).json();
    expect(health.data.status).toBe("ok");

    // Pages render (messages bundled), with their client chunks and public files served.
    const { client } = await signedInClient(app.url);
    const page = await (await client.fetch("/en/tasks/text-to-video")).text();
    expect(page).toContain('data-testid="t2v-balance"');
    const chunk = /\/_next\/static\/[^"]+\.js/.exec(page)?.[0];
    expect(chunk).toBeTruthy();
    expect((await client.fetch(chunk!)).status).toBe(200);
    expect((await client.fetch("/demo/hero.mp4")).status).toBe(200);
    // The API reference's renderer is traced into the image (next.config.ts outputFileTracingIncludes).
    const renderer = await client.fetch("/scalar/standalone.js");
    expect(renderer.status).toBe(200);
    expect(renderer.headers.get("content-type")).toContain("text/javascript");
    expect((await renderer.arrayBuffer()).byteLength).toBeGreaterThan(1_000_000);
    expect((await client.fetch("/api/openapi.json")).status).toBe(200);

    // A task end to end: created through the API, finished by the mock provider.
    const created = await client.postJson("/api/tasks/text-to-video", { prompt: "A lighthouse in a storm", seconds: 2, aspectRatio: "landscape" });
    expect(created.status).toBe(201);
    const uuid = created.body.data.task.uuid as string;
    const deadline = Date.now() + 20_000;
    let task = created.body.data.task;
    while (task.status !== "succeeded" && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      task = (await client.json(`/api/tasks/${uuid}`)).body.data.task;
    }
    expect(task.status).toBe("succeeded");
    // The output was copied into the image's private storage and is served by a signed URL.
    const output = new URL(task.outputUrl as string);
    expect(output.pathname).toBe(`/api/storage/tasks/${uuid}/output`);
    const video = await client.fetch(output.pathname + output.search);
    expect(video.status).toBe(200);
    expect(video.headers.get("content-type")).toBe("video/mp4");
    // The demo clip for this prompt ("lighthouse" names no scene: the prompt's hash picks one), 2 s, 16:9.
    const sample = fs.readFileSync(path.join(dir, `public${demoVideoFor({ prompt: "A lighthouse in a storm", seconds: 2, aspectRatio: "landscape" })}`));
    expect(Buffer.from(await video.arrayBuffer()).equals(sample)).toBe(true);
    return { app, dir };
  }

  it("on PGlite (a data folder inside the image folder)", async () => {
    const { dir } = await serveATask({ PGLITE_DATA_DIR: "data/pglite" });
    expect(fs.existsSync(path.join(dir, "data/pglite"))).toBe(true);
  });

  it.skipIf(!testDatabaseUrl())("on PostgreSQL (migrated at start)", async () => {
    const fresh = await createPostgresDatabase("standalone");
    cleanups.push(fresh.drop);
    await serveATask({ DATABASE_URL: fresh.url });
  });
});
