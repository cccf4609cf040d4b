// Outputs the product owns (docs/tasks.md "Outputs"): every result is copied into
// storage before the task succeeds; providers are safe to pay for (cancel on timeout,
// bounded submit retries); failures carry stable codes. Against a fake Replicate
// serving real HTTP, on PGlite and PostgreSQL.
import fs from "node:fs";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { getDb } from "@/db";
import { tasks } from "@/db/schema";
import { createReplicateProvider } from "@/services/ai/providers/replicate";
import { storage } from "@/services/storage";
import {
  createTask,
  createTextToVideoTask,
  defineTaskType,
  deleteTaskOutputs,
  getTask,
  getTaskForUser,
  refreshTask,
  registerTaskType,
  sweepTasks,
  toTaskDto,
} from "@/services/tasks";
import { textToVideo } from "@/tasks/text-to-video";
import { textToVideoReplicate } from "@/tasks/text-to-video/providers";
import { startFakeProvider, type FakeProvider } from "../support/fake-provider";
import { balanceOf, collector, refundsOf, userWith } from "../support/task-helpers";

const input = { prompt: "A lighthouse at dusk", seconds: 4, aspectRatio: "landscape" as const }; // costs 8
const VIDEO = fs.readFileSync("public/demo/video/aurora-landscape-3s.mp4");
const PNG = fs.readFileSync("tests/fixtures/image-512x512.png");

let fake: FakeProvider;

// A type whose stored outputs are capped at 1 KB, to try the size cap with a real PNG.
const tinyPicture = defineTaskType({
  type: "test_tiny_picture",
  slug: "test-tiny-picture",
  transType: "task_test_tiny_picture",
  outputKind: "image",
  maxOutputBytes: 1024,
  input: z.object({ prompt: z.string().min(1) }),
  cost: () => 3,
  pricing: { summary: "3 credits", minCredits: 3, maxCredits: 3, examples: [{ prompt: "x" }] },
  defaultInput: { prompt: "" },
  providers: {
    replicate: {
      create: () => createReplicateProvider<{ prompt: string }>({ apiBase: fake.url, apiToken: fake.token, model: "acme/pic", input: (i) => i }),
    },
  },
  labels: { en: { name: "Tiny", ledger: "Tiny", description: "Tiny." }, zh: { name: "小图", ledger: "小图", description: "小图。" } },
});

beforeAll(async () => {
  fake = await startFakeProvider();
  textToVideo.providers.set(
    "replicate",
    textToVideoReplicate({ apiBase: fake.url, apiToken: fake.token, model: "bytedance/seedance-1-lite", submitRetry: { baseDelayMs: 10 } }),
  );
  registerTaskType(tinyPicture);
});

afterAll(async () => {
  textToVideo.providers.set("replicate", undefined);
  await fake.close();
});

async function startVideo(u: string) {
  const bg = collector();
  const { task } = await createTextToVideoTask({ userUuid: u, ...input }, { background: bg.background, provider: "replicate" });
  await bg.settle();
  const row = (await getTask(task.uuid))!;
  expect(row.status).toBe("running");
  return row;
}

describe("outputs are copied into storage before the task succeeds", () => {
  it("a provider URL that stops answering after the task finished: the output still reads from storage", async () => {
    const u = await userWith(100);
    const row = await startVideo(u);
    const url = fake.serveFile(`${row.providerJobId}.mp4`, VIDEO, "video/mp4");
    fake.update(row.providerJobId!, { status: "succeeded", output: url });
    const done = await getTaskForUser(row.uuid, u);
    expect(done).toMatchObject({ status: "succeeded", outputKey: `tasks/${row.uuid}/output`, errorCode: null });
    fake.dropFile(`${row.providerJobId}.mp4`);
    expect((await fetch(url)).status).toBe(404);
    expect(await storage().head(done.outputKey!)).toEqual({ key: done.outputKey, contentType: "video/mp4", bytes: VIDEO.length });
    // Owner only: a signed URL for the owner, none for anyone else.
    expect((await toTaskDto(done, u)).outputUrl).toContain(`/api/storage/tasks/${row.uuid}/output?exp=`);
    expect((await toTaskDto(done, await userWith(0))).outputUrl).toBeNull();
    expect(await balanceOf(u)).toBe(92);

    // Deleting the user's outputs removes the objects and forgets the keys.
    expect(await deleteTaskOutputs(u)).toBe(1);
    expect(await storage().head(done.outputKey!)).toBeNull();
    expect((await getTask(row.uuid))!.outputKey).toBeNull();
  });

  it("HTML where a video is expected: failed invalid_output, refunded once, nothing stored", async () => {
    const u = await userWith(100);
    const row = await startVideo(u);
    const url = fake.serveFile(`${row.providerJobId}.html`, Buffer.from("<!doctype html><p>not a video</p>"), "text/html");
    fake.update(row.providerJobId!, { status: "succeeded", output: url });
    const [a, b] = await Promise.all([getTaskForUser(row.uuid, u), getTaskForUser(row.uuid, u)]);
    for (const t of [a, b]) expect(t).toMatchObject({ status: "failed", errorCode: "invalid_output", outputKey: null });
    expect(await refundsOf(row.uuid)).toBe(1);
    expect(await balanceOf(u)).toBe(100);
    expect(await storage().head(`tasks/${row.uuid}/output`)).toBeNull();
    const dto = await toTaskDto(a, u);
    expect(dto).toMatchObject({ errorCode: "invalid_output", outputUrl: null });
    expect(dto.errorMessage).not.toMatch(/html|content type/i);
  });

  it("an output over the type's size cap: failed invalid_output, refunded once, nothing stored", async () => {
    const u = await userWith(10);
    const bg = collector();
    const { task } = await createTask(tinyPicture, { userUuid: u, input: { prompt: "big" } }, { background: bg.background });
    await bg.settle();
    const jobId = (await getTask(task.uuid))!.providerJobId!;
    fake.update(jobId, { status: "succeeded", output: [fake.serveFile(`${jobId}.png`, PNG, "image/png")] });
    const failed = await getTaskForUser(task.uuid, u);
    expect(failed).toMatchObject({ status: "failed", errorCode: "invalid_output" });
    await getTaskForUser(task.uuid, u);
    expect(await refundsOf(task.uuid)).toBe(1);
    expect(await balanceOf(u)).toBe(10);
    expect(await storage().head(`tasks/${task.uuid}/output`)).toBeNull();
  });
});

describe("providers that are safe to pay for", () => {
  it("timeout: the task fails timed_out, is refunded once, and its prediction is cancelled exactly once", async () => {
    const u = await userWith(100);
    const row = await startVideo(u);
    await Promise.all([refreshTask(row, { timeoutMs: 0 }), refreshTask(row, { timeoutMs: 0 }), sweepTasks({ idleMs: 0, timeoutMs: 0 })]);
    const failed = (await getTask(row.uuid))!;
    expect(failed).toMatchObject({ status: "failed", errorCode: "timed_out" });
    expect(fake.cancels.filter((id) => id === row.providerJobId)).toHaveLength(1);
    expect(fake.predictions.get(row.providerJobId!)!.status).toBe("canceled");
    expect(await refundsOf(row.uuid)).toBe(1);

    // A late success of the failed task changes nothing.
    fake.update(row.providerJobId!, { status: "succeeded", output: fake.serveFile("late.mp4", VIDEO, "video/mp4") });
    const [again] = await getDb().select().from(tasks).where(eq(tasks.uuid, row.uuid));
    expect(await refreshTask(again, { timeoutMs: 0 })).toMatchObject({ status: "failed", outputKey: null });
    expect(await storage().head(`tasks/${row.uuid}/output`)).toBeNull();
    expect(await refundsOf(row.uuid)).toBe(1);
  });

  it("429 with Retry-After, then success: one prediction, the task runs", async () => {
    const u = await userWith(100);
    const before = fake.predictions.size;
    const posts = fake.requests.filter((r) => r.method === "POST").length;
    fake.failNextCreate(429, "Request was throttled.", { retryAfter: 0 });
    const row = await startVideo(u);
    expect(fake.predictions.size).toBe(before + 1);
    expect(fake.requests.filter((r) => r.method === "POST").length).toBe(posts + 2);
    expect(row.providerJobId).toBe([...fake.predictions.keys()].at(-1));
  });

  it("a provider failure is stored as its stable code; the raw text stays for operators", async () => {
    const u = await userWith(100);
    const row = await startVideo(u);
    fake.update(row.providerJobId!, { status: "failed", error: "NSFW content detected in the prompt" });
    const failed = await getTaskForUser(row.uuid, u);
    expect(failed).toMatchObject({ status: "failed", errorCode: "content_rejected" });
    expect(failed.outputJson).toContain("NSFW content detected");
    const zh = await toTaskDto(failed, u, { locale: "zh" });
    expect(zh.errorCode).toBe("content_rejected");
    expect(zh.errorMessage).not.toContain("NSFW");
    expect(zh.errorMessage).toMatch(/[\u4e00-\u9fff]/);
  });
});
