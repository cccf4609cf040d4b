import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parseInput, parseJson, toErrorResponse } from "@/lib/http/api";
import { BadRequestError, InsufficientCreditsError, TooManyRequestsError } from "@/lib/http/errors";

describe("parseJson / parseInput", () => {
  const schema = z.object({ prompt: z.string().min(1), seconds: z.number().int() });
  const req = (body: string) => new Request("http://x/api", { method: "POST", body, headers: { "content-type": "application/json" } });

  it("returns the parsed value", async () => {
    await expect(parseJson(req('{"prompt":"a","seconds":3}'), schema)).resolves.toEqual({ prompt: "a", seconds: 3 });
  });

  it("rejects malformed JSON with a 400 error", async () => {
    await expect(parseJson(req("{nope"), schema)).rejects.toThrow(BadRequestError);
  });

  it("names the bad field", () => {
    try {
      parseInput(schema, { prompt: "a", seconds: 1.5 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(BadRequestError);
      expect((e as BadRequestError).field).toBe("seconds");
      expect((e as Error).message).toMatch(/^seconds: /);
    }
  });
});

describe("toErrorResponse", () => {
  it("maps typed errors to their status and envelope", async () => {
    const res = toErrorResponse(new InsufficientCreditsError(3, 16), "test");
    expect(res.status).toBe(402);
    expect(await res.json()).toEqual({ code: 402, message: "insufficient credits", data: { balance: 3, required: 16 } });
  });

  it("adds Retry-After on 429", () => {
    const res = toErrorResponse(new TooManyRequestsError(30), "test");
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("30");
  });

  it("hides internals of unknown errors", async () => {
    const spy = console.error;
    console.error = () => {};
    const res = toErrorResponse(new Error("secret stack detail"), "test");
    console.error = spy;
    expect(res.status).toBe(500);
    expect(JSON.stringify(await res.json())).not.toContain("secret");
  });

  it("answers 503 when the database connection is refused", () => {
    const spy = console.error;
    console.error = () => {};
    const res = toErrorResponse(Object.assign(new Error("x"), { cause: { code: "ECONNREFUSED" } }), "test");
    console.error = spy;
    expect(res.status).toBe(503);
  });
});
