// Text-to-image over HTTP, and what the task platform answers for any type:
// the types catalog, unknown types, Idempotency-Key reuse, history by output kind.
import { describe, expect, inject, it } from "vitest";
import { WELCOME_CREDITS } from "@/data/credits";
import { TEXT2IMAGE_COST } from "@/tasks/text-to-image/input";
import { signedInClient, type TestClient, waitForTask } from "../support/http-client";
import { imageSize } from "../support/media";

const base = inject("baseUrl");
const good = { prompt: "A lighthouse at dawn, watercolor", size: "1024x1024" };

interface TaskJson {
  uuid: string;
  type: string;
  outputKind: string;
  status: string;
  creditsUsed: number;
  userInput: Record<string, unknown>;
  outputUrl: string | null;
  errorCode: string | null;
  errorMessage: string | null;
}

const create = (client: TestClient, body: unknown, headers: Record<string, string> = {}) =>
  client.postJson<{ task: TaskJson }>("/api/tasks/text-to-image", body, headers);

async function balance(client: TestClient): Promise<number> {
  return (await client.json<{ balance: number }>("/api/credits")).body.data.balance;
}

async function taskCount(client: TestClient): Promise<number> {
  return (await client.json<{ items: TaskJson[] }>("/api/tasks?page=1&pageSize=100")).body.data.items.length;
}

describe("GET /api/tasks/types", () => {
  it("is public and lists every type with its output kind, input JSON Schema and pricing", async () => {
    const res = await fetch(`${base}/api/tasks/types`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { code: number; data: { types: Array<Record<string, any>> } }; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(body.code).toBe(0);
    const byType = Object.fromEntries(body.data.types.map((t) => [t.type, t]));
    expect(Object.keys(byType)).toEqual(expect.arrayContaining(["text_to_video", "text_to_image"]));
    const image = byType.text_to_image;
    expect(image).toMatchObject({ endpoint: "/api/tasks/text-to-image", outputKind: "image" });
    expect(image.inputSchema.required).toEqual(["prompt", "size"]);
    expect(image.inputSchema.properties.size.enum).toEqual(["512x512", "1024x1024"]);
    expect(image.inputSchema.properties.prompt).toMatchObject({ type: "string", minLength: 1, maxLength: 1000 });
    expect(image.pricing).toMatchObject({ minCredits: 2, maxCredits: 5 });
    expect(image.pricing.summary).toContain("2 credits");
    expect(image.pricing.examples).toEqual([
      { input: { prompt: "…", size: "512x512" }, credits: 2 },
      { input: { prompt: "…", size: "1024x1024" }, credits: 5 },
    ]);
    expect(byType.text_to_video.outputKind).toBe("video");
    expect(byType.text_to_video.inputSchema.properties.seconds).toMatchObject({ type: "integer", minimum: 1, maximum: 10 });
  });
});

describe("POST /api/tasks/text-to-image", () => {
  it("costs 5 credits at 1024x1024 (2 at 512x512) and runs to the demo generator's image of that size", async () => {
    const { client } = await signedInClient(base);
    const res = await create(client, good);
    expect(res.status).toBe(201);
    expect(res.body.data.task).toMatchObject({ type: "text_to_image", outputKind: "image", status: "queued", creditsUsed: TEXT2IMAGE_COST["1024x1024"] });
    const small = await create(client, { ...good, size: "512x512" });
    expect(small.body.data.task.creditsUsed).toBe(2);
    expect(await balance(client)).toBe(WELCOME_CREDITS - 7);

    const done = await waitForTask<TaskJson>(client, res.body.data.task.uuid, ["succeeded"]);
    // The sample went through storage: a signed URL of the stored copy.
    const signed = new URL(done.outputUrl!);
    expect(signed.pathname).toBe(`/api/storage/tasks/${done.uuid}/output`);
    const image = await fetch(`${base}${signed.pathname}${signed.search}`);
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/jpeg");
    expect(imageSize(Buffer.from(await image.arrayBuffer()))).toEqual({ type: "jpeg", width: 1024, height: 1024 });

    // History shows an <img> for the image, signed (and links the generator pages).
    const history = await (await client.fetch("/en/tasks")).text();
    expect(history).toMatch(new RegExp(`<img[^>]+src="[^"]*/api/storage/tasks/${done.uuid}/output\\?exp=\\d+&amp;sig=`));
    expect(history).toContain('href="/en/tasks/text-to-image"');
    expect(history).toContain("Text-to-image");
    // The credits page labels the debit with the type's ledger label, in both languages.
    expect(await (await client.fetch("/en/credits")).text()).toContain("Text-to-image");
    expect(await (await client.fetch("/zh/credits")).text()).toContain("文生图");
  });

  it("bad input: 400 naming the field, nothing charged, no task", async () => {
    const { client } = await signedInClient(base);
    const cases: Array<[unknown, string]> = [
      [{ ...good, prompt: "" }, "prompt"],
      [{ ...good, prompt: "x".repeat(1001) }, "prompt"],
      [{ size: "512x512" }, "prompt"],
      [{ ...good, size: "800x800" }, "size"],
      [{ ...good, size: undefined }, "size"],
      ["not json", "body"],
    ];
    for (const [body, field] of cases) {
      const res = await create(client, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      if (field !== "body") expect(res.body.message.startsWith(`${field}:`), res.body.message).toBe(true);
    }
    expect(await taskCount(client)).toBe(0);
    expect(await balance(client)).toBe(WELCOME_CREDITS);
  });

  it("a mock:fail image fails and its credits come back", async () => {
    const { client } = await signedInClient(base);
    const res = await create(client, { ...good, prompt: "mock:fail please" });
    expect(res.status).toBe(201);
    const failed = await waitForTask<TaskJson>(client, res.body.data.task.uuid, ["failed"]);
    expect(failed.errorCode).toBe("internal");
    expect(failed.errorMessage).not.toContain("mock:fail");
    expect(await balance(client)).toBe(WELCOME_CREDITS);
  });

  it("Idempotency-Key: the same body replays the first task; another body or type answers 422, nothing charged", async () => {
    const { client } = await signedInClient(base);
    const first = await create(client, good, { "idempotency-key": "img-1" });
    expect(first.status).toBe(201);
    const again = await create(client, good, { "idempotency-key": "img-1" });
    expect(again.status).toBe(200);
    expect(again.body.data.task.uuid).toBe(first.body.data.task.uuid);
    const changed = await create(client, { ...good, size: "512x512" }, { "idempotency-key": "img-1" });
    expect(changed.status).toBe(422);
    expect(changed.body.code).toBe(422);
    const otherType = await client.postJson("/api/tasks/text-to-video", { prompt: good.prompt, seconds: 5, aspectRatio: "square" }, { "idempotency-key": "img-1" });
    expect(otherType.status).toBe(422);
    expect(await taskCount(client)).toBe(1);
    expect(await balance(client)).toBe(WELCOME_CREDITS - 5);
  });

  it("another user's image task is 403; signed out is 401; an unknown type is a 404 envelope", async () => {
    const { client } = await signedInClient(base);
    const { client: other } = await signedInClient(base);
    const res = await create(client, good);
    expect((await other.json(`/api/tasks/${res.body.data.task.uuid}`)).status).toBe(403);
    const anonymous = await fetch(`${base}/api/tasks/text-to-image`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(good) });
    expect(anonymous.status).toBe(401);
    const unknown = await client.postJson("/api/tasks/text-to-sculpture", good);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 404, data: null });
    expect(unknown.body.message).toContain("text-to-sculpture");
  });

  it("the page renders in English and Chinese with the balance and the size choices", async () => {
    const { client } = await signedInClient(base);
    const en = await (await client.fetch("/en/tasks/text-to-image")).text();
    expect(en).toContain(`data-testid="t2i-balance" data-credits="${WELCOME_CREDITS}"`);
    expect(en).toContain("Generate image");
    expect(en).toContain('data-testid="t2i-size-512x512"');
    const zh = await (await client.fetch("/zh/tasks/text-to-image")).text();
    expect(zh).toContain("生成图片");
  });
});
