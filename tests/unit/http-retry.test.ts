import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { backoffDelayMs, fetchWithRetry, isRetryableStatus, parseRetryAfter } from "@/lib/http/retry";
import { classifyProviderFailure, providerErrorCodeOf, providerErrorMessageKey, PROVIDER_ERROR_CODES } from "@/lib/provider-errors";
import en from "../../messages/en/errors.json";
import zh from "../../messages/zh/errors.json";

// A fake provider: POST /v1/predictions answers from a script; every request that
// reaches it is counted as a created job when it answers 201.
let server: http.Server;
let base: string;
let script: Array<{ status: number; headers?: Record<string, string>; delayMs?: number }> = [];
let requests = 0;
let jobsCreated = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requests++;
    req.resume();
    const step = script.shift() ?? { status: 201 };
    setTimeout(() => {
      if (step.status === 201) jobsCreated++;
      res.writeHead(step.status, { "content-type": "application/json", ...step.headers });
      res.end(JSON.stringify(step.status === 201 ? { id: `job-${jobsCreated}` } : { detail: "busy" }));
    }, step.delayMs ?? 0);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  script = [];
  requests = 0;
  jobsCreated = 0;
});

const submit = (options: Parameters<typeof fetchWithRetry>[2] = {}) =>
  fetchWithRetry(`${base}/v1/predictions`, { method: "POST", body: JSON.stringify({ input: { prompt: "x" } }) }, {
    baseDelayMs: 20,
    maxDelayMs: 2000,
    ...options,
  });

describe("fetchWithRetry (provider submit)", () => {
  it("429 then success: retried after Retry-After, exactly one job created", async () => {
    script = [{ status: 429, headers: { "retry-after": "1" } }, { status: 201 }];
    const started = Date.now();
    const res = await submit();
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ id: "job-1" });
    expect(jobsCreated).toBe(1);
    expect(requests).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950); // honoured Retry-After: 1
  });

  it("503s then success: retried with backoff", async () => {
    script = [{ status: 503 }, { status: 502 }, { status: 201 }];
    const retries: string[] = [];
    const res = await submit({ onRetry: (i) => retries.push(i.reason) });
    expect(res.status).toBe(201);
    expect(retries).toEqual(["HTTP 503", "HTTP 502"]);
    expect(jobsCreated).toBe(1);
  });

  it("500s forever: gives up after maxAttempts and answers the last 500", async () => {
    script = Array.from({ length: 10 }, () => ({ status: 500 }));
    const res = await submit({ maxAttempts: 3 });
    expect(res.status).toBe(500);
    expect(requests).toBe(3);
  });

  it("500s forever: gives up within the total time bound", async () => {
    script = Array.from({ length: 100 }, () => ({ status: 500 }));
    const started = Date.now();
    const res = await submit({ maxAttempts: 100, baseDelayMs: 100, maxDelayMs: 200, totalTimeMs: 700, random: () => 1 });
    const took = Date.now() - started;
    expect(res.status).toBe(500);
    expect(took).toBeLessThan(900);
    expect(requests).toBeGreaterThan(2);
    expect(requests).toBeLessThan(10);
  });

  it("a Retry-After longer than we wait ends the retries at once", async () => {
    script = [{ status: 429, headers: { "retry-after": "120" } }, { status: 201 }];
    const res = await submit();
    expect(res.status).toBe(429);
    expect(requests).toBe(1);
  });

  it("does not retry 4xx answers (bad input, bad key)", async () => {
    script = [{ status: 422 }, { status: 201 }];
    expect((await submit()).status).toBe(422);
    expect(requests).toBe(1);
  });

  it("does not resend a submit that timed out (the job may exist), but does when told it is idempotent", async () => {
    script = [{ status: 201, delayMs: 400 }, { status: 201 }];
    await expect(submit({ attemptTimeoutMs: 100 })).rejects.toThrow();
    expect(requests).toBe(1);
    await new Promise((r) => setTimeout(r, 450)); // the slow answer lands: the provider made the job anyway
    expect(jobsCreated).toBe(1);

    requests = 0;
    script = [{ status: 201, delayMs: 400 }, { status: 201 }];
    const res = await submit({ attemptTimeoutMs: 100, idempotent: true });
    expect(res.status).toBe(201);
    expect(requests).toBe(2);
  });

  it("retries a refused connection (nothing was sent)", async () => {
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const tries: number[] = [];
    await expect(
      fetchWithRetry(`http://127.0.0.1:${port}/`, { method: "POST", body: "{}" }, { baseDelayMs: 5, maxAttempts: 3, onRetry: (i) => tries.push(i.attempt) }),
    ).rejects.toThrow(/fetch failed/);
    expect(tries).toEqual([1, 2]);
  });
});

describe("backoff pieces", () => {
  it("full jitter doubles up to the cap; Retry-After reads seconds and dates", () => {
    const max = { baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.999999 };
    expect([1, 2, 3, 4, 5].map((n) => backoffDelayMs(n, max))).toEqual([100, 200, 400, 800, 1000]);
    expect(backoffDelayMs(3, { ...max, random: () => 0 })).toBe(0);
    expect(parseRetryAfter("3")).toBe(3000);
    expect(parseRetryAfter(new Date(Date.now() + 5000).toUTCString())).toBeGreaterThan(3000);
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect([408, 429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 404, 422, 501].some(isRetryableStatus)).toBe(false);
  });
});

describe("provider error codes", () => {
  it("maps provider answers to the stable codes", () => {
    expect(classifyProviderFailure({ status: 401, message: "You did not pass a valid authentication token" })).toBe("provider_unavailable");
    expect(classifyProviderFailure({ status: 429 })).toBe("provider_unavailable");
    expect(classifyProviderFailure({ status: 503 })).toBe("provider_unavailable");
    expect(classifyProviderFailure({ message: "NSFW content detected. Try running it again, or try a different prompt." })).toBe(
      "content_rejected",
    );
    expect(classifyProviderFailure({ status: 400, message: "Input flagged by safety checker" })).toBe("content_rejected");
    expect(classifyProviderFailure({ message: "Prediction timed out" })).toBe("timed_out");
    expect(classifyProviderFailure({ status: 422, message: "input.duration: not allowed" })).toBe("internal");
    expect(providerErrorCodeOf(new TypeError("fetch failed"))).toBe("provider_unavailable");
    expect(providerErrorCodeOf(new Error("boom"))).toBe("internal");
    expect(providerErrorMessageKey("nonsense")).toBe("provider.internal");
  });

  it("every code has an en and a zh message", () => {
    for (const code of PROVIDER_ERROR_CODES) {
      expect(en.provider[code], code).toBeTruthy();
      expect(zh.provider[code], code).toBeTruthy();
      expect(zh.provider[code]).not.toBe(en.provider[code]);
    }
  });
});
