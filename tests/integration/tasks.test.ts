import { and, count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { getDb, openPostgres } from "@/db";
import { credits, tasks, users } from "@/db/schema";
import { resetEnvCache } from "@/lib/env";
import { BadRequestError, ForbiddenError, InsufficientCreditsError, NotFoundError, TooManyRequestsError, UnauthorizedError } from "@/lib/http/errors";
import { demoVideoFor, textToVideoMock } from "@/tasks/text-to-video/providers";
import { pickDemoScene } from "@/services/ai/providers/demo-scenes";
import { textToVideoReplicate } from "@/tasks/text-to-video/providers";
import { ProviderError } from "@/services/ai/types";
import { textToVideo } from "@/tasks/text-to-video";
import { decreaseCredits, grantCredits } from "@/services/credits/ledger";
import { disableUser } from "@/services/accounts/sessions";
import { verifyLedger } from "@/services/credits/verify";
import {
  createTextToVideoTask,
  failTask,
  getLatestTask,
  getTaskForUser,
  handleProviderWebhook,
  IdempotencyKeyReusedError,
  listTasks,
  sweepTasks,
} from "@/services/tasks";
import { startFakeProvider, type FakeProvider } from "../support/fake-provider";
import { balanceOf, collector, ledgerCount, refundsOf, taskCount, userWith } from "../support/task-helpers";
import { testDb } from "../support/setup-db";
import fs from "node:fs";
import { storage } from "@/services/storage";
import { toTaskDto } from "@/services/tasks";
import { noFiles } from "../support/submit-context";

const isPostgres = process.env.TEST_DB_KIND === "postgres";
const input = { prompt: "Astronaut surfing", seconds: 8, aspectRatio: "landscape" as const }; // costs 16

// The mock provider on a clock the tests move.
const clock = { now: 1_700_000_000_000 };
const MOCK_DELAY = 10_000;

let fake: FakeProvider;

beforeAll(async () => {
  fake = await startFakeProvider();
  textToVideo.providers.set(
    "replicate",
    textToVideoReplicate({
      apiBase: fake.url,
      apiToken: fake.token,
      model: "bytedance/seedance-1-lite",
      webhookUrl: "https://app.example/api/webhooks/replicate",
      webhookSecret: fake.webhookSecret,
    }),
  );
});

afterAll(async () => {
  textToVideo.providers.set("replicate", undefined);
  textToVideo.providers.set("mock", undefined);
  await fake.close();
});

beforeEach(() => {
  textToVideo.providers.set("mock", textToVideoMock({ delayMs: MOCK_DELAY, now: () => clock.now }));
});

describe("creating a task", () => {
  it("debits and inserts in one go, returns at once, then hands the job to the provider", async () => {
    const u = await userWith(100);
    const bg = collector();
    const { task, created } = await createTextToVideoTask({ userUuid: u, ...input }, { background: bg.background });
    expect(created).toBe(true);
    expect(task).toMatchObject({ status: "queued", type: "text_to_video", creditsUsed: 16, provider: "mock", progress: 0 });
    expect(JSON.parse(task.userInput)).toEqual(input);
    const [debit] = await getDb().select().from(credits).where(eq(credits.transNo, task.creditsTransNo!));
    expect(debit).toMatchObject({ userUuid: u, transType: "task_text_to_video", credits: -16, taskUuid: task.uuid });
    expect(await balanceOf(u)).toBe(84);

    await bg.settle();
    const running = await getTaskForUser(task.uuid, u);
    expect(running.status).toBe("running");
    expect(running.providerJobId).toMatch(/^mock_/);
    expect(running.startedAt).toBeInstanceOf(Date);
  });

  it("402 with too few credits: no task, nothing debited", async () => {
    const u = await userWith(15);
    const before = await ledgerCount(u);
    const bg = collector();
    const error = await createTextToVideoTask({ userUuid: u, ...input }, { background: bg.background }).catch((e) => e);
    expect(error).toBeInstanceOf(InsufficientCreditsError);
    expect(error.status).toBe(402);
    expect(error.message).toBe("insufficient credits");
    expect(error.details).toEqual({ balance: 15, required: 16 });
    expect(await taskCount(u)).toBe(0);
    expect(await ledgerCount(u)).toBe(before);
    expect(await balanceOf(u)).toBe(15);
    await bg.settle();
  });

  it("404 for a user that no longer exists (a session outliving its account): nothing written", async () => {
    const bg = collector();
    const error = await createTextToVideoTask({ userUuid: "no-such-user", ...input }, { background: bg.background }).catch((e) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.status).toBe(404);
    expect(await taskCount("no-such-user")).toBe(0);
    expect(await ledgerCount("no-such-user")).toBe(0);
    await bg.settle();
  });

  it("401 for a disabled or deleted account whose session another instance still holds as active: nothing written", async () => {
    const u = await userWith(100);
    await disableUser(u);
    const before = await ledgerCount(u);
    const bg = collector();
    const error = await createTextToVideoTask({ userUuid: u, ...input }, { background: bg.background }).catch((e) => e);
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error.status).toBe(401);
    expect(await taskCount(u)).toBe(0);
    expect(await ledgerCount(u)).toBe(before);
    expect(await balanceOf(u)).toBe(100);
    await bg.settle();
    // Only tasks are refused: an operator can still deduct from a disabled account.
    await decreaseCredits({ userUuid: u, credits: 10, transType: "system_deduct" });
    expect(await balanceOf(u)).toBe(90);
  });

  it("bad inputs: 400 naming the field, nothing charged, no task", async () => {
    const u = await userWith(100);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ prompt: "" }, "prompt"],
      [{ prompt: " ".repeat(10) }, "prompt"],
      [{ prompt: "x".repeat(2001) }, "prompt"],
      [{ seconds: 1.5 }, "seconds"],
      [{ seconds: -3 }, "seconds"],
      [{ seconds: Number.NaN }, "seconds"],
      [{ seconds: 11 }, "seconds"],
      [{ aspectRatio: "ultrawide" }, "aspectRatio"],
      [{ prompt: 7 }, "prompt"],
    ];
    for (const [patch, field] of cases) {
      const error = await createTextToVideoTask({ userUuid: u, ...input, ...patch } as never).catch((e) => e);
      expect(error, JSON.stringify(patch)).toBeInstanceOf(BadRequestError);
      expect(error.field).toBe(field);
    }
    const badKey = await createTextToVideoTask({ userUuid: u, ...input, idempotencyKey: "has spaces" }).catch((e) => e);
    expect(badKey).toBeInstanceOf(BadRequestError);
    expect(await taskCount(u)).toBe(0);
    expect(await balanceOf(u)).toBe(100);
  });

  it("is rate-limited per user (TASK_RATE_LIMIT_PER_MINUTE)", async () => {
    process.env.TASK_RATE_LIMIT_PER_MINUTE = "2";
    resetEnvCache();
    try {
      const u = await userWith(100);
      const other = await userWith(100);
      const bg = collector();
      await createTextToVideoTask({ userUuid: u, ...input }, { background: bg.background });
      await createTextToVideoTask({ userUuid: u, ...input }, { background: bg.background });
      await expect(createTextToVideoTask({ userUuid: u, ...input }, { background: bg.background })).rejects.toBeInstanceOf(TooManyRequestsError);
      expect(await taskCount(u)).toBe(2);
      expect(await balanceOf(u)).toBe(100 - 32);
      // Another user is not affected.
      await createTextToVideoTask({ userUuid: other, ...input }, { background: bg.background });
      await bg.settle();
      // The check and the debit are one statement: a creation refused for credits is not counted.
      const poor = await userWith(20);
      await createTextToVideoTask({ userUuid: poor, ...input }, { background: bg.background });
      await expect(createTextToVideoTask({ userUuid: poor, ...input }, { background: bg.background })).rejects.toBeInstanceOf(InsufficientCreditsError);
      await grantCredits({ userUuid: poor, credits: 100, transType: "system_add" });
      await createTextToVideoTask({ userUuid: poor, ...input }, { background: bg.background });
      expect(await taskCount(poor)).toBe(2);
      await bg.settle();
    } finally {
      delete process.env.TASK_RATE_LIMIT_PER_MINUTE;
      resetEnvCache();
    }
  });

  it("an Idempotency-Key repeated returns the first task and charges once", async () => {
    const u = await userWith(100);
    const bg = collector();
    const first = await createTextToVideoTask({ userUuid: u, ...input, idempotencyKey: "k-1" }, { background: bg.background });
    // The same request again (the prompt's surrounding spaces are not part of it).
    const again = await createTextToVideoTask({ userUuid: u, ...input, prompt: ` ${input.prompt} `, idempotencyKey: "k-1" }, { background: bg.background });
    expect(again.created).toBe(false);
    expect(again.task.uuid).toBe(first.task.uuid);
    expect(await balanceOf(u)).toBe(84);
    // The key with a different body is refused (422, like Stripe), nothing charged or written.
    const reused = await createTextToVideoTask({ userUuid: u, ...input, seconds: 3, idempotencyKey: "k-1" }, { background: bg.background }).catch((e) => e);
    expect(reused).toBeInstanceOf(IdempotencyKeyReusedError);
    expect(reused.status).toBe(422);
    expect(await balanceOf(u)).toBe(84);
    expect(await taskCount(u)).toBe(1);
    // The same key for another user is a different task.
    const v = await userWith(100);
    const theirs = await createTextToVideoTask({ userUuid: v, ...input, idempotencyKey: "k-1" }, { background: bg.background });
    expect(theirs.created).toBe(true);
    expect(theirs.task.uuid).not.toBe(first.task.uuid);
    await bg.settle();
  });
});

describe("lifecycle with the mock provider", () => {
  it("tasks created together all start, each with its own job (their starts share UPDATEs)", async () => {
    const u = await userWith(1000);
    const bg = collector();
    const created = await Promise.all(
      Array.from({ length: 30 }, () => createTextToVideoTask({ userUuid: u, ...input }, { background: bg.background })),
    );
    await bg.settle();
    const rows = await getDb().select().from(tasks).where(eq(tasks.userUuid, u));
    expect(rows).toHaveLength(30);
    expect(rows.every((t) => t.status === "running" && t.startedAt instanceof Date && /^mock_/.test(t.providerJobId ?? ""))).toBe(true);
    expect(new Set(rows.map((t) => t.providerJobId)).size).toBe(30);
    expect(new Set(rows.map((t) => t.uuid))).toEqual(new Set(created.map((c) => c.task.uuid)));
    expect(await balanceOf(u)).toBe(1000 - 30 * 16);
  });

  it("queued -> running -> succeeded with growing progress and the sample video", async () => {
    const u = await userWith(100);
    const bg = collector();
    const { task } = await createTextToVideoTask({ userUuid: u, ...input, aspectRatio: "square" }, { background: bg.background });
    await bg.settle();
    clock.now += MOCK_DELAY * 0.4;
    const mid = await getTaskForUser(task.uuid, u);
    expect(mid.status).toBe("running");
    expect(mid.progress).toBe(40);
    clock.now += MOCK_DELAY;
    const done = await getTaskForUser(task.uuid, u);
    // The sample went through storage like any output: the task keeps the key, never the sample's path.
    expect(done).toMatchObject({ status: "succeeded", progress: 100, outputKey: `tasks/${task.uuid}/output`, outputUrl: null, errorMessage: null, errorCode: null });
    // The demo clip of the prompt's scene, in the task's aspect ratio and length.
    const clip = demoVideoFor({ ...input, aspectRatio: "square" });
    expect(clip).toBe(`/demo/video/${pickDemoScene(input.prompt)}-square-${input.seconds}s.mp4`);
    expect(await storage().head(done.outputKey!)).toMatchObject({ contentType: "video/mp4", bytes: fs.statSync(`public${clip}`).size });
    expect(JSON.parse(done.outputJson!)).toMatchObject({ outputUrl: clip });
    expect((await toTaskDto(done, u)).outputUrl).toMatch(new RegExp(`/api/storage/tasks/${task.uuid}/output\\?exp=\\d+&sig=`));
    expect(done.completedAt).toBeInstanceOf(Date);
    expect(JSON.parse(done.outputJson!)).toMatchObject({ providerOutput: { provider: "mock" } });
    expect(await balanceOf(u)).toBe(100 - 16);
    expect(await refundsOf(task.uuid)).toBe(0);
    // Finished tasks stay finished: a late failure changes nothing.
    expect(await failTask(task.uuid, "late")).toBeNull();
    expect((await getTaskForUser(task.uuid, u)).status).toBe("succeeded");
  });

  it("mock:fail fails the task and refunds its credits exactly once", async () => {
    const u = await userWith(100);
    const bg = collector();
    const { task } = await createTextToVideoTask({ userUuid: u, ...input, prompt: "surf mock:fail" }, { background: bg.background });
    await bg.settle();
    expect(await balanceOf(u)).toBe(84);
    clock.now += MOCK_DELAY;
    const failed = await getTaskForUser(task.uuid, u);
    expect(failed.status).toBe("failed");
    expect(failed.errorMessage).toContain("mock:fail");
    expect(failed.refundTransNo).toBeTruthy();
    expect(await balanceOf(u)).toBe(100);
    // Polling again, a sweep, or another failure do not refund again.
    await getTaskForUser(task.uuid, u);
    await sweepTasks({ idleMs: 0 });
    expect(await failTask(task.uuid, "again")).toBeNull();
    expect(await refundsOf(task.uuid)).toBe(1);
    expect(await balanceOf(u)).toBe(100);
    expect((await verifyLedger()).offences).toEqual([]);
  });

  it("owner only: 403 for someone else, 404 when missing; latest and list", async () => {
    const u = await userWith(100);
    const stranger = await userWith(0);
    const bg = collector();
    const a = await createTextToVideoTask({ userUuid: u, ...input, seconds: 2 }, { background: bg.background });
    const b = await createTextToVideoTask({ userUuid: u, ...input, seconds: 3 }, { background: bg.background });
    await bg.settle();
    await expect(getTaskForUser(a.task.uuid, stranger)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(getTaskForUser("no-such-task", u)).rejects.toBeInstanceOf(NotFoundError);
    expect((await getLatestTask(u))?.uuid).toBe(b.task.uuid);
    expect(await getLatestTask(stranger)).toBeNull();
    const page1 = await listTasks(u, { page: 1, pageSize: 1 });
    expect(page1.items.map((t) => t.uuid)).toEqual([b.task.uuid]);
    expect(page1.hasMore).toBe(true);
    const page2 = await listTasks(u, { page: 2, pageSize: 1 });
    expect(page2.items.map((t) => t.uuid)).toEqual([a.task.uuid]);
    expect(page2.hasMore).toBe(false);
    expect((await listTasks(stranger)).items).toEqual([]);
    await expect(listTasks(u, { page: 0 })).rejects.toBeInstanceOf(BadRequestError);
  });
});

describe("the Replicate adapter against a fake Replicate", () => {
  it("creates a prediction with the documented request and follows it to success", async () => {
    const u = await userWith(100);
    const bg = collector();
    const { task } = await createTextToVideoTask({ userUuid: u, ...input, aspectRatio: "portrait" }, { background: bg.background, provider: "replicate" });
    await bg.settle();
    const create = fake.requests.find((r) => r.method === "POST")!;
    expect(create.path).toBe("/v1/models/bytedance/seedance-1-lite/predictions");
    expect(create.authorization).toBe(`Bearer ${fake.token}`);
    expect(create.body).toEqual({
      input: { prompt: "Astronaut surfing", duration: 8, aspect_ratio: "9:16", resolution: "720p" },
      webhook: "https://app.example/api/webhooks/replicate",
      webhook_events_filter: ["start", "completed"],
    });
    const running = await getTaskForUser(task.uuid, u);
    expect(running).toMatchObject({ status: "running", provider: "replicate" });
    const predictionId = running.providerJobId!;
    expect(fake.predictions.has(predictionId)).toBe(true);

    fake.update(predictionId, { status: "processing", logs: "37%|███" });
    expect((await getTaskForUser(task.uuid, u)).progress).toBe(37);
    const delivered = fake.serveFile(`${predictionId}.mp4`, fs.readFileSync("public/demo/video/ocean-portrait-3s.mp4"), "video/mp4");
    fake.update(predictionId, { status: "succeeded", output: delivered });
    const done = await getTaskForUser(task.uuid, u);
    expect(done).toMatchObject({ status: "succeeded", outputKey: `tasks/${task.uuid}/output`, outputUrl: null, progress: 100 });
    // The provider's URL stays for operators only.
    expect(JSON.parse(done.outputJson!)).toMatchObject({ outputUrl: delivered });
    expect(await storage().head(done.outputKey!)).toMatchObject({ contentType: "video/mp4" });
    expect(fake.requests.some((r) => r.method === "GET" && r.path === `/v1/predictions/${predictionId}`)).toBe(true);
  });

  it("uses /v1/predictions with the version for owner/name:version models, and reports API errors", async () => {
    const p = textToVideoReplicate({ apiBase: fake.url, apiToken: fake.token, model: "acme/video:abc123" });
    const { jobId } = await p.submit(input, noFiles("t"));
    const req = fake.requests.at(-1)!;
    expect(req.path).toBe("/v1/predictions");
    expect(req.body).toMatchObject({ version: "abc123", input: { prompt: "Astronaut surfing" } });
    expect(req.body).not.toHaveProperty("webhook");
    expect(fake.predictions.get(jobId)?.status).toBe("starting");

    const wrongToken = textToVideoReplicate({ apiBase: fake.url, apiToken: "nope", model: "a/b" });
    await expect(wrongToken.submit(input, noFiles("t"))).rejects.toThrow(/HTTP 401/);
    await expect(p.fetchStatus("missing")).rejects.toBeInstanceOf(ProviderError);
    const noToken = textToVideoReplicate({ apiBase: fake.url, model: "a/b" });
    await expect(noToken.submit(input, noFiles("t"))).rejects.toThrow(/REPLICATE_API_TOKEN/);
  });

  it("a rejected submission fails the task and refunds it", async () => {
    const u = await userWith(100);
    const bg = collector();
    fake.failNextCreate(422, "Invalid input: duration");
    const { task } = await createTextToVideoTask({ userUuid: u, ...input }, { background: bg.background, provider: "replicate" });
    await bg.settle();
    const failed = await getTaskForUser(task.uuid, u);
    expect(failed.status).toBe("failed");
    expect(failed.errorMessage).toContain("Invalid input: duration");
    expect(failed.errorCode).toBe("internal");
    expect(await balanceOf(u)).toBe(100);
    expect(await refundsOf(task.uuid)).toBe(1);
  });

  it("a signed webhook finishes the task; forged, stale or unsigned ones change nothing", async () => {
    const u = await userWith(100);
    const bg = collector();
    const { task } = await createTextToVideoTask({ userUuid: u, ...input }, { background: bg.background, provider: "replicate" });
    await bg.settle();
    const jobId = (await getTaskForUser(task.uuid, u, { refresh: false })).providerJobId!;
    fake.update(jobId, { status: "failed", error: "model crashed" });

    const forged = fake.signedWebhook(jobId, { secret: `whsec_${Buffer.from("attacker-key-attacker-key").toString("base64")}` });
    await expect(handleProviderWebhook("replicate", forged)).rejects.toBeInstanceOf(UnauthorizedError);
    const stale = fake.signedWebhook(jobId, { timestamp: Math.floor(Date.now() / 1000) - 10 * 60 });
    await expect(handleProviderWebhook("replicate", stale)).rejects.toBeInstanceOf(UnauthorizedError);
    const tampered = fake.signedWebhook(jobId);
    await expect(handleProviderWebhook("replicate", { ...tampered, body: tampered.body.replace("failed", "succeeded") })).rejects.toBeInstanceOf(
      UnauthorizedError,
    );
    await expect(handleProviderWebhook("replicate", { headers: new Headers(), body: tampered.body })).rejects.toBeInstanceOf(BadRequestError);
    const unchanged = await getTaskForUser(task.uuid, u, { refresh: false });
    expect(unchanged.status).toBe("running");
    expect(await balanceOf(u)).toBe(84);

    const result = await handleProviderWebhook("replicate", fake.signedWebhook(jobId));
    expect(result.handled).toBe(true);
    expect(result.task).toMatchObject({ status: "failed", errorMessage: "model crashed", errorCode: "internal" });
    // Users read the code's message, never the provider's text.
    expect(await toTaskDto(result.task!, u, { locale: "zh" })).toMatchObject({ errorCode: "internal", errorMessage: expect.not.stringContaining("crashed") });
    expect(await balanceOf(u)).toBe(100);
    // Replicate retries deliveries: a replay refunds nothing more.
    await handleProviderWebhook("replicate", fake.signedWebhook(jobId));
    expect(await refundsOf(task.uuid)).toBe(1);

    // A valid webhook for a prediction we do not know is acknowledged and ignored.
    const stray = await textToVideoReplicate({ apiBase: fake.url, apiToken: fake.token, model: "a/b" }).submit(input, noFiles("x"));
    expect(await handleProviderWebhook("replicate", fake.signedWebhook(stray.jobId))).toEqual({ handled: false, task: null });
  });
});

// Two finishers (a webhook and a poll, or two of either) racing on the same task.
// On PostgreSQL each runs on its own connection, so the race is real.
describe("finishing races refund exactly once", () => {
  let pool: ReturnType<typeof openPostgres> | null = null;
  beforeAll(() => {
    pool = isPostgres ? openPostgres(testDb().url!, { max: 20 }) : null;
  });
  afterAll(async () => {
    await pool?.close();
  });

  it("webhook and poll finish a failed Replicate job at the same moment", async () => {
    const u = await userWith(500);
    const bg = collector();
    const created = [];
    for (let i = 0; i < 8; i++) {
      created.push((await createTextToVideoTask({ userUuid: u, ...input, seconds: 2 }, { background: bg.background, provider: "replicate" })).task);
    }
    await bg.settle();
    const rows = await getDb().select().from(tasks).where(eq(tasks.userUuid, u));
    for (const row of rows) fake.update(row.providerJobId!, { status: "failed", error: "boom" });
    const other = pool?.db ?? getDb();
    await Promise.all(
      rows.flatMap((row) => [
        handleProviderWebhook("replicate", fake.signedWebhook(row.providerJobId!), other),
        getTaskForUser(row.uuid, u),
        handleProviderWebhook("replicate", fake.signedWebhook(row.providerJobId!)),
        getTaskForUser(row.uuid, u, { db: other }),
      ]),
    );
    for (const t of created) expect(await refundsOf(t.uuid)).toBe(1);
    expect(await balanceOf(u)).toBe(500);
    expect((await verifyLedger()).offences).toEqual([]);
  });

  it("many concurrent failTask calls on one task: one transition, one refund", async () => {
    const u = await userWith(100);
    const bg = collector();
    const { task } = await createTextToVideoTask({ userUuid: u, ...input }, { background: bg.background });
    await bg.settle();
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => failTask(task.uuid, `finisher ${i}`, i % 2 && pool ? pool.db : getDb())),
    );
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    expect(await refundsOf(task.uuid)).toBe(1);
    expect(await balanceOf(u)).toBe(100);
  });
});

describe.runIf(isPostgres)("creation under real concurrency (PostgreSQL)", () => {
  it("20 concurrent requests with one Idempotency-Key: one task, one debit", async () => {
    const pool = openPostgres(testDb().url!, { max: 25 });
    try {
      const u = await userWith(100);
      const bg = collector();
      const results = await Promise.all(
        Array.from({ length: 20 }, () =>
          createTextToVideoTask({ userUuid: u, ...input, idempotencyKey: "double-click" }, { db: pool.db, background: bg.background }),
        ),
      );
      await bg.settle();
      expect(new Set(results.map((r) => r.task.uuid)).size).toBe(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(await taskCount(u)).toBe(1);
      const debits = await getDb()
        .select({ n: count() })
        .from(credits)
        .where(and(eq(credits.userUuid, u), eq(credits.transType, "task_text_to_video")));
      expect(debits[0].n).toBe(1);
      expect(await balanceOf(u)).toBe(84);
    } finally {
      await pool.close();
    }
  });

  it.each([
    ["the balance pays for exactly one task", 16, undefined],
    ["the rate limit allows one more creation", 100, "1"],
  ])("concurrent repeats of one key when %s: every one gets the first task, none a 402 or 429", async (_, balance, limit) => {
    if (limit) process.env.TASK_RATE_LIMIT_PER_MINUTE = limit;
    resetEnvCache();
    const pool = openPostgres(testDb().url!, { max: 25 });
    try {
      const u = await userWith(balance);
      const bg = collector();
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          createTextToVideoTask({ userUuid: u, ...input, idempotencyKey: "retry" }, { db: pool.db, background: bg.background }),
        ),
      );
      await bg.settle();
      expect(new Set(results.map((r) => r.task.uuid)).size).toBe(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(await balanceOf(u)).toBe(balance - 16);
    } finally {
      await pool.close();
      delete process.env.TASK_RATE_LIMIT_PER_MINUTE;
      resetEnvCache();
    }
  });

  it("a task whose debit waits on the account being disabled is refused once that commits: 401, nothing charged", async () => {
    const pool = openPostgres(testDb().url!, { max: 2 });
    try {
      const u = await userWith(100);
      const before = await ledgerCount(u);
      const bg = collector();
      let outcome: Promise<unknown> | undefined;
      // Disabling, as the admin console and account deletion do it: lock the user's row,
      // set disabled_at, commit. The task's debit (another connection) waits on that lock.
      await pool.db.transaction(async (tx) => {
        await tx.select({ id: users.id }).from(users).where(eq(users.id, u)).for("update");
        outcome = createTextToVideoTask({ userUuid: u, ...input }, { background: bg.background }).catch((e) => e);
        // Read on the pool's other connection, one statement at a time: inside `tx` PostgreSQL
        // would show the first read's pg_stat_activity snapshot for the rest of the transaction,
        // so a first read taken before the debit started waiting would never see it.
        await vi.waitFor(
          async () => {
            const waiting = await pool.db.execute(
              sql`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%credits_debit%'`,
            );
            expect(waiting.length).toBe(1);
          },
          { timeout: 10_000, interval: 20 },
        );
        await disableUser(u, tx);
      });
      const error = await outcome;
      expect(error).toBeInstanceOf(UnauthorizedError);
      expect(await taskCount(u)).toBe(0);
      expect(await ledgerCount(u)).toBe(before);
      expect(await balanceOf(u)).toBe(100);
      await bg.settle();
    } finally {
      await pool.close();
    }
  });

  it("concurrent requests racing for the last credits: only what the balance covers is created", async () => {
    const pool = openPostgres(testDb().url!, { max: 25 });
    try {
      const u = await userWith(50); // three tasks of 16
      const bg = collector();
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, () => createTextToVideoTask({ userUuid: u, ...input }, { db: pool.db, background: bg.background })),
      );
      await bg.settle();
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
      for (const r of results.filter((r) => r.status === "rejected")) {
        expect((r as PromiseRejectedResult).reason).toBeInstanceOf(InsufficientCreditsError);
      }
      expect(await taskCount(u)).toBe(3);
      expect(await balanceOf(u)).toBe(2);
    } finally {
      await pool.close();
    }
  });
});
