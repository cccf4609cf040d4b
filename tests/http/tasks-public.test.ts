// Task routes and pages as a signed-out visitor, Replicate and a cron host see them.
import { describe, expect, inject, it } from "vitest";
import { signStandardWebhook } from "@/services/ai/standard-webhooks";
import { HTTP_TEST_ENV } from "../support/http-setup";

const base = inject("baseUrl");
const body = JSON.stringify({ prompt: "Astronaut surfing", seconds: 8, aspectRatio: "landscape" });

async function envelope(res: Response) {
  expect(res.headers.get("content-type")).toContain("application/json");
  return (await res.json()) as { code: number; message: string; data: unknown };
}

describe("task routes signed out", () => {
  it("401 with the envelope on every task route", async () => {
    const post = await fetch(`${base}/api/tasks/text-to-video`, { method: "POST", body, headers: { "content-type": "application/json" } });
    expect(post.status).toBe(401);
    expect(await envelope(post)).toMatchObject({ code: 401 });
    for (const path of ["/api/tasks/some-uuid", "/api/tasks/latest", "/api/tasks?page=1"]) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(401);
      expect((await envelope(res)).code).toBe(401);
    }
  });

  it("malformed JSON is a 400 before anything else", async () => {
    const res = await fetch(`${base}/api/tasks/text-to-video`, { method: "POST", body: "{nope", headers: { "content-type": "application/json" } });
    expect(res.status).toBe(400);
    expect((await envelope(res)).message).toBe("malformed JSON body");
  });

  it("the history asks visitors to sign up; a task page gives them its real form (examples, price), in en and zh", async () => {
    for (const [locale, text] of [["en", "Sign up to generate videos"], ["zh", "注册后即可生成视频"]]) {
      const list = await fetch(`${base}/${locale}/tasks`);
      expect(list.status).toBe(200);
      const html = await list.text();
      expect(html).toContain(text);
      expect(html).toContain(`href="/${locale}/auth/signup"`);

      const page = await fetch(`${base}/${locale}/tasks/text-to-video`);
      expect(page.status).toBe(200);
      const form = await page.text();
      expect(form).toContain('data-testid="t2v-form"');
      expect(form).toContain('data-testid="t2v-prompt-examples"');
      expect(form).toMatch(/data-testid="t2v-cost" data-credits="\d+"/);
    }
  });

  it("serves the demo generator's clips and the landing loop", async () => {
    for (const file of ["/demo/video/aurora-landscape-10s.mp4", "/demo/video/dunes-portrait-1s.mp4", "/demo/video/bloom-square-5s.mp4", "/demo/hero.mp4"]) {
      const res = await fetch(`${base}${file}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("video/mp4");
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(bytes.subarray(4, 8).toString("ascii")).toBe("ftyp");
      expect(bytes.length).toBeLessThan(400_000);
    }
  });
});

describe("POST /api/webhooks/replicate", () => {
  const secret = HTTP_TEST_ENV.REPLICATE_WEBHOOK_SECRET;
  const payload = JSON.stringify({ id: "unknownprediction00000000", status: "succeeded", output: "https://r.example/v.mp4" });
  const send = (headers: Record<string, string>, b = payload) =>
    fetch(`${base}/api/webhooks/replicate`, { method: "POST", body: b, headers: { "content-type": "application/json", ...headers } });
  const signed = (s: string, ts = Math.floor(Date.now() / 1000), id = "msg_http_1") => ({
    "webhook-id": id,
    "webhook-timestamp": String(ts),
    "webhook-signature": signStandardWebhook(s, id, ts, payload),
  });

  it("rejects unsigned (400), forged (401) and stale (401) deliveries", async () => {
    const unsigned = await send({});
    expect(unsigned.status).toBe(400);
    expect((await envelope(unsigned)).code).toBe(400);
    const forged = await send(signed(`whsec_${Buffer.from("not-the-secret").toString("base64")}`));
    expect(forged.status).toBe(401);
    expect((await envelope(forged)).message).toBe("invalid webhook signature");
    const stale = await send(signed(secret, Math.floor(Date.now() / 1000) - 600));
    expect(stale.status).toBe(401);
    const tampered = await send(signed(secret), payload.replace("succeeded", "failed"));
    expect(tampered.status).toBe(401);
  });

  it("acknowledges an authentic delivery for a prediction it does not know", async () => {
    const res = await send(signed(secret));
    expect(res.status).toBe(200);
    expect(await envelope(res)).toEqual({ code: 0, message: "ok", data: { handled: false, status: null } });
  });
});

describe("/api/cron/tasks", () => {
  it("401 without or with a wrong bearer secret; one sweep with the right one", async () => {
    const none = await fetch(`${base}/api/cron/tasks`, { method: "POST" });
    expect(none.status).toBe(401);
    const wrong = await fetch(`${base}/api/cron/tasks`, { method: "POST", headers: { authorization: "Bearer nope" } });
    expect(wrong.status).toBe(401);
    for (const method of ["POST", "GET"]) {
      const res = await fetch(`${base}/api/cron/tasks`, { method, headers: { authorization: `Bearer ${HTTP_TEST_ENV.CRON_SECRET}` } });
      expect(res.status).toBe(200);
      const env = await envelope(res);
      expect(env.data).toMatchObject({ sweep: { claimed: expect.any(Number) }, expired: { grants: expect.any(Number), credits: expect.any(Number) } });
    }
  });
});
