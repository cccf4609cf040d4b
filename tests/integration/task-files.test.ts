// File fields end to end, on PGlite and PostgreSQL, with the s3 driver against a local
// S3-compatible server (s3rver): an upload streamed into the bucket, a throwaway task type
// with an image field priced from the measured size, run on the mock and on the shared fake
// provider (Replicate's and fal's shapes), which fetches the signed input URL and records the
// bytes. Bad upload ids are 400s naming the field with nothing charged; cleanup by the sweeper
// and account deletion.
import fs from "node:fs";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { getDb } from "@/db";
import { tasks, uploads } from "@/db/schema";
import { resetEnvCache } from "@/lib/env";
import { createMockProvider } from "@/services/ai/providers/mock";
import { createFalProvider } from "@/services/ai/providers/fal";
import { createReplicateProvider } from "@/services/ai/providers/replicate";
import { deleteAccount } from "@/services/accounts/deletion";
import { resetStorage, storage } from "@/services/storage";
import { createTask, defineTaskType, getTaskForUser, registerTaskType } from "@/services/tasks";
import { describeTaskType } from "@/services/tasks/catalog";
import { receiveUpload, sweepExpiredUploads, uploadField, type UploadDto } from "@/services/uploads";
import { startFakeProvider, type FakeProvider } from "../support/fake-provider";
import { insertUser } from "../support/fixtures";
import { multipartFile, webStream } from "../support/multipart";
import { startS3Server, type S3TestServer } from "../support/s3-server";
import { balanceOf, collector, taskCount, userWith } from "../support/task-helpers";

const PNG = fs.readFileSync("tests/fixtures/image-512x512.png");
const BIG_IMAGE = fs.readFileSync("public/demo/image/ocean-1024x1024.jpg");
const MP3 = fs.readFileSync("tests/fixtures/uploads/tone-61s.mp3");

let fake: FakeProvider;
let s3: S3TestServer;
const saved = { ...process.env };

type Input = { image: string; prompt?: string };

// A throwaway type: an image in (at most 20 kB), an image out, 1 credit per started 100,000 pixels.
const retouch = defineTaskType({
  type: "test_retouch",
  slug: "test-retouch",
  transType: "task_test_retouch",
  outputKind: "image",
  input: z.object({ image: uploadField({ kinds: ["image"], maxBytes: 20_000 }), prompt: z.string().max(100).optional() }),
  cost: (_input, files) => Math.ceil((files.image.width! * files.image.height!) / 100_000),
  pricing: {
    summary: "1 credit per 100,000 pixels",
    minCredits: 1,
    maxCredits: 11,
    examples: [{ input: { image: "00000000-0000-4000-8000-000000000000" }, files: { image: { id: "x", kind: "image", contentType: "image/png", bytes: 1, width: 512, height: 512, durationSeconds: null } } }],
  },
  defaultInput: { image: "" },
  providers: {
    mock: { create: () => createMockProvider<Input>({ delayMs: 0, samples: ["/demo/image/bloom-512x512.jpg"] }) },
    replicate: {
      create: () =>
        createReplicateProvider<Input>({
          apiBase: fake.url,
          apiToken: fake.token,
          model: "acme/retouch",
          input: async (input, context) => ({ image: await context.signedInputUrl("image"), prompt: input.prompt ?? "" }),
        }),
    },
    fal: {
      create: () =>
        createFalProvider<Input>({
          queueBase: fake.falBase,
          apiKey: fake.falKey,
          model: "fal-ai/retouch/v2",
          input: async (_input, context) => ({ image_url: await context.signedInputUrl("image") }),
        }),
    },
  },
  labels: { en: { name: "Retouch", ledger: "Retouch", description: "Retouch a photo." }, zh: { name: "修图", ledger: "修图", description: "修图。" } },
  summary: (input) => `photo ${input.image.slice(0, 8)}`,
});

beforeAll(async () => {
  fake = await startFakeProvider();
  s3 = await startS3Server();
  Object.assign(process.env, s3.appEnv);
  resetEnvCache();
  resetStorage();
  registerTaskType(retouch);
});

afterAll(async () => {
  process.env = saved;
  resetEnvCache();
  resetStorage();
  await fake.close();
  await s3.close();
});

async function uploadAs(userUuid: string, bytes: Buffer, filename = "photo.png"): Promise<UploadDto> {
  const { contentType, body } = multipartFile(bytes, { filename });
  return receiveUpload({ userUuid, contentType, contentLength: body.length, body: webStream(body) });
}

/**
 * A user with 10 credits uploads the fixture photo and retouches it on `provider`: the task as
 * created, its upload, and the collector of its background submission (settle it to reach the
 * provider).
 */
async function retouchPhoto(provider: string, input: Record<string, string> = {}) {
  const u = await userWith(10);
  const up = await uploadAs(u, PNG);
  const bg = collector();
  const { task } = await createTask(retouch, { userUuid: u, input: { image: up.id, ...input } }, { background: bg.background, provider });
  return { u, up, task, bg };
}

describe("uploads into the s3 driver", () => {
  it("streams the file into the bucket under uploads/<id>, typed and measured from its bytes", async () => {
    const u = await userWith(0);
    const up = await uploadAs(u, PNG, "../../x.png");
    expect(up).toMatchObject({ kind: "image", contentType: "image/png", bytes: PNG.length, width: 512, height: 512, name: "x.png" });
    expect(await storage().head(`uploads/${up.id}`)).toEqual({ key: `uploads/${up.id}`, contentType: "image/png", bytes: PNG.length });
    // The presigned read URL serves the same bytes.
    expect(Buffer.from(await (await fetch(up.url)).arrayBuffer()).equals(PNG)).toBe(true);
  });
});

describe("a task type with a file field", () => {
  it("the types API marks the field as an upload, with its kinds and cap", () => {
    const schema = describeTaskType(retouch).inputSchema as { properties: Record<string, Record<string, unknown>> };
    expect(schema.properties.image).toMatchObject({ format: "upload", contentMediaType: "image/*", "x-upload": { kinds: ["image"], maxBytes: 20_000 } });
    expect(describeTaskType(retouch).pricing.examples[0]).toMatchObject({ credits: 3 });
  });

  it("priced from the measured size, linked to its task, and fetched by the provider (Replicate shapes) through the signed URL", async () => {
    const { u, up, task, bg } = await retouchPhoto("replicate", { prompt: "warmer" });
    expect(task.creditsUsed).toBe(3); // 512 x 512 = 262,144 pixels
    expect(await balanceOf(u)).toBe(7);
    await bg.settle();
    const [row] = await getDb().select().from(uploads).where(eq(uploads.id, up.id));
    expect(row.taskUuid).toBe(task.uuid);
    const running = await getTaskForUser(task.uuid, u, { refresh: false });
    const got = fake.fetchedInputs.filter((f) => f.jobId === running.providerJobId);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ status: 200, contentType: "image/png" });
    expect(got[0].bytes.equals(PNG)).toBe(true);
    expect(fake.predictions.get(running.providerJobId!)!.input).toMatchObject({ image: expect.stringContaining("X-Amz-Signature"), prompt: "warmer" });
    // The job finishes; its output is stored like any other.
    fake.update(running.providerJobId!, { status: "succeeded", output: [fake.serveFile("out.png", PNG, "image/png")] });
    expect((await getTaskForUser(task.uuid, u)).status).toBe("succeeded");
  });

  it("on fal's queue API: the same file reaches the provider, and the result is read from the request's response", async () => {
    const { u, task, bg } = await retouchPhoto("fal");
    await bg.settle();
    const running = await getTaskForUser(task.uuid, u, { refresh: false });
    expect(running.status).toBe("running");
    const got = fake.fetchedInputs.find((f) => f.jobId === running.providerJobId)!;
    expect(got.bytes.equals(PNG)).toBe(true);
    expect(fake.requests.find((r) => r.path === "/fal/fal-ai/retouch/v2")?.authorization).toBe(`Key ${fake.falKey}`);
    fake.falUpdate(running.providerJobId!, { status: "IN_PROGRESS" });
    expect((await getTaskForUser(task.uuid, u)).status).toBe("running");
    fake.falUpdate(running.providerJobId!, { status: "COMPLETED", result: { images: [{ url: fake.serveFile("fal-out.png", PNG, "image/png"), width: 512, height: 512 }] } });
    const done = await getTaskForUser(task.uuid, u);
    expect(done).toMatchObject({ status: "succeeded", outputKey: `tasks/${task.uuid}/output` });
  });

  it("a failed fal run fails the task and refunds it", async () => {
    const { u, task, bg } = await retouchPhoto("fal");
    await bg.settle();
    const running = await getTaskForUser(task.uuid, u, { refresh: false });
    fake.falUpdate(running.providerJobId!, { status: "COMPLETED", error: "NSFW content detected" });
    expect(await getTaskForUser(task.uuid, u)).toMatchObject({ status: "failed", errorCode: "content_rejected" });
    expect(await balanceOf(u)).toBe(10);
  });

  it("on the mock: created, run and finished like any type", async () => {
    const { u, task, bg } = await retouchPhoto("mock");
    await bg.settle();
    expect((await getTaskForUser(task.uuid, u)).status).toBe("succeeded");
  });

  it("another user's, an expired, an unknown, a wrong-kind or a too-large upload: 400 naming the field, nothing charged or written", async () => {
    const u = await userWith(10);
    const other = await userWith(0);
    const theirs = await uploadAs(other, PNG);
    const expired = await uploadAs(u, PNG);
    await getDb().execute(sql`UPDATE uploads SET expires_at = now() - interval '1 second' WHERE id = ${expired.id}`);
    const audio = await uploadAs(u, MP3, "talk.mp3");
    const big = await uploadAs(u, BIG_IMAGE);
    const cases: Array<[string, RegExp]> = [
      [theirs.id, /no such upload/],
      [expired.id, /expired/],
      ["6f1c3a4e-9b7d-4c1e-8a2b-3d4e5f6a7b8c", /no such upload/],
      [audio.id, /must be an image/],
      [big.id, /at most 20000 bytes/],
      ["not-an-id", /upload id/],
    ];
    for (const [id, message] of cases) {
      const attempt = createTask(retouch, { userUuid: u, input: { image: id } });
      await expect(attempt, id).rejects.toMatchObject({ status: 400, details: { field: "image" }, message: expect.stringMatching(message) });
    }
    expect(await balanceOf(u)).toBe(10);
    expect(await taskCount(u)).toBe(0);
  });
});

describe("cleanup", () => {
  it("the sweeper deletes unused uploads once expired, with their bytes; an upload a task used stays", async () => {
    const u = await userWith(10);
    const unused = await uploadAs(u, PNG);
    const used = await uploadAs(u, PNG);
    const { task } = await createTask(retouch, { userUuid: u, input: { image: used.id } }, { background: () => {}, provider: "mock" });
    await getDb().execute(sql`UPDATE uploads SET expires_at = now() - interval '1 second' WHERE id IN (${unused.id}, ${used.id})`);
    expect(await sweepExpiredUploads()).toBeGreaterThanOrEqual(1);
    expect(await getDb().select().from(uploads).where(eq(uploads.id, unused.id))).toEqual([]);
    expect(await storage().head(`uploads/${unused.id}`)).toBeNull();
    const [kept] = await getDb().select().from(uploads).where(eq(uploads.id, used.id));
    expect(kept.taskUuid).toBe(task.uuid);
    expect(await storage().head(`uploads/${used.id}`)).not.toBeNull();
  });

  it("deleting the account removes every upload, rows and bytes", async () => {
    const email = `gone-${Date.now()}@example.com`;
    const u = await insertUser(email);
    const a = await uploadAs(u, PNG);
    const b = await uploadAs(u, MP3, "talk.mp3");
    await deleteAccount({ userUuid: u, confirm: email });
    expect(await getDb().select().from(uploads).where(eq(uploads.userUuid, u))).toEqual([]);
    for (const up of [a, b]) expect(await storage().head(`uploads/${up.id}`)).toBeNull();
    expect(await getDb().select().from(tasks).where(eq(tasks.userUuid, u))).toEqual([]);
  });
});
