// Outputs over HTTP with Replicate as the provider (a second `next start` pointed at a fake
// Replicate): the video is stored before the task succeeds and still plays from its signed
// URL after the provider's URL stops answering; an output that is not a video fails and
// refunds once, and users read the error code's message only.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WELCOME_CREDITS } from "@/data/credits";
import { startAppServer, type AppServer } from "../support/app-server";
import { startFakeProvider, type FakeProvider } from "../support/fake-provider";
import { HTTP_TEST_ENV } from "../support/http-setup";
import { signedInClient, type TestClient, waitForTask } from "../support/http-client";

interface TaskJson {
  uuid: string;
  status: string;
  outputUrl: string | null;
  errorCode: string | null;
  errorMessage: string | null;
}

const VIDEO = fs.readFileSync("public/demo/video/ocean-portrait-3s.mp4");
let fake: FakeProvider;
let server: AppServer;
let dir: string;

beforeAll(async () => {
  fake = await startFakeProvider();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "http-outputs-"));
  server = await startAppServer({
    env: {
      ...HTTP_TEST_ENV,
      DATABASE_URL: "", // its own embedded database
      PGLITE_DATA_DIR: path.join(dir, "db"),
      STORAGE_LOCAL_DIR: path.join(dir, "storage"),
      TASK_SWEEP_INTERVAL_MS: "0",
      TEXT2VIDEO_PROVIDER: "replicate",
      REPLICATE_API_BASE: fake.url,
      REPLICATE_API_TOKEN: fake.token,
      REPLICATE_MODEL: "bytedance/seedance-1-lite",
    },
  });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await fake?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function start(client: TestClient) {
  const res = await client.postJson<{ task: TaskJson }>("/api/tasks/text-to-video", { prompt: "A heron takes off", seconds: 5, aspectRatio: "portrait" });
  expect(res.status).toBe(201);
  const uuid = res.body.data.task.uuid;
  await waitForTask<TaskJson>(client, uuid, ["running"]);
  const create = fake.requests.filter((r) => r.method === "POST" && r.path === "/v1/models/bytedance/seedance-1-lite/predictions").at(-1)!;
  expect(create.body).toMatchObject({ input: { prompt: "A heron takes off", duration: 5, aspect_ratio: "9:16", resolution: "720p" } });
  const predictionId = [...fake.predictions.values()].at(-1)!.id;
  return { uuid, predictionId };
}

const balance = async (client: TestClient) => (await client.json<{ balance: number }>("/api/credits")).body.data.balance;

describe("outputs through storage, with Replicate", () => {
  it("the provider's URL stops answering after the task finished: the video still plays from its signed URL", async () => {
    const { client } = await signedInClient(server.url);
    const { uuid, predictionId } = await start(client);
    const delivered = fake.serveFile(`${predictionId}.mp4`, VIDEO, "video/mp4");
    fake.update(predictionId, { status: "succeeded", output: delivered });
    const done = await waitForTask<TaskJson>(client, uuid, ["succeeded", "failed"]);
    expect(done.status).toBe("succeeded");
    fake.dropFile(`${predictionId}.mp4`);
    expect((await fetch(delivered)).status).toBe(404);

    expect(done.outputUrl).toMatch(new RegExp(`^${server.url}/api/storage/tasks/${uuid}/output\\?exp=\\d+&sig=`));
    const video = await fetch(done.outputUrl!);
    expect(video.status).toBe(200);
    expect(video.headers.get("content-type")).toBe("video/mp4");
    expect(Buffer.from(await video.arrayBuffer()).equals(VIDEO)).toBe(true);
    // A fresh signed URL per response; the provider's URL is never handed out.
    const again = await client.json<{ task: TaskJson }>(`/api/tasks/${uuid}`);
    expect(JSON.stringify(again.body)).not.toContain(delivered);

    // Someone else: 403 for the task, and nothing signed for them.
    const { client: stranger } = await signedInClient(server.url);
    const theirs = await stranger.json<{ task: TaskJson }>(`/api/tasks/${uuid}`);
    expect(theirs.status).toBe(403);
    expect(JSON.stringify(theirs.body)).not.toContain("/api/storage/");
  });

  it("HTML where a video was promised: failed invalid_output, refunded once, the message localized, nothing stored", async () => {
    const { client } = await signedInClient(server.url);
    const { uuid, predictionId } = await start(client);
    fake.update(predictionId, { status: "succeeded", output: fake.serveFile(`${predictionId}.html`, Buffer.from("<html>nope</html>"), "text/html") });
    const failed = await waitForTask<TaskJson>(client, uuid, ["succeeded", "failed"]);
    expect(failed).toMatchObject({ status: "failed", errorCode: "invalid_output", outputUrl: null });
    expect(failed.errorMessage).not.toMatch(/html|content/i);
    await waitForTask<TaskJson>(client, uuid, ["failed"]);
    expect(await balance(client)).toBe(WELCOME_CREDITS);
    const zh = await (await client.fetch(`/zh/tasks`)).text();
    expect(zh).toContain('data-error-code="invalid_output"');
    expect(zh).toContain("生成服务返回的结果无法使用");
    expect(fs.existsSync(path.join(dir, "storage", "objects", "tasks", uuid, "output"))).toBe(false);
  });
});
