// The promise of the platform: a task type defined here, in the test only, through the
// registry's public API (no shared file touched), is created, priced, debited, run,
// finished or failed and refunded by the shared code, like the shipped types.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { getDb } from "@/db";
import { credits } from "@/db/schema";
import { createMockProvider } from "@/services/ai/providers/mock";
import { createTask, defineTaskType, getTaskForUser, registerTaskType, sweepTasks, taskTypeBySlug, toTaskDto } from "@/services/tasks";
import { describeTaskType } from "@/services/tasks/catalog";
import { storage } from "@/services/storage";
import { startFakeProvider, type FakeProvider } from "../support/fake-provider";
import { balanceOf, collector, refundsOf, userWith } from "../support/task-helpers";

const clock = { now: 1_800_000_000_000 };

// A whole task type: text in, a text file out, 3 credits per 100 characters (at least 3).
const echo = defineTaskType({
  type: "test_echo",
  slug: "test-echo",
  transType: "task_test_echo",
  outputKind: "text",
  input: z.object({ prompt: z.string().trim().min(1, "must not be empty").max(500) }),
  cost: (input) => Math.max(3, Math.ceil(input.prompt.length / 100) * 3),
  pricing: { summary: "3 credits per 100 characters", minCredits: 3, maxCredits: 15, examples: [{ prompt: "hello" }] },
  defaultInput: { prompt: "" },
  providers: {
    // Its sample transcript is served over HTTP (a provider's delivery URL), and stored like any output.
    mock: { create: () => createMockProvider<{ prompt: string }>({ delayMs: 2_000, samples: [echoSample], now: () => clock.now }) },
  },
  labels: {
    en: { name: "Echo", ledger: "Echo", description: "Says it back." },
    zh: { name: "回声", ledger: "回声", description: "原样返回。" },
  },
});

let fake: FakeProvider;
let echoSample = "";

beforeAll(async () => {
  fake = await startFakeProvider();
  echoSample = fake.serveFile("echo.txt", Buffer.from("hello, 世界\n"), "text/plain; charset=utf-8");
  registerTaskType(echo);
});

afterAll(() => fake.close());

describe("a task type defined outside the shared code", () => {
  it("is found by its URL segment and described by the catalog", () => {
    expect(taskTypeBySlug("test-echo")).toBe(echo);
    const info = describeTaskType(echo);
    expect(info).toMatchObject({ endpoint: "/api/tasks/test-echo", outputKind: "text", pricing: { examples: [{ credits: 3 }] } });
    expect(info.inputSchema).toMatchObject({ required: ["prompt"] });
  });

  it("create -> succeed: debited under its own trans_type, run by its provider, finished with its output", async () => {
    const u = await userWith(10);
    const bg = collector();
    const { task } = await createTask(echo, { userUuid: u, input: { prompt: "x".repeat(150) } }, { background: bg.background });
    expect(task).toMatchObject({ type: "test_echo", creditsUsed: 6, provider: "mock", status: "queued" });
    const [debit] = await getDb().select().from(credits).where(eq(credits.transNo, task.creditsTransNo!));
    expect(debit).toMatchObject({ transType: "task_test_echo", credits: -6 });
    expect(await balanceOf(u)).toBe(4);
    await bg.settle();
    expect((await getTaskForUser(task.uuid, u)).status).toBe("running");
    clock.now += 2_000;
    await sweepTasks({ idleMs: 0 });
    const done = await getTaskForUser(task.uuid, u, { refresh: false });
    // A text output is stored as a file like any other, and served by a signed URL.
    expect(await toTaskDto(done, u)).toMatchObject({ status: "succeeded", outputKind: "text", outputUrl: expect.stringContaining(`/api/storage/tasks/${task.uuid}/output?exp=`), progress: 100 });
    expect(await storage().head(done.outputKey!)).toMatchObject({ contentType: "text/plain; charset=utf-8", bytes: Buffer.byteLength("hello, 世界\n") });
    expect(await balanceOf(u)).toBe(4);
  });

  it("create -> fail -> refund: exactly once, the balance restored", async () => {
    const u = await userWith(10);
    const bg = collector();
    const { task } = await createTask(echo, { userUuid: u, input: { prompt: "please mock:fail" } }, { background: bg.background });
    expect(await balanceOf(u)).toBe(7);
    await bg.settle();
    clock.now += 1_000;
    const failed = await getTaskForUser(task.uuid, u);
    expect(failed.status).toBe("failed");
    expect(failed.refundTransNo).toBe(`refund:${task.creditsTransNo}`);
    await sweepTasks({ idleMs: 0 });
    expect(await refundsOf(task.uuid)).toBe(1);
    expect(await balanceOf(u)).toBe(10);
  });

  it("an input its schema refuses is a 400 naming the field, nothing charged", async () => {
    const u = await userWith(10);
    await expect(createTask(echo, { userUuid: u, input: { prompt: "   " } })).rejects.toMatchObject({ status: 400, details: { field: "prompt" } });
    expect(await balanceOf(u)).toBe(10);
  });
});
