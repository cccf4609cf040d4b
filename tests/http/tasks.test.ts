// The task routes over HTTP as a signed-in user: the same requests a script or the page makes.
import fs from "node:fs";
import { describe, expect, inject, it } from "vitest";
import { MIN_PURCHASE_CREDITS, WELCOME_CREDITS } from "@/data/credits";
import { textToVideoCost } from "@/tasks/text-to-video/input";
import { demoVideoFor } from "@/tasks/text-to-video/providers";
import { mp4Info } from "../support/media";
import { fakeStripeControl } from "../support/fake-stripe";
import { signedInClient, type TestClient, waitForTask } from "../support/http-client";

const base = inject("baseUrl");
const stripe = fakeStripeControl(inject("stripeApiBase"));
const good = { prompt: "Astronaut surfing", seconds: 8, aspectRatio: "landscape" };

interface TaskJson {
  uuid: string;
  type: string;
  status: string;
  creditsUsed: number;
  userInput: Record<string, unknown>;
  outputUrl: string | null;
  progress: number;
  errorCode: string | null;
  errorMessage: string | null;
  createdAt: string;
}

const create = (client: TestClient, body: unknown, headers: Record<string, string> = {}) =>
  client.postJson<{ task: TaskJson }>("/api/tasks/text-to-video", body, headers);

/** The balance the text-to-video page shows (data-credits on t2v-balance). */
async function balanceOnPage(client: TestClient): Promise<number> {
  const html = await (await client.fetch("/en/tasks/text-to-video")).text();
  const m = /data-testid="t2v-balance" data-credits="(\d+)"/.exec(html);
  if (!m) throw new Error("no balance on the page");
  return Number(m[1]);
}

async function taskCount(client: TestClient): Promise<number> {
  const res = await client.json<{ items: TaskJson[] }>("/api/tasks?page=1&pageSize=100");
  return res.body.data.items.length;
}

describe("POST /api/tasks/text-to-video", () => {
  it("happy path: 201 with the task, which runs to a playable video", async () => {
    const { client } = await signedInClient(base);
    const started = Date.now();
    const res = await create(client, good);
    expect(Date.now() - started).toBeLessThan(1500); // does not wait for the 1.5 s mock job
    expect(res.status).toBe(201);
    expect(res.body.code).toBe(0);
    const task = res.body.data.task;
    expect(task).toMatchObject({
      type: "text_to_video",
      status: "queued",
      creditsUsed: textToVideoCost(8, "landscape"),
      userInput: good,
      outputUrl: null,
      progress: 0,
      errorCode: null,
      errorMessage: null,
      creditsReserved: null, // a fixed-price type: debited, nothing held
      summary: good.prompt,
      output: null,
      inputs: {},
    });
    expect(Object.keys(task).sort()).toEqual(
      [
        "completedAt", "createdAt", "creditsReserved", "creditsUsed", "errorCode", "errorMessage", "inputs", "output", "outputKind", "outputUrl",
        "progress", "startedAt", "status", "summary", "type", "updatedAt", "userInput", "uuid",
      ].sort(),
    );
    expect(await balanceOnPage(client)).toBe(WELCOME_CREDITS - task.creditsUsed);

    const done = await waitForTask<TaskJson>(client, task.uuid, ["succeeded"]);
    // The sample was copied into storage: outputUrl is a fresh signed URL of the stored copy.
    expect(done.progress).toBe(100);
    const signed = new URL(done.outputUrl!);
    expect(signed.pathname).toBe(`/api/storage/tasks/${task.uuid}/output`);
    expect(signed.searchParams.get("sig")).toBeTruthy();
    const video = await fetch(`${base}${signed.pathname}${signed.search}`);
    expect(video.status).toBe(200);
    expect(video.headers.get("content-type")).toBe("video/mp4");
    // The demo generator's clip for this prompt, as long and as shaped as asked (read from the stored bytes).
    const stored = Buffer.from(await video.arrayBuffer());
    expect(stored.equals(fs.readFileSync(`public${demoVideoFor({ prompt: good.prompt, seconds: good.seconds, aspectRatio: "landscape" })}`))).toBe(true);
    expect(mp4Info(stored)).toMatchObject({ seconds: good.seconds, width: 640, height: 360 });
    // Tampered or expired: 403, no bytes.
    const tampered = `${base}${signed.pathname}?exp=${signed.searchParams.get("exp")}&sig=${"0".repeat(signed.searchParams.get("sig")!.length)}`;
    const expired = `${base}${signed.pathname}?exp=${Math.floor(Date.now() / 1000) - 1}&sig=${signed.searchParams.get("sig")}`;
    for (const url of [tampered, expired, `${base}${signed.pathname}`]) {
      const refused = await fetch(url);
      expect(refused.status, url).toBe(403);
      expect(refused.headers.get("content-type")).toContain("application/json");
    }
    // Another user: 403, and nothing signed for them.
    const { client: stranger } = await signedInClient(base);
    const theirs = await stranger.json<{ task: TaskJson }>(`/api/tasks/${task.uuid}`);
    expect(theirs.status).toBe(403);
    expect(JSON.stringify(theirs.body)).not.toContain("sig=");

    const latest = await client.json<{ task: TaskJson }>("/api/tasks/latest");
    expect(latest.body.data.task.uuid).toBe(task.uuid);
    const page = await (await client.fetch(`/en/tasks/text-to-video?task=${task.uuid}`)).text();
    expect(page).toContain('data-testid="t2v-video"');
    const history = await (await client.fetch("/zh/tasks")).text();
    expect(history).toContain('data-testid="tasks-list"');
    expect(history).toContain("Astronaut surfing");
    expect(history).toContain("已完成");
  });

  it("bad input: 400 naming the field, nothing charged, no task", async () => {
    const { client } = await signedInClient(base);
    const cases: Array<[unknown, string]> = [
      [{ ...good, prompt: "" }, "prompt"],
      [{ ...good, prompt: "   " }, "prompt"],
      [{ ...good, prompt: "x".repeat(2001) }, "prompt"],
      [{ ...good, prompt: ["a"] }, "prompt"],
      [{ seconds: 8, aspectRatio: "landscape" }, "prompt"],
      [{ ...good, seconds: "8" }, "seconds"],
      [{ ...good, seconds: -1 }, "seconds"],
      [{ ...good, seconds: 2.5 }, "seconds"],
      [{ ...good, seconds: 0 }, "seconds"],
      [{ ...good, seconds: 1e9 }, "seconds"],
      [{ ...good, seconds: null }, "seconds"],
      [{ ...good, aspectRatio: "cinema" }, "aspectRatio"],
      [[], "body"],
      ['{"prompt": NaN}', "body"],
      ["not json", "body"],
    ];
    for (const [body, field] of cases) {
      const res = await create(client, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe(400);
      if (field !== "body") expect(res.body.message.startsWith(`${field}:`), res.body.message).toBe(true);
    }
    const badKey = await create(client, good, { "idempotency-key": "x".repeat(201) });
    expect(badKey.status).toBe(400);
    expect(await taskCount(client)).toBe(0);
    expect(await balanceOnPage(client)).toBe(WELCOME_CREDITS);
  });

  it("402 insufficient credits: no task, nothing debited", async () => {
    const { client } = await signedInClient(base);
    const ten = { ...good, seconds: 10 };
    const cost = textToVideoCost(10, "landscape");
    const affordable = Math.floor(WELCOME_CREDITS / cost);
    for (let i = 0; i < affordable; i++) expect((await create(client, ten)).status).toBe(201);
    const before = await balanceOnPage(client);
    const res = await create(client, ten);
    expect(res.status).toBe(402);
    expect(res.body).toMatchObject({ code: 402, message: "insufficient credits", data: { balance: before, required: cost } });
    expect(await taskCount(client)).toBe(affordable);
    expect(await balanceOnPage(client)).toBe(before);
  });

  it("a mock:fail task fails and its credits come back", async () => {
    const { client } = await signedInClient(base);
    const res = await create(client, { ...good, prompt: "please mock:fail" });
    expect(res.status).toBe(201);
    const failed = await waitForTask<TaskJson>(client, res.body.data.task.uuid, ["failed"]);
    // Users read the code's message; the provider's text stays for operators.
    expect(failed.errorCode).toBe("internal");
    expect(failed.errorMessage).not.toContain("mock:fail");
    expect(failed.errorMessage).toBeTruthy();
    const zhHistory = await (await client.fetch("/zh/tasks")).text();
    expect(zhHistory).toContain('data-error-code="internal"');
    expect(zhHistory).not.toContain("asked the mock provider to fail");
    expect(await balanceOnPage(client)).toBe(WELCOME_CREDITS);
  });

  it("Idempotency-Key: concurrent repeats return the first task and charge once", async () => {
    const { client } = await signedInClient(base);
    const results = await Promise.all(Array.from({ length: 5 }, () => create(client, good, { "idempotency-key": "same-click" })));
    expect(new Set(results.map((r) => r.body.data.task.uuid)).size).toBe(1);
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(await taskCount(client)).toBe(1);
    expect(await balanceOnPage(client)).toBe(WELCOME_CREDITS - textToVideoCost(8, "landscape"));
  });

  it("429 after TASK_RATE_LIMIT_PER_MINUTE creations (default 30), with the envelope; refused requests do not count", async () => {
    const { client } = await signedInClient(base);
    const one = { ...good, seconds: 1 };
    const perTask = textToVideoCost(1, "landscape");
    const affordable = Math.floor(WELCOME_CREDITS / perTask);
    for (let i = 0; i < affordable; i++) expect((await create(client, one)).status).toBe(201);
    // Refused for credits: nothing created, so nothing counted against the limit.
    for (let i = 0; i < 3; i++) expect((await create(client, one)).status).toBe(402);
    // Top up through Checkout (the fake Stripe delivers the signed webhook), then create up to the limit.
    const checkout = await client.postJson<{ url: string }>("/api/stripe/checkout/credits", {
      quantity: Math.max(MIN_PURCHASE_CREDITS, 30 * perTask),
    });
    expect(checkout.status).toBe(200);
    await stripe.pay(checkout.body.data.url.split("/").pop()!, true);
    for (let i = affordable; i < 30; i++) expect((await create(client, one)).status).toBe(201);
    expect(await taskCount(client)).toBe(30);
    const limited = await create(client, one);
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ code: 429, message: "too many requests" });
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

describe("GET /api/tasks/{uuid}, /latest, ?page", () => {
  it("owner only: 403 for another user, 404 when missing", async () => {
    const owner = await signedInClient(base);
    const stranger = await signedInClient(base);
    const { body } = await create(owner.client, good);
    const uuid = body.data.task.uuid;
    const theirs = await stranger.client.json(`/api/tasks/${uuid}`);
    expect(theirs.status).toBe(403);
    expect(theirs.body.code).toBe(403);
    const missing = await owner.client.json("/api/tasks/00000000-0000-0000-0000-000000000000");
    expect(missing.status).toBe(404);
    expect((await stranger.client.json<{ task: null }>("/api/tasks/latest")).body.data.task).toBeNull();
    expect((await stranger.client.json<{ items: unknown[] }>("/api/tasks")).body.data.items).toEqual([]);
  });

  it("lists the caller's tasks newest first, by page", async () => {
    const { client } = await signedInClient(base);
    const uuids: string[] = [];
    for (const seconds of [1, 2, 3]) uuids.push((await create(client, { ...good, seconds })).body.data.task.uuid);
    const p1 = await client.json<{ items: TaskJson[]; hasMore: boolean }>("/api/tasks?page=1&pageSize=2");
    expect(p1.body.data.items.map((t) => t.uuid)).toEqual([uuids[2], uuids[1]]);
    expect(p1.body.data.hasMore).toBe(true);
    const p2 = await client.json<{ items: TaskJson[]; hasMore: boolean }>("/api/tasks?page=2&pageSize=2");
    expect(p2.body.data.items.map((t) => t.uuid)).toEqual([uuids[0]]);
    expect(p2.body.data.hasMore).toBe(false);
    for (const q of ["page=0", "page=abc", "pageSize=500"]) expect((await client.json(`/api/tasks?${q}`)).status).toBe(400);

    // Filters: a type and a status, each validated (400 naming it).
    const byType = await client.json<{ items: TaskJson[] }>("/api/tasks?type=text_to_video&pageSize=10");
    expect(byType.body.data.items.map((t) => t.uuid)).toEqual([...uuids].reverse());
    expect((await client.json<{ items: TaskJson[] }>("/api/tasks?type=text_to_image")).body.data.items).toEqual([]);
    const byStatus = await client.json<{ items: TaskJson[] }>("/api/tasks?status=failed");
    expect(byStatus.body.data.items).toEqual([]);
    for (const [q, field] of [["type=bogus", "type"], ["status=done", "status"]]) {
      const res = await client.json<{ field: string }>(`/api/tasks?${q}`);
      expect(res.status).toBe(400);
      expect(res.body.data).toEqual({ field });
    }
  });
});
