// The three types that take a file (image-upscale, image-to-video, speech-to-text), end to end
// through the services on PGlite and PostgreSQL, with the s3 driver on a local S3-compatible
// server (s3rver, so a provider can fetch the signed input URL): priced from the measured
// facts, run on their mocks and on the shared fake provider (Replicate's and fal's shapes),
// which fetches the signed URL and gets the upload's bytes.
import fs from "node:fs";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { resetStorage, storage } from "@/services/storage";
import { createTask, getTaskForUser, toTaskDto } from "@/services/tasks";
import { describeTaskType } from "@/services/tasks/catalog";
import { receiveUpload, type UploadDto } from "@/services/uploads";
import { imageToVideo } from "@/tasks/image-to-video";
import { imageToVideoReplicate, REPLICATE_IMAGE2VIDEO_MODEL } from "@/tasks/image-to-video/providers";
import { imageUpscale } from "@/tasks/image-upscale";
import { imageUpscaleReplicate, REPLICATE_UPSCALE_MODEL } from "@/tasks/image-upscale/providers";
import { speechToText } from "@/tasks/speech-to-text";
import type { Transcript } from "@/tasks/speech-to-text/limits";
import { REPLICATE_WHISPER_MODEL, speechToTextFal, speechToTextReplicate } from "@/tasks/speech-to-text/providers";
import { startFakeProvider, type FakeProvider } from "../support/fake-provider";
import { multipartFile, webStream } from "../support/multipart";
import { startS3Server, type S3TestServer } from "../support/s3-server";
import { balanceOf, collector, taskCount, userWith } from "../support/task-helpers";

const MP3_30 = fs.readFileSync("tests/fixtures/uploads/tone-30s.mp3");
const MP3_61 = fs.readFileSync("tests/fixtures/uploads/tone-61s.mp3");
let PHOTO: Buffer; // 640 x 480 JPEG, made at start
let BIG_PHOTO: Buffer; // 2000 x 1500: over the upscaler's 2.1 megapixels

let fake: FakeProvider;
let s3: S3TestServer;
const saved = { ...process.env };

beforeAll(async () => {
  const gradient = (width: number, height: number) =>
    sharp({ create: { width, height, channels: 3, background: { r: 40, g: 120, b: 200 } } })
      .composite([{ input: Buffer.from(`<svg width="${width}" height="${height}"><circle cx="${width / 2}" cy="${height / 2}" r="${height / 3}" fill="orange"/></svg>`) }])
      .jpeg({ quality: 80 })
      .toBuffer();
  [PHOTO, BIG_PHOTO] = await Promise.all([gradient(640, 480), gradient(2000, 1500)]);
  fake = await startFakeProvider();
  s3 = await startS3Server();
  Object.assign(process.env, {
    ...s3.appEnv,
    IMAGE_UPSCALE_MOCK_DELAY_MS: "0",
    IMAGE2VIDEO_MOCK_DELAY_MS: "0",
    SPEECH2TEXT_MOCK_DELAY_MS: "0",
  });
  resetEnvCache();
  resetStorage();
  imageUpscale.providers.set("replicate", imageUpscaleReplicate({ apiBase: fake.url, apiToken: fake.token, model: REPLICATE_UPSCALE_MODEL }));
  imageToVideo.providers.set("replicate", imageToVideoReplicate({ apiBase: fake.url, apiToken: fake.token, model: REPLICATE_IMAGE2VIDEO_MODEL }));
  speechToText.providers.set("replicate", speechToTextReplicate({ apiBase: fake.url, apiToken: fake.token, model: REPLICATE_WHISPER_MODEL }));
  speechToText.providers.set("fal", speechToTextFal({ queueBase: fake.falBase, apiKey: fake.falKey, model: "fal-ai/whisper" }));
});

afterAll(async () => {
  for (const d of [imageUpscale, imageToVideo, speechToText]) for (const name of ["replicate", "fal"]) d.providers.set(name, undefined);
  process.env = saved;
  resetEnvCache();
  resetStorage();
  await fake.close();
  await s3.close();
});

async function uploadAs(userUuid: string, bytes: Buffer, filename: string): Promise<UploadDto> {
  const { contentType, body } = multipartFile(bytes, { filename });
  return receiveUpload({ userUuid, contentType, contentLength: body.length, body: webStream(body) });
}

async function storedBytes(key: string): Promise<Buffer> {
  const stream = await storage().get(key);
  if (!stream) throw new Error(`nothing stored at ${key}`);
  return Buffer.concat(await stream.toArray());
}

/** The job's input as the fake provider fetched it: one URL, answered 200 with the upload's bytes. */
function fetchedBy(jobId: string) {
  const got = fake.fetchedInputs.filter((f) => f.jobId === jobId);
  expect(got).toHaveLength(1);
  expect(got[0].status).toBe(200);
  return got[0];
}

describe("image-upscale", () => {
  it("costs 1 credit per started megapixel of the output, from the measured size: 640x480 is 2 credits at 2x, 5 at 4x", async () => {
    const u = await userWith(20);
    const up = await uploadAs(u, PHOTO, "photo.jpg");
    expect(up).toMatchObject({ kind: "image", width: 640, height: 480 });
    const bg = collector();
    const two = await createTask(imageUpscale, { userUuid: u, input: { image: up.id, scale: 2 } }, { background: bg.background, provider: "mock" });
    const four = await createTask(imageUpscale, { userUuid: u, input: { image: up.id, scale: 4 } }, { background: bg.background, provider: "mock" });
    expect([two.task.creditsUsed, four.task.creditsUsed]).toEqual([2, 5]); // 1280x960 = 1.23 MP; 2560x1920 = 4.92 MP
    expect(await balanceOf(u)).toBe(13);
    await bg.settle();
    // The mock resamples the photo itself: the stored PNG is the input, scale times larger.
    const done = await getTaskForUser(four.task.uuid, u);
    expect(done.status).toBe("succeeded");
    const meta = await sharp(await storedBytes(done.outputKey!)).metadata();
    expect(meta).toMatchObject({ format: "png", width: 2560, height: 1920 });
    // The owner's DTO shows the input's thumbnail.
    const dto = await toTaskDto(done, u);
    expect(dto.inputs.image).toMatchObject({ id: up.id, kind: "image", width: 640, height: 480, url: expect.stringContaining("X-Amz-Signature") });
    expect(dto.summary).toBe("×4");
  });

  it("an image over 2.1 megapixels, or a scale other than 2 or 4: 400 naming the field, nothing charged", async () => {
    const u = await userWith(50);
    const big = await uploadAs(u, BIG_PHOTO, "big.jpg");
    await expect(createTask(imageUpscale, { userUuid: u, input: { image: big.id, scale: 2 } })).rejects.toMatchObject({
      status: 400,
      details: { field: "image" },
      message: expect.stringMatching(/at most 2100000 pixels, got 2000x1500/),
    });
    const ok = await uploadAs(u, PHOTO, "photo.jpg");
    await expect(createTask(imageUpscale, { userUuid: u, input: { image: ok.id, scale: 3 } })).rejects.toMatchObject({ status: 400, details: { field: "scale" } });
    expect(await balanceOf(u)).toBe(50);
    expect(await taskCount(u)).toBe(0);
  });

  it("on Replicate (Real-ESRGAN's inputs): the provider fetches the signed URL and gets the upload's bytes", async () => {
    const u = await userWith(20);
    const up = await uploadAs(u, PHOTO, "photo.jpg");
    const bg = collector();
    const { task } = await createTask(imageUpscale, { userUuid: u, input: { image: up.id, scale: 4 } }, { background: bg.background, provider: "replicate" });
    await bg.settle();
    const running = await getTaskForUser(task.uuid, u, { refresh: false });
    const prediction = fake.predictions.get(running.providerJobId!)!;
    expect(prediction.version).toBe(REPLICATE_UPSCALE_MODEL.split(":")[1]);
    expect(prediction.input).toEqual({ image: expect.stringContaining(`uploads/${up.id}`), scale: 4, face_enhance: false });
    expect(fetchedBy(prediction.id).bytes.equals(PHOTO)).toBe(true);
    const out = await sharp(PHOTO).resize({ width: 2560 }).png().toBuffer();
    fake.update(prediction.id, { status: "succeeded", output: fake.serveFile(`${prediction.id}.png`, out, "image/png") });
    const done = await getTaskForUser(task.uuid, u);
    expect(done.status).toBe("succeeded");
    expect((await storedBytes(done.outputKey!)).equals(out)).toBe(true);
  });
});

describe("image-to-video", () => {
  it("priced per second like text-to-video (seconds defaults to 5: 10 credits); the mock returns the bundled clip of that length", async () => {
    const u = await userWith(30);
    const up = await uploadAs(u, PHOTO, "photo.jpg");
    const bg = collector();
    const { task } = await createTask(imageToVideo, { userUuid: u, input: { image: up.id, prompt: "  waves roll in  " } }, { background: bg.background, provider: "mock" });
    expect(task.creditsUsed).toBe(10);
    expect(JSON.parse(task.userInput)).toEqual({ image: up.id, prompt: "waves roll in", seconds: 5 });
    const eight = await createTask(imageToVideo, { userUuid: u, input: { image: up.id, prompt: "x", seconds: 8 } }, { background: bg.background, provider: "mock" });
    expect(eight.task.creditsUsed).toBe(16);
    await bg.settle();
    const done = await getTaskForUser(task.uuid, u);
    expect(done.status).toBe("succeeded");
    expect((await storedBytes(done.outputKey!)).equals(fs.readFileSync("public/videos/image-to-video-5s.mp4"))).toBe(true);
    await expect(createTask(imageToVideo, { userUuid: u, input: { image: up.id, prompt: "x", seconds: 9 } })).rejects.toMatchObject({ status: 400, details: { field: "seconds" } });
  });

  it("on Replicate (Wan 2.2's inputs): frames and rate make the length exactly; the provider gets the photo's bytes", async () => {
    const u = await userWith(30);
    const up = await uploadAs(u, PHOTO, "photo.jpg");
    const bg = collector();
    const { task } = await createTask(imageToVideo, { userUuid: u, input: { image: up.id, prompt: "the camera pushes in", seconds: 6 } }, { background: bg.background, provider: "replicate" });
    await bg.settle();
    const running = await getTaskForUser(task.uuid, u, { refresh: false });
    const prediction = fake.predictions.get(running.providerJobId!)!;
    expect(prediction.version).toBe(REPLICATE_IMAGE2VIDEO_MODEL.split(":")[1]);
    expect(prediction.input).toEqual({
      image: expect.stringContaining(`uploads/${up.id}`),
      prompt: "the camera pushes in",
      num_frames: 96,
      frames_per_second: 16,
      resolution: "480p",
    });
    expect(fetchedBy(prediction.id).bytes.equals(PHOTO)).toBe(true);
    const clip = fs.readFileSync("public/videos/image-to-video-6s.mp4");
    fake.update(prediction.id, { status: "succeeded", output: fake.serveFile(`${prediction.id}.mp4`, clip, "video/mp4") });
    expect((await getTaskForUser(task.uuid, u)).status).toBe("succeeded");
  });
});

describe("speech-to-text", () => {
  it("costs per started minute of the measured duration: 30 s is 1 credit, 61 s is 2", async () => {
    const u = await userWith(10);
    const short = await uploadAs(u, MP3_30, "short.mp3");
    const long = await uploadAs(u, MP3_61, "long.mp3");
    expect(short.durationSeconds).toBeGreaterThanOrEqual(30);
    expect(short.durationSeconds).toBeLessThan(31);
    expect(long.durationSeconds).toBeGreaterThan(61);
    const bg = collector();
    const a = await createTask(speechToText, { userUuid: u, input: { audio: short.id } }, { background: bg.background, provider: "mock" });
    const b = await createTask(speechToText, { userUuid: u, input: { audio: long.id, language: "en" } }, { background: bg.background, provider: "mock" });
    expect([a.task.creditsUsed, b.task.creditsUsed]).toEqual([1, 2]);
    expect(await balanceOf(u)).toBe(7);
    await bg.settle();
  });

  it("the mock's transcript is the stored text/plain output, and its timed segments (the task's output) cover the measured duration", async () => {
    const u = await userWith(10);
    const up = await uploadAs(u, MP3_61, "talk.mp3");
    const bg = collector();
    const { task } = await createTask(speechToText, { userUuid: u, input: { audio: up.id } }, { background: bg.background, provider: "mock" });
    await bg.settle();
    const done = await getTaskForUser(task.uuid, u);
    expect(done.status).toBe("succeeded");
    expect(await storage().head(done.outputKey!)).toMatchObject({ contentType: "text/plain; charset=utf-8" });
    const dto = await toTaskDto(done, u);
    const transcript = dto.output as Transcript;
    expect(transcript.segments.length).toBe(13); // 5-second segments over 61.x s
    expect(transcript.segments[0].start).toBe(0);
    expect(transcript.segments.at(-1)!.end).toBeCloseTo(up.durationSeconds!, 2);
    for (let i = 1; i < transcript.segments.length; i++) expect(transcript.segments[i].start).toBe(transcript.segments[i - 1].end);
    const text = (await storedBytes(done.outputKey!)).toString("utf8");
    expect(text).toBe(transcript.segments.map((s) => s.text).join("\n") + "\n");
    expect(dto.inputs.audio).toMatchObject({ kind: "audio", name: "talk.mp3", durationSeconds: up.durationSeconds });
    // Someone else's view carries neither output nor inputs.
    const stranger = await toTaskDto(done, await userWith(0));
    expect([stranger.output, stranger.inputs, stranger.outputUrl]).toEqual([null, {}, null]);
  });

  it("on Replicate (Whisper's output JSON): the transcription is stored, the segments are the output; the provider got the recording", async () => {
    const u = await userWith(10);
    const up = await uploadAs(u, MP3_30, "talk.mp3");
    const bg = collector();
    const { task } = await createTask(speechToText, { userUuid: u, input: { audio: up.id, language: "zh" } }, { background: bg.background, provider: "replicate" });
    await bg.settle();
    const running = await getTaskForUser(task.uuid, u, { refresh: false });
    const prediction = fake.predictions.get(running.providerJobId!)!;
    expect(prediction.version).toBe(REPLICATE_WHISPER_MODEL.split(":")[1]);
    expect(prediction.input).toEqual({ audio: expect.stringContaining(`uploads/${up.id}`), language: "zh", translate: false, transcription: "plain text", temperature: 0 });
    expect(fetchedBy(prediction.id).bytes.equals(MP3_30)).toBe(true);
    fake.update(prediction.id, {
      status: "succeeded",
      output: {
        transcription: " 你好。 世界。",
        detected_language: "chinese",
        segments: [
          { id: 0, seek: 0, start: 0, end: 12.5, text: " 你好。", tokens: [1], temperature: 0, avg_logprob: -0.2, compression_ratio: 1, no_speech_prob: 0.01 },
          { id: 1, seek: 0, start: 12.5, end: 30.1, text: " 世界。", tokens: [2], temperature: 0, avg_logprob: -0.2, compression_ratio: 1, no_speech_prob: 0.01 },
        ],
        txt_file: null,
        srt_file: null,
        translation: null,
      },
    });
    const done = await getTaskForUser(task.uuid, u);
    expect(done.status).toBe("succeeded");
    expect((await storedBytes(done.outputKey!)).toString("utf8")).toBe("你好。 世界。\n");
    expect((await toTaskDto(done, u)).output).toEqual({
      language: "chinese",
      segments: [
        { start: 0, end: 12.5, text: "你好。" },
        { start: 12.5, end: 30.1, text: "世界。" },
      ],
    });
  });

  it("on fal.ai (fal-ai/whisper's queue): the recording's bytes reach the provider, the chunks become the segments", async () => {
    const u = await userWith(10);
    const up = await uploadAs(u, MP3_30, "talk.mp3");
    const bg = collector();
    const { task } = await createTask(speechToText, { userUuid: u, input: { audio: up.id } }, { background: bg.background, provider: "fal" });
    await bg.settle();
    const running = await getTaskForUser(task.uuid, u, { refresh: false });
    const request = fake.falRequests.get(running.providerJobId!)!;
    expect(request.model).toBe("fal-ai/whisper");
    expect(request.input).toEqual({ audio_url: expect.stringContaining(`uploads/${up.id}`), task: "transcribe", chunk_level: "segment", version: "3" });
    expect(fetchedBy(request.id).bytes.equals(MP3_30)).toBe(true);
    fake.falUpdate(request.id, {
      status: "COMPLETED",
      result: { text: "Hello there. Goodbye.", chunks: [{ timestamp: [0, 14.2], text: " Hello there." }, { timestamp: [14.2, 30.1], text: " Goodbye." }], inferred_languages: ["en"] },
    });
    const done = await getTaskForUser(task.uuid, u);
    expect(done.status).toBe("succeeded");
    expect((await storedBytes(done.outputKey!)).toString("utf8")).toBe("Hello there. Goodbye.\n");
    expect((await toTaskDto(done, u)).output).toEqual({ language: "en", segments: [{ start: 0, end: 14.2, text: "Hello there." }, { start: 14.2, end: 30.1, text: "Goodbye." }] });
  });

  it("the types API marks the file fields and prices the examples from their facts", () => {
    const stt = describeTaskType(speechToText);
    expect((stt.inputSchema as { properties: Record<string, unknown> }).properties.audio).toMatchObject({
      format: "upload",
      "x-upload": { kinds: ["audio", "video"], maxBytes: 100 * 1024 * 1024, maxDurationSeconds: 3600 },
    });
    expect(stt.pricing.examples.map((e) => e.credits)).toEqual([1, 2, 60]);
    const up = describeTaskType(imageUpscale);
    expect((up.inputSchema as { properties: Record<string, unknown> }).properties.image).toMatchObject({ format: "upload", contentMediaType: "image/*", "x-upload": { maxPixels: 2_100_000 } });
    expect(up.pricing.examples.map((e) => e.credits)).toEqual([4, 13, 34]);
    expect(describeTaskType(imageToVideo).pricing).toMatchObject({ minCredits: 8, maxCredits: 16 });
  });
});
