// The three file-input task types over HTTP on the real `next start` (PGlite, or PostgreSQL with
// TEST_DATABASE_URL): POST /api/uploads, POST /api/tasks/<slug>, GET /api/tasks/<uuid> until it
// is done, the output read through its signed URL. On the shared server with the mocks; on a
// server of this file's own with every type on the shared fake provider (Replicate for
// image-upscale and image-to-video, fal.ai for speech-to-text), which fetches the signed input
// URL from the app (local storage driver, APP_URL = the server) and must get the upload's bytes.
import fs from "node:fs";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { WELCOME_CREDITS } from "@/data/credits";
import { REPLICATE_IMAGE2VIDEO_MODEL } from "@/tasks/image-to-video/providers";
import { REPLICATE_UPSCALE_MODEL } from "@/tasks/image-upscale/providers";
import { startFakeProvider, type FakeProvider } from "../support/fake-provider";
import { startOwnServer } from "../support/http-setup";
import { signedInClient, waitForTask, type TestClient } from "../support/http-client";
import { multipartFile } from "../support/multipart";

const base = inject("baseUrl");
const MP3_30 = fs.readFileSync("tests/fixtures/uploads/tone-30s.mp3");
const MP3_61 = fs.readFileSync("tests/fixtures/uploads/tone-61s.mp3");
let PHOTO: Buffer;

interface TaskJson {
  uuid: string;
  status: string;
  creditsUsed: number;
  outputKind: string;
  outputUrl: string | null;
  output: { language: string | null; segments: Array<{ start: number; end: number; text: string }> } | null;
  inputs: Record<string, { id: string; kind: string; name: string | null; width: number | null; url: string }>;
  errorCode: string | null;
}
interface UploadJson {
  id: string;
  width: number | null;
  height: number | null;
  durationSeconds: number | null;
}

beforeAll(async () => {
  PHOTO = await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 200, g: 80, b: 40 } } })
    .jpeg({ quality: 85 })
    .toBuffer();
});

async function upload(client: TestClient, bytes: Buffer, filename: string): Promise<UploadJson> {
  const { contentType, body } = multipartFile(bytes, { filename });
  const res = await client.json<{ upload: UploadJson }>("/api/uploads", { method: "POST", headers: { "content-type": contentType }, body: new Uint8Array(body) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data.upload;
}

async function create(client: TestClient, slug: string, body: unknown): Promise<TaskJson> {
  const res = await client.postJson<{ task: TaskJson }>(`/api/tasks/${slug}`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data.task;
}

async function balance(client: TestClient): Promise<number> {
  return (await client.json<{ balance: number }>("/api/credits")).body.data.balance;
}

async function read(url: string): Promise<{ type: string | null; bytes: Buffer }> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return { type: res.headers.get("content-type"), bytes: Buffer.from(await res.arrayBuffer()) };
}

describe("on the mocks", () => {
  it("image-upscale: priced from the photo's measured size, the output is the photo 2× larger", async () => {
    const { client } = await signedInClient(base);
    const photo = await upload(client, PHOTO, "photo.jpg");
    const task = await create(client, "image-upscale", { image: photo.id, scale: 2 });
    expect(task.creditsUsed).toBe(2); // 1280 × 960 = 1.23 megapixels
    expect(await balance(client)).toBe(WELCOME_CREDITS - 2);
    const done = await waitForTask<TaskJson>(client, task.uuid, ["succeeded", "failed"], 30_000);
    expect(done).toMatchObject({ status: "succeeded", outputKind: "image", inputs: { image: { id: photo.id, kind: "image", width: 640 } } });
    const out = await read(done.outputUrl!);
    expect(out.type).toBe("image/png");
    expect(await sharp(out.bytes).metadata()).toMatchObject({ width: 1280, height: 960 });
    // The input's thumbnail URL reads the photo.
    expect((await read(done.inputs.image.url)).bytes.equals(PHOTO)).toBe(true);
  });

  it("image-to-video: 2 credits a second, the bundled clip of that length", async () => {
    const { client } = await signedInClient(base);
    const photo = await upload(client, PHOTO, "photo.jpg");
    const task = await create(client, "image-to-video", { image: photo.id, prompt: "the sea moves", seconds: 4 });
    expect(task.creditsUsed).toBe(8);
    const done = await waitForTask<TaskJson>(client, task.uuid, ["succeeded", "failed"], 40_000);
    expect(done.status).toBe("succeeded");
    const out = await read(done.outputUrl!);
    expect(out.type).toBe("video/mp4");
    expect(out.bytes.equals(fs.readFileSync("public/videos/image-to-video-4s.mp4"))).toBe(true);
  });

  it("speech-to-text: 30 s costs 1 credit and 61 s costs 2; the transcript is text/plain at outputUrl, its segments cover the recording", async () => {
    const { client } = await signedInClient(base);
    const short = await upload(client, MP3_30, "short.mp3");
    const long = await upload(client, MP3_61, "long.mp3");
    const a = await create(client, "speech-to-text", { audio: short.id });
    const b = await create(client, "speech-to-text", { audio: long.id, language: "zh" });
    expect([a.creditsUsed, b.creditsUsed]).toEqual([1, 2]);
    expect(await balance(client)).toBe(WELCOME_CREDITS - 3);
    const done = await waitForTask<TaskJson>(client, b.uuid, ["succeeded", "failed"], 30_000);
    expect(done).toMatchObject({ status: "succeeded", outputKind: "text", inputs: { audio: { name: "long.mp3", kind: "audio" } } });
    const segments = done.output!.segments;
    expect(segments[0].start).toBe(0);
    expect(segments.at(-1)!.end).toBeCloseTo(long.durationSeconds!, 2);
    expect(segments[0].text).toContain("模拟文字稿");
    const out = await read(done.outputUrl!);
    expect(out.type).toBe("text/plain; charset=utf-8");
    expect(out.bytes.toString("utf8")).toBe(segments.map((s) => s.text).join("\n") + "\n");
  });

  it("bad inputs: a wrong-kind upload, a missing file field, another user's upload: 400 naming the field, nothing charged", async () => {
    const { client } = await signedInClient(base);
    const { client: other } = await signedInClient(base);
    const audio = await upload(client, MP3_30, "talk.mp3");
    const theirs = await upload(other, PHOTO, "theirs.jpg");
    for (const [slug, body, field] of [
      ["image-upscale", { image: audio.id, scale: 2 }, "image"],
      ["image-to-video", { prompt: "x" }, "image"],
      ["speech-to-text", { audio: theirs.id }, "audio"],
      ["speech-to-text", { audio: audio.id, language: "klingon" }, "language"],
    ] as const) {
      const res = await client.postJson(`/api/tasks/${slug}`, body);
      expect(res.status, `${slug} ${JSON.stringify(body)}`).toBe(400);
      expect((res.body.data as { field?: string } | null)?.field).toBe(field);
    }
    expect(await balance(client)).toBe(WELCOME_CREDITS);
  });
});

describe("on the shared fake provider: it fetches the signed input URL from the app and gets the upload's bytes", () => {
  let fake: FakeProvider;
  let server: Awaited<ReturnType<typeof startOwnServer>>;

  beforeAll(async () => {
    fake = await startFakeProvider();
    server = await startOwnServer("http_file_types", {
      IMAGE_UPSCALE_PROVIDER: "replicate",
      IMAGE2VIDEO_PROVIDER: "replicate",
      SPEECH2TEXT_PROVIDER: "fal",
      REPLICATE_API_BASE: fake.url,
      REPLICATE_API_TOKEN: fake.token,
      FAL_QUEUE_BASE: fake.falBase,
      FAL_KEY: fake.falKey,
    });
  }, 180_000);

  afterAll(async () => {
    await server?.stopAll();
    await fake?.close();
  });

  /** The job the fake received for a task, once the app has submitted it. */
  async function jobOf(client: TestClient, uuid: string): Promise<string> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const res = await client.json<{ task: TaskJson & { status: string } }>(`/api/tasks/${uuid}`);
      if (res.body.data.task.status !== "queued") break;
      if (Date.now() > deadline) throw new Error("never submitted");
      await new Promise((r) => setTimeout(r, 200));
    }
    const jobs = [...fake.predictions.values()].map((p) => p.id).concat([...fake.falRequests.keys()]);
    const fetched = fake.fetchedInputs.filter((f) => jobs.includes(f.jobId));
    return fetched.at(-1)!.jobId;
  }

  it("image-upscale on Real-ESRGAN's inputs and image-to-video on Wan's: the photo's exact bytes, through the app's signed storage URL", async () => {
    const { client } = await signedInClient(server.url);
    const photo = await upload(client, PHOTO, "photo.jpg");

    const upscale = await create(client, "image-upscale", { image: photo.id, scale: 4 });
    expect(upscale.creditsUsed).toBe(5);
    const upJob = await jobOf(client, upscale.uuid);
    const prediction = fake.predictions.get(upJob)!;
    expect(prediction.version).toBe(REPLICATE_UPSCALE_MODEL.split(":")[1]);
    expect(prediction.input).toMatchObject({ scale: 4, face_enhance: false, image: expect.stringMatching(new RegExp(`^${server.url}/api/storage/uploads/${photo.id}\\?exp=\\d+&sig=`)) });
    const got = fake.fetchedInputs.find((f) => f.jobId === upJob)!;
    expect(got).toMatchObject({ status: 200, contentType: "image/jpeg" });
    expect(got.bytes.equals(PHOTO)).toBe(true);
    const bigger = await sharp(PHOTO).resize({ width: 2560 }).png().toBuffer();
    fake.update(upJob, { status: "succeeded", output: fake.serveFile("up.png", bigger, "image/png") });
    const done = await waitForTask<TaskJson>(client, upscale.uuid, ["succeeded", "failed"]);
    expect(done.status).toBe("succeeded");
    expect((await read(done.outputUrl!)).bytes.equals(bigger)).toBe(true);

    const video = await create(client, "image-to-video", { image: photo.id, prompt: "the waves", seconds: 8 });
    const videoJob = await jobOf(client, video.uuid);
    expect(fake.predictions.get(videoJob)).toMatchObject({
      version: REPLICATE_IMAGE2VIDEO_MODEL.split(":")[1],
      input: { prompt: "the waves", num_frames: 96, frames_per_second: 12, resolution: "480p" },
    });
    expect(fake.fetchedInputs.find((f) => f.jobId === videoJob)!.bytes.equals(PHOTO)).toBe(true);
    fake.update(videoJob, { status: "failed", error: "CUDA out of memory" });
    const failed = await waitForTask<TaskJson>(client, video.uuid, ["succeeded", "failed"]);
    expect(failed.status).toBe("failed");
    expect(await balance(client)).toBe(WELCOME_CREDITS - 5); // the failed video was refunded
  });

  it("speech-to-text on fal.ai's Whisper: the recording's bytes reach the provider; the transcript and its segments come back", async () => {
    const { client } = await signedInClient(server.url);
    const audio = await upload(client, MP3_61, "talk.mp3");
    const task = await create(client, "speech-to-text", { audio: audio.id, language: "en" });
    expect(task.creditsUsed).toBe(2);
    const job = await jobOf(client, task.uuid);
    const request = fake.falRequests.get(job)!;
    expect(request).toMatchObject({ model: "fal-ai/whisper", input: { task: "transcribe", language: "en", chunk_level: "segment" } });
    const got = fake.fetchedInputs.find((f) => f.jobId === job)!;
    expect(got).toMatchObject({ status: 200, contentType: "audio/mpeg" });
    expect(got.bytes.equals(MP3_61)).toBe(true);
    fake.falUpdate(job, { status: "COMPLETED", result: { text: "One. Two.", chunks: [{ timestamp: [0, 30], text: " One." }, { timestamp: [30, 61.2], text: " Two." }] } });
    const done = await waitForTask<TaskJson>(client, task.uuid, ["succeeded", "failed"]);
    expect(done.status).toBe("succeeded");
    expect(done.output).toEqual({ language: null, segments: [{ start: 0, end: 30, text: "One." }, { start: 30, end: 61.2, text: "Two." }] });
    expect((await read(done.outputUrl!)).bytes.toString("utf8")).toBe("One. Two.\n");
  });
});
