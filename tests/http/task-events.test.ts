// The live task status stream, GET /api/tasks/<uuid>/events, over real HTTP against `next start`:
// server-sent events from creation to success, closed by the server once the task is finished;
// the same answers as the JSON route for strangers and the signed-out.
import { describe, expect, inject, it } from "vitest";
import { signedInClient, TestClient } from "../support/http-client";
import { startOwnServer } from "../support/http-setup";

const base = inject("baseUrl");

interface TaskEvent {
  uuid: string;
  status: string;
  progress: number;
  outputUrl: string | null;
}

async function createTask(client: TestClient, prompt = "A lantern drifting over a lake"): Promise<TaskEvent> {
  const res = await client.postJson<{ task: TaskEvent }>("/api/tasks/text-to-video", { prompt, seconds: 2, aspectRatio: "square" });
  expect(res.status).toBe(201);
  return res.body.data.task;
}

/** Reads a text/event-stream body to its end (or the deadline), parsing each event block. */
async function readEvents(res: Response, timeoutMs = 20_000): Promise<{ events: Array<{ event: string; data: string }>; comments: number; retry: number | null }> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const timer = setTimeout(() => void reader.cancel(), timeoutMs);
  let text = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  clearTimeout(timer);
  const events: Array<{ event: string; data: string }> = [];
  let comments = 0;
  let retry: number | null = null;
  for (const block of text.split("\n\n").filter(Boolean)) {
    const lines = block.split("\n");
    if (lines.every((l) => l.startsWith(":"))) comments++;
    const field = (name: string) => lines.find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2);
    if (field("retry")) retry = Number(field("retry"));
    if (field("event")) events.push({ event: field("event")!, data: field("data") ?? "" });
  }
  return { events, comments, retry };
}

describe("GET /api/tasks/<uuid>/events", () => {
  it("streams the task's changes until it has succeeded, then ends", async () => {
    const { client } = await signedInClient(base);
    const task = await createTask(client);
    const started = Date.now();
    const res = await client.fetch(`/api/tasks/${task.uuid}/events`, { headers: { accept: "text/event-stream" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(res.headers.get("cache-control")).toContain("no-store");
    expect(res.headers.get("cache-control")).toContain("no-transform");
    expect(res.headers.get("content-encoding")).toBeNull();

    // The server closes the stream itself once the task is finished (the mock job takes 1.5 s).
    const { events, retry } = await readEvents(res);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(retry).toBeGreaterThan(0);
    const tasks = events.map((e) => {
      expect(e.event).toBe("task");
      return JSON.parse(e.data) as TaskEvent;
    });
    expect(tasks.length).toBeGreaterThanOrEqual(2);
    expect(tasks.every((t) => t.uuid === task.uuid)).toBe(true);
    // Only changes are sent: no two events alike, progress never goes back, the last one is the result.
    const seen = tasks.map((t) => `${t.status}:${t.progress}`);
    expect(new Set(seen).size).toBe(seen.length);
    const progress = tasks.map((t) => t.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    const last = tasks[tasks.length - 1];
    expect(last.status).toBe("succeeded");
    expect(last.progress).toBe(100);
    expect(last.outputUrl).toMatch(/\/api\/storage\/tasks\/[0-9a-f-]+\/output\?exp=\d+&sig=/);
    expect(tasks.slice(0, -1).every((t) => t.status === "queued" || t.status === "running")).toBe(true);

    // A finished task: one event (the result), and the server ends the stream at once.
    const asked = Date.now();
    const again = await readEvents(await client.fetch(`/api/tasks/${task.uuid}/events`), 10_000);
    expect(Date.now() - asked).toBeLessThan(5_000);
    expect(again.events).toHaveLength(1);
    expect(JSON.parse(again.events[0].data)).toMatchObject({ uuid: task.uuid, status: "succeeded" });
  });

  it("a failing task streams to failed with its code", async () => {
    const { client } = await signedInClient(base);
    const task = await createTask(client, "mock:fail on purpose");
    const { events } = await readEvents(await client.fetch(`/api/tasks/${task.uuid}/events`));
    const last = JSON.parse(events[events.length - 1].data) as TaskEvent & { errorCode: string };
    expect(last).toMatchObject({ status: "failed", errorCode: "internal", outputUrl: null });
  });

  it("stops when the client goes away", async () => {
    const { client } = await signedInClient(base);
    const task = await createTask(client);
    const controller = new AbortController();
    const res = await client.fetch(`/api/tasks/${task.uuid}/events`, { signal: controller.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    await reader.read(); // the stream is open
    controller.abort();
    await expect(reader.read()).rejects.toThrow();
    // The server is unharmed: the JSON route still answers.
    expect((await client.fetch(`/api/tasks/${task.uuid}`)).status).toBe(200);
  });

  it("answers like the JSON route: 401 signed out, 403 someone else's task, 404 unknown", async () => {
    const { client } = await signedInClient(base);
    const task = await createTask(client);

    const anonymous = await new TestClient(base).fetch(`/api/tasks/${task.uuid}/events`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("content-type")).toMatch(/application\/json/);

    const { client: stranger } = await signedInClient(base);
    const theirs = await stranger.fetch(`/api/tasks/${task.uuid}/events`);
    expect(theirs.status).toBe(403);
    expect((await theirs.json()).data).toBeNull();

    const unknown = await client.fetch(`/api/tasks/${crypto.randomUUID()}/events`);
    expect(unknown.status).toBe(404);
  });

  // Issue 26, item 4: one account opened 500 streams; nothing capped them.
  it("at most TASK_EVENTS_MAX_STREAMS_PER_USER (10) open streams per user: the 11th is a 429 envelope with Retry-After; a closed stream frees its slot", async () => {
    // A server of its own whose mock jobs run for minutes: the streams stay open.
    const server = await startOwnServer("task_events_cap", { TEXT2VIDEO_MOCK_DELAY_MS: "600000" });
    const base = server.url;
    const { client } = await signedInClient(base);
    const task = await createTask(client);
    const opened: AbortController[] = [];
    try {
      for (let i = 0; i < 10; i++) {
        const controller = new AbortController();
        opened.push(controller);
        const res = await client.fetch(`/api/tasks/${task.uuid}/events`, { signal: controller.signal });
        expect(res.status, `stream ${i + 1}`).toBe(200);
        await res.body!.getReader().read(); // open and sending
      }
      const refused = await client.fetch(`/api/tasks/${task.uuid}/events`);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(refused.headers.get("content-type")).toMatch(/application\/json/);
      expect(await refused.json()).toMatchObject({ code: 429 });
      // Another user is not affected; the JSON route (the page's fallback) still answers.
      const { client: other } = await signedInClient(base);
      const theirs = await createTask(other);
      const ok = await other.fetch(`/api/tasks/${theirs.uuid}/events`);
      expect(ok.status).toBe(200);
      await ok.body!.cancel();
      expect((await client.fetch(`/api/tasks/${task.uuid}`)).status).toBe(200);
      // One stream closed: its slot is free again (the server notices the disconnect).
      opened.shift()!.abort();
      let status = 0;
      for (let attempt = 0; attempt < 20 && status !== 200; attempt++) {
        await new Promise((r) => setTimeout(r, 250));
        const controller = new AbortController();
        const res = await client.fetch(`/api/tasks/${task.uuid}/events`, { signal: controller.signal });
        status = res.status;
        if (status === 200) opened.push(controller);
        else await res.body?.cancel();
      }
      expect(status).toBe(200);
    } finally {
      for (const controller of opened) controller.abort();
      await server.stopAll();
    }
  }, 180_000);
});
