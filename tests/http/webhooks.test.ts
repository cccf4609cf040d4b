// Outgoing webhooks over HTTP. The shared server runs as production with no
// WEBHOOK_ALLOW_PRIVATE_URLS: registration refuses http, credentials and inside addresses
// (400 naming the field). Servers of this file's own (WEBHOOK_ALLOW_PRIVATE_URLS=true) deliver
// to a local receiver: signed deliveries verified with the standardwebhooks verifier, retries
// after 500s with the same webhook-id, and an outbox that survives a server killed mid-retry.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startAppServer, type AppServer } from "../support/app-server";
import { signedInClient, TestClient, waitForTask } from "../support/http-client";
import { HTTP_TEST_ENV } from "../support/http-setup";
import { freshAppDatabase } from "../support/test-database";
import { startWebhookReceiver, type WebhookReceiver } from "../support/webhook-receiver";

const base = inject("baseUrl");
const ENDPOINTS = "/api/webhooks/endpoints";
const EVENTS = ["task.succeeded", "task.failed", "credits.low"];

describe("registering endpoints (production rules)", () => {
  it("400 naming the field for a URL that is not https, has credentials, or points inside, and for bad events", async () => {
    const { client } = await signedInClient(base);
    const cases: Array<[unknown, string]> = [
      [{ url: "http://example.com/hook", events: EVENTS }, "url"],
      [{ url: "https://user:secret@example.com/hook", events: EVENTS }, "url"],
      [{ url: "https://127.0.0.1/hook", events: EVENTS }, "url"],
      [{ url: "https://169.254.169.254/latest/meta-data", events: EVENTS }, "url"],
      [{ url: "https://[::ffff:10.0.0.1]/hook", events: EVENTS }, "url"],
      [{ url: "https://localhost:8443/hook", events: EVENTS }, "url"],
      [{ url: "ftp://example.com/hook", events: EVENTS }, "url"],
      [{ url: "not a url", events: EVENTS }, "url"],
      [{ events: EVENTS }, "url"],
      [{ url: "https://example.com/hook", events: [] }, "events"],
      [{ url: "https://example.com/hook", events: ["task.exploded"] }, "events.0"],
      [{ url: "https://example.com/hook" }, "events"],
    ];
    for (const [body, field] of cases) {
      const res = await client.postJson(ENDPOINTS, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.data, JSON.stringify(body)).toMatchObject({ field });
    }
    expect((await client.postJson(ENDPOINTS, "{nope")).status).toBe(400);
    expect((await client.json(ENDPOINTS)).body.data.endpoints).toEqual([]);
  });

  it("201 with the secret once; lists without it; another user's endpoint is a 404; signed out 401; cross-origin 403", async () => {
    const owner = await signedInClient(base);
    const created = await owner.client.postJson(ENDPOINTS, { url: "https://example.com/hooks/ai", events: ["task.succeeded"] });
    expect(created.status).toBe(201);
    const { endpoint, secret } = created.body.data;
    expect(secret).toMatch(/^whsec_/);
    expect(endpoint).toMatchObject({ id: expect.stringMatching(/^ep_/), url: "https://example.com/hooks/ai", events: ["task.succeeded"] });
    const listed = await owner.client.json(ENDPOINTS);
    expect(listed.body.data.endpoints).toEqual([endpoint]);
    expect(JSON.stringify(listed.body)).not.toContain(secret.slice(6));

    const other = await signedInClient(base);
    for (const [method, suffix] of [["DELETE", ""], ["GET", "/deliveries"], ["POST", "/test"]]) {
      const res = await other.client.json(`${ENDPOINTS}/${endpoint.id}${suffix}`, { method });
      expect(res.status, `${method} ${suffix}`).toBe(404);
    }
    expect((await other.client.json(`${ENDPOINTS}/ep_nope`, { method: "DELETE" })).status).toBe(404);
    expect((await new TestClient(base).json(ENDPOINTS)).status).toBe(401);
    const forged = await owner.client.fetch(`${ENDPOINTS}/${endpoint.id}`, { method: "DELETE", headers: { origin: "https://evil.example" } });
    expect(forged.status).toBe(403);

    expect((await owner.client.json(`${ENDPOINTS}/${endpoint.id}/deliveries`)).body.data.deliveries).toEqual([]);
    expect((await owner.client.json(`${ENDPOINTS}/${endpoint.id}`, { method: "DELETE" })).status).toBe(200);
    expect((await owner.client.json(ENDPOINTS)).body.data.endpoints).toEqual([]);
  });

  it("the Account → Webhooks page, in en and zh", async () => {
    const { client } = await signedInClient(base);
    for (const [locale, text] of [["en", "Add an endpoint"], ["zh", "添加端点"]]) {
      const res = await client.fetch(`/${locale}/account/webhooks`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain(text);
    }
    const signedOut = await new TestClient(base).fetch("/en/account/webhooks");
    expect([302, 303, 307]).toContain(signedOut.status);
  });
});

describe("deliveries from a durable outbox", () => {
  let receiver: WebhookReceiver;
  let server: AppServer | undefined;
  const cleanups: Array<() => Promise<void>> = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    const database = await freshAppDatabase("webhooks");
    cleanups.push(database.cleanup);
    const storageDir = fs.mkdtempSync(path.join(os.tmpdir(), "webhooks-storage-"));
    cleanups.push(async () => fs.rmSync(storageDir, { recursive: true, force: true }));
    env = {
      ...HTTP_TEST_ENV,
      ...database.env,
      STORAGE_LOCAL_DIR: storageDir,
      TEXT2VIDEO_MOCK_DELAY_MS: "300",
      TASK_SWEEP_INTERVAL_MS: "200",
      WEBHOOK_ALLOW_PRIVATE_URLS: "true",
      WEBHOOK_RETRY_BASE_MS: "200",
    };
    server = await startAppServer({ env });
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await receiver.close();
    for (const c of cleanups.reverse()) await c();
  });

  it("signed, retried after 500s with the same webhook-id, and delivered by the next server after a crash", async () => {
    const { client } = await signedInClient(server!.url);
    const created = await client.postJson(ENDPOINTS, { url: receiver.url, events: EVENTS });
    expect(created.status).toBe(201);
    const { endpoint, secret } = created.body.data;
    const verifier = new Webhook(secret);

    receiver.answerByDefault(500);
    const task = await client.postJson("/api/tasks/text-to-video", { prompt: "a lighthouse at dusk", seconds: 2, aspectRatio: "landscape" });
    expect(task.status).toBe(201);
    const uuid = task.body.data.task.uuid;
    await waitForTask(client, uuid, ["succeeded"]);
    await receiver.waitFor(2);
    // Wait until the server has recorded a failed attempt, then kill it without warning.
    for (let i = 0; i < 100; i++) {
      const log = (await client.json(`${ENDPOINTS}/${endpoint.id}/deliveries`)).body.data.deliveries;
      if (log[0]?.attempts >= 2 && log[0].status === "pending") break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await server!.stop("SIGKILL");
    const failedBefore = receiver.received.length;
    receiver.answerByDefault(200);

    server = await startAppServer({ env });
    const restartedAt = Date.now();
    const all = await receiver.waitFor(failedBefore + 1, 30_000);
    const last = all[all.length - 1];
    expect(last.status).toBe(200);
    expect(last.at).toBeGreaterThanOrEqual(restartedAt - 1000);
    expect(all.slice(0, failedBefore).every((d) => d.status === 500)).toBe(true);
    expect(new Set(all.map((d) => d.headers["webhook-id"])).size).toBe(1);
    for (const d of all) expect(verifier.verify(d.raw, d.headers)).toMatchObject({ type: "task.succeeded" });
    expect(() => new Webhook(`whsec_${Buffer.from("another secret of 32 bytes......").toString("base64")}`).verify(last.raw, last.headers)).toThrow();

    // The body carries the task as GET /api/tasks/{uuid} answers it (the output URL is signed per read).
    const client2 = new TestClient(server.url);
    for (const [k, v] of client.cookies) client2.cookies.set(k, v);
    const got = (await client2.json(`/api/tasks/${uuid}`)).body.data.task;
    expect(last.body).toMatchObject({ type: "task.succeeded", timestamp: expect.any(String) });
    expect(last.body.data.task).toEqual({ ...got, outputUrl: expect.stringContaining(uuid) });

    const log = (await client2.json(`${ENDPOINTS}/${endpoint.id}/deliveries`)).body.data.deliveries;
    expect(log[0]).toMatchObject({ type: "task.succeeded", status: "succeeded", attempts: failedBefore + 1, lastStatusCode: 200, nextAttemptAt: null });

    // "Send test event": delivered right after the answer.
    const test = await client2.postJson(`${ENDPOINTS}/${endpoint.id}/test`, {});
    expect(test.status).toBe(202);
    const withTest = await receiver.waitFor(failedBefore + 2, 10_000);
    expect(verifier.verify(withTest[withTest.length - 1].raw, withTest[withTest.length - 1].headers)).toMatchObject({ type: "webhook.test" });
  });
});
