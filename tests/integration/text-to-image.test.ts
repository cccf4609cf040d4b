// Text-to-image through the shared platform: the same creation, refunds, idempotency,
// rate limit, ownership and webhooks as text-to-video, with its own price and provider.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { credits } from "@/db/schema";
import { resetEnvCache } from "@/lib/env";
import { BadRequestError, ForbiddenError, InsufficientCreditsError, TooManyRequestsError } from "@/lib/http/errors";
import { verifyLedger } from "@/services/credits/verify";
import { IdempotencyKeyReusedError, createTask, getTaskForUser, handleProviderWebhook, sweepTasks } from "@/services/tasks";
import { textToImage } from "@/tasks/text-to-image";
import { demoImageFor, textToImageMock, textToImageReplicate } from "@/tasks/text-to-image/providers";
import fs from "node:fs";
import { storage } from "@/services/storage";
import { startFakeProvider, type FakeProvider } from "../support/fake-provider";
import { balanceOf, collector, ledgerCount, refundsOf, taskCount, userWith } from "../support/task-helpers";

const clock = { now: 1_700_000_000_000 };
const DELAY = 4_000;
const input = { prompt: "A lighthouse at dawn", size: "1024x1024" as const }; // costs 5
let fake: FakeProvider;

const create = (userUuid: string, body: unknown, bg = collector(), extra: { idempotencyKey?: string; provider?: string } = {}) =>
  createTask(textToImage, { userUuid, input: body, idempotencyKey: extra.idempotencyKey }, { background: bg.background, provider: extra.provider });

beforeAll(async () => {
  fake = await startFakeProvider();
  textToImage.providers.set(
    "replicate",
    textToImageReplicate({
      apiBase: fake.url,
      apiToken: fake.token,
      model: "black-forest-labs/flux-schnell",
      webhookUrl: "https://app.example/api/webhooks/replicate",
      webhookSecret: fake.webhookSecret,
    }),
  );
});

afterAll(async () => {
  textToImage.providers.set("replicate", undefined);
  textToImage.providers.set("mock", undefined);
  await fake.close();
});

beforeEach(() => {
  textToImage.providers.set("mock", textToImageMock({ delayMs: DELAY, now: () => clock.now }));
});

describe("text-to-image tasks", () => {
  it("debits 5 credits (task_text_to_image) with the row, then runs to the sample image", async () => {
    const u = await userWith(20);
    const bg = collector();
    const { task, created } = await create(u, input, bg);
    expect(created).toBe(true);
    expect(task).toMatchObject({ type: "text_to_image", status: "queued", creditsUsed: 5, provider: "mock" });
    expect(JSON.parse(task.userInput)).toEqual(input);
    const [debit] = await getDb().select().from(credits).where(eq(credits.transNo, task.creditsTransNo!));
    expect(debit).toMatchObject({ transType: "task_text_to_image", credits: -5, taskUuid: task.uuid });
    expect(await balanceOf(u)).toBe(15);
    await bg.settle();
    expect((await getTaskForUser(task.uuid, u)).status).toBe("running");
    clock.now += DELAY;
    const done = await getTaskForUser(task.uuid, u);
    expect(done).toMatchObject({ status: "succeeded", progress: 100, outputKey: `tasks/${task.uuid}/output`, outputUrl: null });
    expect(await storage().head(done.outputKey!)).toMatchObject({ contentType: "image/jpeg", bytes: fs.statSync(`public${demoImageFor(input)}`).size });
    expect((await create(u, { ...input, size: "512x512" })).task.creditsUsed).toBe(2);
    expect((await verifyLedger()).offences).toEqual([]);
  });

  it("bad input: 400 naming the field, nothing charged; 402 when the balance is short", async () => {
    const u = await userWith(4);
    const before = await ledgerCount(u);
    for (const [body, field] of [
      [{ ...input, prompt: "" }, "prompt"],
      [{ ...input, prompt: "x".repeat(1001) }, "prompt"],
      [{ ...input, size: "2048x2048" }, "size"],
    ] as const) {
      const error = await create(u, body).catch((e) => e);
      expect(error).toBeInstanceOf(BadRequestError);
      expect(error.field).toBe(field);
    }
    const short = await create(u, input).catch((e) => e);
    expect(short).toBeInstanceOf(InsufficientCreditsError);
    expect(short.details).toEqual({ balance: 4, required: 5 });
    expect(await taskCount(u)).toBe(0);
    expect(await ledgerCount(u)).toBe(before);
  });

  it("a mock:fail image fails half-way through the sweeper and is refunded once", async () => {
    const u = await userWith(10);
    const bg = collector();
    const { task } = await create(u, { ...input, prompt: "mock:fail" }, bg);
    await bg.settle();
    clock.now += DELAY / 2;
    await sweepTasks({ idleMs: 0 });
    const failed = await getTaskForUser(task.uuid, u, { refresh: false });
    expect(failed.status).toBe("failed");
    expect(failed.errorMessage).toContain("mock:fail");
    expect(await balanceOf(u)).toBe(10);
    expect(await refundsOf(task.uuid)).toBe(1);
  });

  it("Idempotency-Key: the same input replays, a different one is 422; ownership is checked", async () => {
    const u = await userWith(20);
    const first = await create(u, input, collector(), { idempotencyKey: "img" });
    const again = await create(u, { ...input, prompt: ` ${input.prompt}` }, collector(), { idempotencyKey: "img" });
    expect(again).toMatchObject({ created: false, task: { uuid: first.task.uuid } });
    await expect(create(u, { ...input, size: "512x512" }, collector(), { idempotencyKey: "img" })).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    expect(await balanceOf(u)).toBe(15);
    const other = await userWith(0);
    await expect(getTaskForUser(first.task.uuid, other)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("shares the per-user creation rate limit with every type", async () => {
    process.env.TASK_RATE_LIMIT_PER_MINUTE = "2";
    resetEnvCache();
    try {
      const u = await userWith(100);
      await create(u, input);
      await create(u, input);
      await expect(create(u, input)).rejects.toBeInstanceOf(TooManyRequestsError);
      expect(await taskCount(u)).toBe(2);
    } finally {
      delete process.env.TASK_RATE_LIMIT_PER_MINUTE;
      resetEnvCache();
    }
  });

  it("on Replicate: FLUX schnell gets its own inputs, and a signed webhook finishes the image task", async () => {
    const u = await userWith(20);
    const bg = collector();
    const { task } = await create(u, { ...input, size: "512x512" }, bg, { provider: "replicate" });
    await bg.settle();
    const req = fake.requests.find((r) => r.method === "POST" && r.path === "/v1/models/black-forest-labs/flux-schnell/predictions")!;
    expect(req.body).toMatchObject({
      input: { prompt: input.prompt, aspect_ratio: "1:1", megapixels: "0.25", num_outputs: 1, output_format: "png" },
      webhook: "https://app.example/api/webhooks/replicate",
    });
    const jobId = (await getTaskForUser(task.uuid, u, { refresh: false })).providerJobId!;
    const delivered = fake.serveFile(`${jobId}-0.png`, fs.readFileSync("tests/fixtures/image-512x512.png"), "image/png");
    fake.update(jobId, { status: "succeeded", output: [delivered] });
    const result = await handleProviderWebhook("replicate", fake.signedWebhook(jobId));
    expect(result.handled).toBe(true);
    expect(result.task).toMatchObject({ status: "succeeded", outputKey: `tasks/${task.uuid}/output`, outputUrl: null });
    expect(await storage().head(`tasks/${task.uuid}/output`)).toMatchObject({ contentType: "image/png" });
    expect(await balanceOf(u)).toBe(18);
  });
});
