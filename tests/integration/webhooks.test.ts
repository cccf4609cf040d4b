// Outgoing webhooks against the database: the outbox written with the task's finish and the
// low-balance crossing, deliveries signed and verified with the standardwebhooks verifier,
// retries with the same webhook-id, the 24-hour window, the private-address refusal at
// delivery time, ownership, and (PostgreSQL) concurrent workers delivering each row once.
import { eq, sql } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { webhookDeliveries, webhookEndpoints, webhookEvents } from "@/db/schema";
import { NotFoundError } from "@/lib/http/errors";
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from "@/lib/schemas/webhooks";
import { LOW_BALANCE_THRESHOLD } from "@/data/credits";
import { deductCredits, grantCredits } from "@/services/credits/ledger";
import { checkLowBalance } from "@/services/notify/billing-mails";
import { createTextToVideoTask, getTaskForUser, sweepTasks, toTaskDto } from "@/services/tasks";
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  deliverDueWebhooks,
  listWebhookDeliveries,
  listWebhookEndpoints,
  pruneWebhookEvents,
  sendTestWebhook,
} from "@/services/webhooks";
import { textToVideo } from "@/tasks/text-to-video";
import { textToVideoMock } from "@/tasks/text-to-video/providers";
import { collector, userWith } from "../support/task-helpers";
import { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from "../support/webhook-receiver";

const isPostgres = process.env.TEST_DB_KIND === "postgres";
const input = { prompt: "Astronaut surfing", seconds: 2, aspectRatio: "landscape" as const };
const deliver = (extra: Parameters<typeof deliverDueWebhooks>[0] = {}) => deliverDueWebhooks({ allowPrivate: true, retryBaseMs: 10, ...extra });
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  textToVideo.providers.set("mock", textToVideoMock({ delayMs: 0 }));
});
afterAll(async () => {
  textToVideo.providers.set("mock", undefined);
  await receiver.close();
});
beforeEach(() => {
  receiver.received.length = 0;
});

async function endpointFor(userUuid: string, events: readonly WebhookEventType[] = WEBHOOK_EVENT_TYPES) {
  return createWebhookEndpoint(userUuid, { url: receiver.url, events: [...events] }, { allowPrivate: true });
}

/** A task of the user, finished by the sweeper (a prompt with mock:fail fails). */
async function finishedTask(userUuid: string, prompt = input.prompt) {
  const bg = collector();
  const { task } = await createTextToVideoTask({ userUuid, ...input, prompt }, { background: bg.background });
  await bg.settle();
  for (let i = 0; i < 20; i++) {
    const now = await getTaskForUser(task.uuid, userUuid, { refresh: false });
    if (now.status === "succeeded" || now.status === "failed") return now;
    await sweepTasks({ idleMs: 0 });
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("the task did not finish");
}

function verified(secret: string, delivery: ReceivedWebhook) {
  return new Webhook(secret).verify(delivery.raw, delivery.headers) as ReceivedWebhook["body"];
}

describe("deliveries", () => {
  it("a succeeded task is delivered, signed, with the task as GET /api/tasks/{uuid} answers it", async () => {
    const u = await userWith(100);
    const { endpoint, secret } = await endpointFor(u);
    expect(secret).toMatch(/^whsec_/);
    const [stored] = await getDb().select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(stored.secretEncrypted).not.toContain(secret.slice(6, 20));

    const task = await finishedTask(u);
    expect(task.status).toBe("succeeded");
    expect(await deliver()).toMatchObject({ attempted: 1, delivered: 1 });
    const [delivery] = await receiver.waitFor(1);
    const body = verified(secret, delivery);
    expect(body.type).toBe("task.succeeded");
    expect(delivery.headers["webhook-id"]).toMatch(/^msg_/);
    const expected = await toTaskDto(task, u);
    expect(body.data.task).toEqual({ ...expected, outputUrl: expect.stringContaining(task.uuid) });
    expect(Date.parse(body.timestamp)).toBeGreaterThan(Date.now() - 60_000);
    // Delivered means done: the next round has nothing to send.
    expect(await deliver()).toMatchObject({ attempted: 0 });
    const [log] = await listWebhookDeliveries(u, endpoint.id);
    expect(log).toMatchObject({ type: "task.succeeded", status: "succeeded", attempts: 1, lastStatusCode: 200, nextAttemptAt: null });
    expect(log.lastLatencyMs).toBeGreaterThanOrEqual(0);
  });

  it("a failed task is delivered as task.failed; an endpoint gets only the events it subscribes to", async () => {
    const u = await userWith(100);
    const failures = await endpointFor(u, ["task.failed"]);
    const successes = await endpointFor(u, ["task.succeeded"]);
    const task = await finishedTask(u, "a cat mock:fail");
    expect(task.status).toBe("failed");
    await deliver();
    const [delivery] = await receiver.waitFor(1);
    const body = verified(failures.secret, delivery);
    expect(body).toMatchObject({ type: "task.failed", data: { task: { uuid: task.uuid, status: "failed", errorCode: expect.any(String) } } });
    expect(await listWebhookDeliveries(u, successes.endpoint.id)).toEqual([]);
    expect(() => verified(successes.secret, delivery)).toThrow();
  });

  it("a user with no endpoint gets no outbox rows", async () => {
    const u = await userWith(100);
    await finishedTask(u);
    expect(await getDb().select().from(webhookEvents).where(eq(webhookEvents.userUuid, u))).toEqual([]);
  });

  it("retries after 500s with the same webhook-id and a fresh signature, then succeeds", async () => {
    const u = await userWith(100);
    const { endpoint, secret } = await endpointFor(u);
    await finishedTask(u);
    receiver.answerNext(500, 503);
    for (let i = 0; i < 50 && receiver.received.length < 3; i++) {
      await deliver();
      await new Promise((r) => setTimeout(r, 20));
    }
    const deliveries = await receiver.waitFor(3);
    expect(deliveries.map((d) => d.status)).toEqual([500, 503, 200]);
    expect(new Set(deliveries.map((d) => d.headers["webhook-id"])).size).toBe(1);
    for (const d of deliveries) expect(verified(secret, d).type).toBe("task.succeeded");
    const [log] = await listWebhookDeliveries(u, endpoint.id);
    expect(log).toMatchObject({ status: "succeeded", attempts: 3, lastStatusCode: 200, lastError: null });
  });

  it("waits for the backoff between attempts, and gives up 24 hours after the event", async () => {
    const u = await userWith(100);
    const { endpoint } = await endpointFor(u);
    await finishedTask(u);
    receiver.answerNext(500, 500);
    expect(await deliver({ retryBaseMs: 60_000 })).toMatchObject({ attempted: 1, retrying: 1 });
    expect(await deliver({ retryBaseMs: 60_000 })).toMatchObject({ attempted: 0 });
    let [log] = await listWebhookDeliveries(u, endpoint.id);
    expect(log).toMatchObject({ status: "pending", attempts: 1, lastStatusCode: 500, lastError: "answered HTTP 500" });
    expect(Date.parse(log.nextAttemptAt!)).toBeGreaterThan(Date.now() + 50_000);
    // A day later the next failure is the last one.
    await getDb().execute(sql`UPDATE webhook_events SET created_at = now() - interval '24 hours' WHERE id = ${log.eventId}`);
    await getDb().update(webhookDeliveries).set({ nextAttemptAt: sql`now()` }).where(eq(webhookDeliveries.endpointId, endpoint.id));
    expect(await deliver({ retryBaseMs: 60_000 })).toMatchObject({ attempted: 1, failed: 1 });
    [log] = await listWebhookDeliveries(u, endpoint.id);
    expect(log).toMatchObject({ status: "failed", attempts: 2, nextAttemptAt: null });
  });

  it("refuses, at delivery time, an endpoint that resolves to a private address (no request sent)", async () => {
    const u = await userWith(100);
    // Registered while private URLs were allowed (or a name that resolved elsewhere then).
    const local = await createWebhookEndpoint(u, { url: receiver.url.replace("127.0.0.1", "localhost"), events: ["task.succeeded"] }, { allowPrivate: true });
    await finishedTask(u);
    expect(await deliver({ allowPrivate: false })).toMatchObject({ attempted: 1, retrying: 1 });
    expect(receiver.received).toEqual([]);
    const [log] = await listWebhookDeliveries(u, local.endpoint.id);
    expect(log).toMatchObject({ status: "pending", attempts: 1, lastStatusCode: null });
    expect(log.lastError).toMatch(/localhost resolves to .*private, loopback or link-local/);
    await deleteWebhookEndpoint(u, local.endpoint.id); // its retries would reach the receiver in later tests
  });

  it("the test event goes to that endpoint only", async () => {
    const u = await userWith(0);
    const { endpoint, secret } = await endpointFor(u, ["credits.low"]);
    const id = await sendTestWebhook(u, endpoint.id);
    expect(await deliver({ ids: [id] })).toMatchObject({ delivered: 1 });
    const [delivery] = await receiver.waitFor(1);
    expect(verified(secret, delivery)).toMatchObject({ type: "webhook.test", data: { message: expect.any(String) } });
  });
});

describe("credits.low", () => {
  it("is written once per crossing below the threshold, and again after a top-up", async () => {
    const u = await userWith(LOW_BALANCE_THRESHOLD + 5);
    const { secret } = await endpointFor(u, ["credits.low"]);
    expect((await checkLowBalance(u)).notified).toBe(false);
    expect(await deductCredits(u, 10)).toBe(true);
    expect((await checkLowBalance(u)).notified).toBe(true);
    expect((await checkLowBalance(u)).notified).toBe(false);
    await deliver();
    const [delivery] = await receiver.waitFor(1);
    expect(verified(secret, delivery)).toMatchObject({ type: "credits.low", data: { balance: LOW_BALANCE_THRESHOLD - 5, threshold: LOW_BALANCE_THRESHOLD } });
    expect(await deliver()).toMatchObject({ attempted: 0 });
    expect(receiver.received).toHaveLength(1);
    // Back above the threshold re-arms it; the next crossing is a new event.
    await grantCredits({ userUuid: u, credits: 50, transType: "system_add", validityDays: 30 });
    expect((await checkLowBalance(u)).notified).toBe(false);
    expect(await deductCredits(u, 60)).toBe(true);
    expect((await checkLowBalance(u)).notified).toBe(true);
    await deliver();
    const second = (await receiver.waitFor(2))[1];
    expect(verified(secret, second)).toMatchObject({ type: "credits.low", data: { balance: LOW_BALANCE_THRESHOLD - 15 } });
    expect(second.headers["webhook-id"]).not.toBe(delivery.headers["webhook-id"]);
  });
});

describe("endpoints", () => {
  it("another user's endpoint is a 404, for delete, log and test alike", async () => {
    const owner = await userWith(0);
    const other = await userWith(0);
    const { endpoint } = await endpointFor(owner);
    await expect(deleteWebhookEndpoint(other, endpoint.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(listWebhookDeliveries(other, endpoint.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(sendTestWebhook(other, endpoint.id)).rejects.toBeInstanceOf(NotFoundError);
    expect(await listWebhookEndpoints(other)).toEqual([]);
    await deleteWebhookEndpoint(owner, endpoint.id);
    expect(await listWebhookEndpoints(owner)).toEqual([]);
    await expect(deleteWebhookEndpoint(owner, endpoint.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("at most 10 per account, also when registered at once", async () => {
    const u = await userWith(0);
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => endpointFor(u)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(10);
    expect(await listWebhookEndpoints(u)).toHaveLength(10);
  });
});

describe.runIf(isPostgres)("several workers at once (PostgreSQL)", () => {
  it("each due delivery is sent once", async () => {
    const u = await userWith(100);
    await endpointFor(u, ["task.failed"]);
    for (let i = 0; i < 6; i++) await finishedTask(u, `job ${i} mock:fail`);
    const rounds = await Promise.all(Array.from({ length: 4 }, () => deliver({ limit: 3 })));
    const attempted = rounds.reduce((n, r) => n + r.attempted, 0);
    expect(attempted).toBe(6);
    expect(receiver.received).toHaveLength(6);
    expect(new Set(receiver.received.map((d) => d.headers["webhook-id"])).size).toBe(6);
  });
});

describe("retention", () => {
  it("events older than 30 days go, with their delivery log", async () => {
    const u = await userWith(0);
    const { endpoint } = await endpointFor(u);
    const id = await sendTestWebhook(u, endpoint.id);
    await deliver({ ids: [id] });
    await receiver.waitFor(1);
    expect(await pruneWebhookEvents()).toBe(0);
    await getDb().execute(sql`UPDATE webhook_events SET created_at = now() - interval '31 days' WHERE user_uuid = ${u}`);
    expect(await pruneWebhookEvents()).toBe(1);
    expect(await listWebhookDeliveries(u, endpoint.id)).toEqual([]);
  });
});
