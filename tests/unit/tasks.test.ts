import { describe, expect, it } from "vitest";
import { TEXT2VIDEO_COST, TEXT2VIDEO_MAX_SECONDS, TEXT2VIDEO_MIN_SECONDS, textToVideoCost } from "@/tasks/text-to-video/input";
import { parseInput } from "@/lib/http/api";
import { BadRequestError, UnauthorizedError } from "@/lib/http/errors";
import { MOCK_FAIL_MARKER, createMockProvider } from "@/services/ai/providers/mock";
import { replicateInput, textToVideoMock } from "@/tasks/text-to-video/providers";
import { mapPrediction } from "@/services/ai/providers/replicate";
import { signStandardWebhook, verifyStandardWebhook } from "@/services/ai/standard-webhooks";
import { textToVideoInput } from "@/services/tasks";
import { noFiles } from "../support/submit-context";
import { pickDemoScene } from "@/services/ai/providers/demo-scenes";

describe("textToVideoCost", () => {
  it("has the seed's shape", () => {
    expect(Object.keys(TEXT2VIDEO_COST).sort()).toEqual(["CREDITS_PER_SECOND", "MIN_CREDITS", "MULTIPLIER"]);
    expect(Object.keys(TEXT2VIDEO_COST.MULTIPLIER).sort()).toEqual(["landscape", "portrait", "square"]);
  });

  it("charges per second times the ratio's multiplier", () => {
    for (const ratio of ["landscape", "portrait", "square"] as const) {
      const expected = Math.max(TEXT2VIDEO_COST.MIN_CREDITS, Math.ceil(8 * TEXT2VIDEO_COST.CREDITS_PER_SECOND * TEXT2VIDEO_COST.MULTIPLIER[ratio]));
      expect(textToVideoCost(8, ratio)).toBe(expected);
    }
    // With the shipped constants: 2 credits a second, minimum 4.
    expect(textToVideoCost(8, "landscape")).toBe(16);
    expect(textToVideoCost(10, "portrait")).toBe(20);
  });

  it("never charges less than MIN_CREDITS and is always a whole number", () => {
    expect(textToVideoCost(1, "square")).toBe(TEXT2VIDEO_COST.MIN_CREDITS);
    for (let s = TEXT2VIDEO_MIN_SECONDS; s <= TEXT2VIDEO_MAX_SECONDS; s++) {
      const c = textToVideoCost(s, "landscape");
      expect(Number.isInteger(c)).toBe(true);
      expect(c).toBeGreaterThanOrEqual(TEXT2VIDEO_COST.MIN_CREDITS);
    }
  });
});

describe("text-to-video input", () => {
  const good = { prompt: "  Astronaut surfing  ", seconds: 8, aspectRatio: "landscape" };
  const fieldOf = (value: unknown) => {
    try {
      parseInput(textToVideoInput, value);
    } catch (e) {
      expect(e).toBeInstanceOf(BadRequestError);
      return (e as BadRequestError).field;
    }
    return "accepted";
  };

  it("trims the prompt and ignores unknown fields", () => {
    expect(parseInput(textToVideoInput, { ...good, extra: 1 })).toEqual({ prompt: "Astronaut surfing", seconds: 8, aspectRatio: "landscape" });
  });

  it.each([
    [{ ...good, prompt: "" }, "prompt"],
    [{ ...good, prompt: "    " }, "prompt"],
    [{ ...good, prompt: "x".repeat(2001) }, "prompt"],
    [{ ...good, prompt: 42 }, "prompt"],
    [{ seconds: 8, aspectRatio: "landscape" }, "prompt"],
    [{ ...good, seconds: 2.5 }, "seconds"],
    [{ ...good, seconds: -1 }, "seconds"],
    [{ ...good, seconds: 0 }, "seconds"],
    [{ ...good, seconds: TEXT2VIDEO_MAX_SECONDS + 1 }, "seconds"],
    [{ ...good, seconds: Number.NaN }, "seconds"],
    [{ ...good, seconds: "8" }, "seconds"],
    [{ ...good, aspectRatio: "cinema" }, "aspectRatio"],
    [{ ...good, aspectRatio: undefined }, "aspectRatio"],
    [null, "body"],
  ])("rejects %j naming %s", (value, field) => {
    expect(fieldOf(value)).toBe(field);
  });

  it("accepts 2000 characters and both ends of the seconds range", () => {
    expect(fieldOf({ ...good, prompt: "y".repeat(2000) })).toBe("accepted");
    expect(fieldOf({ ...good, seconds: TEXT2VIDEO_MIN_SECONDS })).toBe("accepted");
    expect(fieldOf({ ...good, seconds: TEXT2VIDEO_MAX_SECONDS })).toBe("accepted");
  });
});

describe("mock provider", () => {
  it("is asynchronous: progress grows with time, then the demo clip of the prompt's scene, ratio and length", async () => {
    let now = 1_000_000;
    const p = textToVideoMock({ delayMs: 1000, now: () => now });
    const { jobId, status } = await p.submit({ prompt: "a cat", seconds: 3, aspectRatio: "portrait" }, noFiles("t"));
    expect(status).toEqual({ state: "running", progress: 0 });
    now += 400;
    expect(await p.fetchStatus(jobId)).toEqual({ state: "running", progress: 40 });
    now += 600;
    const done = await p.fetchStatus(jobId);
    expect(done.state).toBe("succeeded");
    expect(done.outputUrl).toBe(`/demo/video/${pickDemoScene("a cat")}-portrait-3s.mp4`);
  });

  it("keeps the job's state in its id, so another instance (with other settings) answers the same", async () => {
    let now = 5_000;
    const a = textToVideoMock({ delayMs: 1000, now: () => now });
    const b = textToVideoMock({ delayMs: 60_000, now: () => now });
    const { jobId } = await a.submit({ prompt: "x", seconds: 2, aspectRatio: "square" }, noFiles("t"));
    now += 1000;
    expect((await b.fetchStatus(jobId)).outputUrl).toBe(`/demo/video/${pickDemoScene("x")}-square-2s.mp4`);
    await expect(b.fetchStatus("mock_garbage")).rejects.toThrow(/unknown job/);
  });

  it("reports the usage its config gives a job when the job succeeds (metered types), kept in the job id", async () => {
    let now = 0;
    const config = { delayMs: 1000, samples: ["/x.txt"], now: () => now };
    const metered = createMockProvider<{ prompt: string; n: number }>({ ...config, usage: (i) => ({ seconds: i.n * 0.5, tokens: 7 }) });
    const { jobId } = await metered.submit({ prompt: "x", n: 3 }, noFiles("t"));
    expect((await metered.fetchStatus(jobId)).usage).toBeUndefined(); // still running
    now = 1000;
    // Another instance without the usage function reads it from the id.
    expect((await createMockProvider(config).fetchStatus(jobId)).usage).toEqual({ seconds: 1.5, tokens: 7 });
    const plain = await createMockProvider(config).submit({ prompt: "x" }, noFiles("u"));
    expect((await metered.fetchStatus(plain.jobId)).usage).toBeUndefined();
    await expect(metered.fetchStatus(`${plain.jobId}_bm90IGpzb24`)).rejects.toThrow(/unknown job/);
  });

  it(`fails when the prompt contains ${MOCK_FAIL_MARKER}, and uses TEXT2VIDEO_MOCK_URL when set`, async () => {
    let now = 0;
    const p = textToVideoMock({ delayMs: 1000, outputUrl: "https://cdn.example/v.mp4", now: () => now });
    const bad = await p.submit({ prompt: `please ${MOCK_FAIL_MARKER}`, seconds: 2, aspectRatio: "square" }, noFiles("t"));
    const good = await p.submit({ prompt: "fine", seconds: 2, aspectRatio: "square" }, noFiles("u"));
    now = 1000;
    const failed = await p.fetchStatus(bad.jobId);
    expect(failed.state).toBe("failed");
    expect(failed.error).toContain(MOCK_FAIL_MARKER);
    expect((await p.fetchStatus(good.jobId)).outputUrl).toBe("https://cdn.example/v.mp4");
  });
});

describe("Replicate mapping", () => {
  it("maps the documented statuses", () => {
    expect(mapPrediction({ id: "p", status: "starting" })).toEqual({ state: "running", progress: 0 });
    expect(mapPrediction({ id: "p", status: "processing", logs: "step 1\n 30%|███\n 64%|██████" }).progress).toBe(64);
    const ok = mapPrediction({ id: "p", status: "succeeded", output: ["https://r.example/out.mp4"] });
    expect(ok).toMatchObject({ state: "succeeded", progress: 100, outputUrl: "https://r.example/out.mp4" });
    expect(mapPrediction({ id: "p", status: "succeeded", output: "https://r.example/a.mp4" }).outputUrl).toBe("https://r.example/a.mp4");
    expect(mapPrediction({ id: "p", status: "succeeded", output: null })).toMatchObject({ state: "failed" });
    expect(mapPrediction({ id: "p", status: "failed", error: "NSFW" })).toMatchObject({ state: "failed", error: "NSFW" });
    expect(mapPrediction({ id: "p", status: "canceled" })).toMatchObject({ state: "failed" });
  });

  it("sends Seedance 1 Lite's inputs: prompt, duration (at least its 2 s), aspect ratio, a fixed 720p", () => {
    expect(replicateInput({ prompt: "p", seconds: 6, aspectRatio: "portrait" })).toEqual({ prompt: "p", duration: 6, aspect_ratio: "9:16", resolution: "720p" });
    expect(replicateInput({ prompt: "p", seconds: 1, aspectRatio: "square" })).toMatchObject({ duration: 2, aspect_ratio: "1:1" });
    // A 1-second request makes a 2-second video and pays the 2-second price (the minimum).
    expect(textToVideoCost(1, "square")).toBe(textToVideoCost(2, "square"));
  });
});

describe("Standard Webhooks verification", () => {
  const secret = `whsec_${Buffer.from("0123456789abcdef0123456789abcdef").toString("base64")}`;
  const body = JSON.stringify({ id: "p1", status: "succeeded" });
  const now = 1_700_000_000;
  const headers = (sig: string, ts = now, id = "msg_1") =>
    new Headers({ "webhook-id": id, "webhook-timestamp": String(ts), "webhook-signature": sig });

  it("accepts a correct signature, also among several", () => {
    const sig = signStandardWebhook(secret, "msg_1", now, body);
    expect(() => verifyStandardWebhook({ secret, headers: headers(sig), body, nowSeconds: now })).not.toThrow();
    const several = `v1,${Buffer.from("nope").toString("base64")} ${sig}`;
    expect(() => verifyStandardWebhook({ secret, headers: headers(several), body, nowSeconds: now + 60 })).not.toThrow();
  });

  it("rejects a forged signature, a changed body or id, and the wrong secret", () => {
    const sig = signStandardWebhook(secret, "msg_1", now, body);
    const other = `whsec_${Buffer.from("another-secret-another-secret!!").toString("base64")}`;
    const cases = [
      { headers: headers(signStandardWebhook(other, "msg_1", now, body)), body },
      { headers: headers(sig), body: body.replace("succeeded", "failed") },
      { headers: headers(sig, now, "msg_2"), body },
      { headers: headers("v1,AAAA"), body },
      { headers: headers(sig.replace("v1,", "v2,")), body },
    ];
    for (const c of cases) {
      expect(() => verifyStandardWebhook({ secret, ...c, nowSeconds: now })).toThrow(UnauthorizedError);
    }
  });

  it("rejects stale and future timestamps even when signed correctly", () => {
    for (const ts of [now - 301, now + 301]) {
      const sig = signStandardWebhook(secret, "msg_1", ts, body);
      expect(() => verifyStandardWebhook({ secret, headers: headers(sig, ts), body, nowSeconds: now })).toThrow(/timestamp/);
    }
  });

  it("answers 400 for missing or malformed headers", () => {
    expect(() => verifyStandardWebhook({ secret, headers: new Headers(), body, nowSeconds: now })).toThrow(BadRequestError);
    const sig = signStandardWebhook(secret, "msg_1", now, body);
    const h = headers(sig);
    h.set("webhook-timestamp", "yesterday");
    expect(() => verifyStandardWebhook({ secret, headers: h, body, nowSeconds: now })).toThrow(BadRequestError);
  });
});
