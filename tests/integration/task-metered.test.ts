// A metered task type, defined in the test only: creation holds the most a task can cost,
// success settles what the provider's reported usage costs (in the transaction that moves
// it to succeeded), failure and timeout release the hold. Nothing is charged twice.
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { getDb, openPostgres } from "@/db";
import { creditHolds, credits, tasks } from "@/db/schema";
import { createMockProvider } from "@/services/ai/providers/mock";
import { expireHolds, getHold } from "@/services/credits/holds";
import { getUserCredits } from "@/services/credits/ledger";
import { verifyLedger } from "@/services/credits/verify";
import { createTask, defineTaskType, getTaskForUser, registerTaskType, sweepTasks, toTaskDto } from "@/services/tasks";
import { describeTaskType } from "@/services/tasks/catalog";
import { startFakeProvider, type FakeProvider } from "../support/fake-provider";
import { testDb } from "../support/setup-db";
import { collector, ledgerCount, userWith } from "../support/task-helpers";

const clock = { now: 1_900_000_000_000 };

// The transcript the mock returns is served over HTTP (a provider's delivery URL) and stored like any output.
let fake: FakeProvider;
let transcriptSample = "";

// Speech: up to `seconds` of audio, 2 credits per second the provider actually produced
// (reported as usage), rounded up; the mock reports 40% of what was asked.
const speech = defineTaskType({
  type: "test_speech",
  slug: "test-speech",
  transType: "task_test_speech",
  outputKind: "text",
  input: z.object({ prompt: z.string().trim().min(1).max(500), seconds: z.number().int().min(1).max(30) }),
  metered: {
    maxCost: (input) => input.seconds * 2,
    costFromUsage: (usage, input) => (usage?.seconds === undefined ? input.seconds * 2 : usage.seconds * 2),
  },
  pricing: { summary: "2 credits per second produced", minCredits: 0, maxCredits: 60, examples: [{ prompt: "hi", seconds: 10 }] },
  defaultInput: { prompt: "", seconds: 5 },
  providers: {
    mock: {
      create: () =>
        createMockProvider<{ prompt: string; seconds: number }>({
          delayMs: 2_000,
          samples: [transcriptSample],
          usage: (input) => ({ seconds: input.seconds * 0.4 }),
          now: () => clock.now,
        }),
    },
  },
  labels: {
    en: { name: "Speech", ledger: "Speech", description: "Reads it out." },
    zh: { name: "语音", ledger: "语音", description: "朗读。" },
  },
});

beforeAll(async () => {
  fake = await startFakeProvider();
  transcriptSample = fake.serveFile("speech.txt", Buffer.from("hello there\n"), "text/plain; charset=utf-8");
  registerTaskType(speech);
});

afterAll(() => fake.close());

const creditsOf = (u: string) => getUserCredits(u);
const clean = async () => expect((await verifyLedger()).offences).toEqual([]);
const spendsOf = (taskUuid: string) => getDb().select().from(credits).where(eq(credits.taskUuid, taskUuid));

async function start(u: string, input: { prompt: string; seconds: number }, idempotencyKey?: string) {
  const bg = collector();
  const result = await createTask(speech, { userUuid: u, input, idempotencyKey }, { background: bg.background });
  await bg.settle();
  return result;
}

describe("a metered task type", () => {
  it("is described as metered: its examples cost at most their maxCost", () => {
    expect(describeTaskType(speech).pricing).toMatchObject({ metered: true, examples: [{ credits: 20 }] });
  });

  it("creation holds the most (no debit); success settles the usage's price in the move to succeeded", async () => {
    const u = await userWith(30);
    const { task } = await start(u, { prompt: "hello", seconds: 7 });
    expect(task).toMatchObject({ status: "queued", creditsUsed: 0, creditsReserved: 14, creditsTransNo: null });
    expect(await getHold(task.creditsHoldId!)).toMatchObject({ status: "held", credits: 14, taskUuid: task.uuid, transType: "task_test_speech" });
    expect(await creditsOf(u)).toMatchObject({ balance: 16, held: 14 });
    expect(await spendsOf(task.uuid)).toEqual([]);
    expect(await toTaskDto(task, u)).toMatchObject({ creditsUsed: 0, creditsReserved: 14 });

    clock.now += 2_000;
    const done = await getTaskForUser(task.uuid, u);
    // 7 s asked, 2.8 s produced: ceil(5.6) = 6 credits.
    expect(done).toMatchObject({ status: "succeeded", creditsUsed: 6, creditsReserved: 14, creditsTransNo: task.creditsHoldId });
    expect(await getHold(task.creditsHoldId!)).toMatchObject({ status: "settled", settledCredits: 6 });
    const [spend] = await spendsOf(task.uuid);
    expect(spend).toMatchObject({ transNo: task.creditsHoldId, transType: "task_test_speech", credits: -6, metadata: { reserved: "14" } });
    expect(await creditsOf(u)).toMatchObject({ balance: 24, held: 0 });

    // Later polls, sweeps and a replayed success change nothing.
    const rows = await ledgerCount(u);
    await sweepTasks({ idleMs: 0 });
    await getTaskForUser(task.uuid, u);
    expect(await ledgerCount(u)).toBe(rows);
    expect(await creditsOf(u)).toMatchObject({ balance: 24, held: 0 });
    await clean();
  });

  it("a provider that reports no usage is charged what the type says (here: the most)", async () => {
    const u = await userWith(30);
    speech.providers.set(
      "mock",
      createMockProvider<{ prompt: string; seconds: number }>({ delayMs: 2_000, samples: [transcriptSample], now: () => clock.now }),
    );
    try {
      const { task } = await start(u, { prompt: "hello", seconds: 3 });
      clock.now += 2_000;
      expect(await getTaskForUser(task.uuid, u)).toMatchObject({ status: "succeeded", creditsUsed: 6 });
      expect(await creditsOf(u)).toMatchObject({ balance: 24, held: 0 });
    } finally {
      speech.providers.set("mock", undefined);
    }
  });

  it("failure releases the hold: nothing charged, nothing in the ledger", async () => {
    const u = await userWith(30);
    const rows = await ledgerCount(u);
    const { task } = await start(u, { prompt: "please mock:fail", seconds: 10 });
    expect(await creditsOf(u)).toMatchObject({ balance: 10, held: 20 });
    clock.now += 1_000;
    const failed = await getTaskForUser(task.uuid, u);
    expect(failed).toMatchObject({ status: "failed", creditsUsed: 0, creditsReserved: 20, refundTransNo: null });
    expect(await getHold(task.creditsHoldId!)).toMatchObject({ status: "released" });
    expect(await creditsOf(u)).toMatchObject({ balance: 30, held: 0 });
    expect(await ledgerCount(u)).toBe(rows);
    await sweepTasks({ idleMs: 0 });
    expect(await creditsOf(u)).toMatchObject({ balance: 30, held: 0 });
    await clean();
  });

  it("timeout releases the hold, once", async () => {
    const u = await userWith(30);
    const { task } = await start(u, { prompt: "slow", seconds: 5 });
    await getDb().execute(sql`UPDATE tasks SET created_at = now() - interval '1 hour', updated_at = now() - interval '1 hour' WHERE uuid = ${task.uuid}`);
    await sweepTasks({ idleMs: 0, timeoutMs: 60_000 });
    expect(await getTaskForUser(task.uuid, u, { refresh: false })).toMatchObject({ status: "failed", errorCode: "timed_out", creditsUsed: 0 });
    expect(await getHold(task.creditsHoldId!)).toMatchObject({ status: "released" });
    // The provider's success arriving late changes nothing.
    clock.now += 10_000;
    await getTaskForUser(task.uuid, u);
    expect(await creditsOf(u)).toMatchObject({ balance: 30, held: 0 });
    expect(await spendsOf(task.uuid)).toEqual([]);
    await clean();
  });

  it("a success after the hold expired (the task outlived its timeout unswept) fails it and charges nothing", async () => {
    const u = await userWith(30);
    const { task } = await start(u, { prompt: "late", seconds: 5 });
    await getDb().execute(sql`UPDATE credit_holds SET expires_at = now() - interval '1 second' WHERE id = ${task.creditsHoldId}`);
    await expireHolds();
    clock.now += 2_000;
    expect(await getTaskForUser(task.uuid, u)).toMatchObject({ status: "failed", errorCode: "timed_out", creditsUsed: 0 });
    expect(await creditsOf(u)).toMatchObject({ balance: 30, held: 0 });
    expect(await spendsOf(task.uuid)).toEqual([]);
    await clean();
  });

  it("is refused with 402 when its most does not fit, nothing held or written", async () => {
    const u = await userWith(9);
    await expect(createTask(speech, { userUuid: u, input: { prompt: "x", seconds: 5 } })).rejects.toMatchObject({ status: 402, balance: 9, required: 10 });
    expect(await getDb().select().from(tasks).where(eq(tasks.userUuid, u))).toEqual([]);
    expect(await getDb().select().from(creditHolds).where(eq(creditHolds.userUuid, u))).toEqual([]);
    expect(await creditsOf(u)).toMatchObject({ balance: 9, held: 0 });
  });

  it("an Idempotency-Key repeat returns the first task and holds once", async () => {
    const u = await userWith(30);
    const first = await start(u, { prompt: "same", seconds: 4 }, "key-1");
    const again = await start(u, { prompt: "same", seconds: 4 }, "key-1");
    expect(again).toMatchObject({ created: false, task: { uuid: first.task.uuid } });
    await expect(start(u, { prompt: "other", seconds: 4 }, "key-1")).rejects.toMatchObject({ status: 422 });
    expect(await creditsOf(u)).toMatchObject({ balance: 22, held: 8 });
    expect((await getDb().select().from(creditHolds).where(eq(creditHolds.userUuid, u))).length).toBe(1);
  });

  it.runIf(process.env.TEST_DB_KIND === "postgres")("concurrent repeats of one key on PostgreSQL hold once", async () => {
    const pool = openPostgres(testDb().url!, { max: 20 });
    try {
      const u = await userWith(30);
      const bg = collector();
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          createTask(speech, { userUuid: u, input: { prompt: "race", seconds: 6 }, idempotencyKey: "race-1" }, { db: pool.db, background: bg.background }),
        ),
      );
      await bg.settle();
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.task.uuid)).size).toBe(1);
      expect(await creditsOf(u)).toMatchObject({ balance: 18, held: 12 });
      const holds = await getDb().select().from(creditHolds).where(and(eq(creditHolds.userUuid, u), eq(creditHolds.status, "held")));
      expect(holds).toHaveLength(1);
      await clean();
    } finally {
      await pool.close();
    }
  });
});
