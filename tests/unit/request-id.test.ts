import { describe, expect, it } from "vitest";
import { fail, ok, route } from "@/lib/http/api";
import { currentRequestId } from "@/lib/http/request-context";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const call = (handler: () => Promise<Response>, headers: Record<string, string> = {}) =>
  route(handler)(new Request("http://x/api/thing", { headers }), undefined);

describe("request ids (route())", () => {
  it("takes a sane X-Request-Id, answers it in the header, and makes it visible to the handler's code", async () => {
    let seen: string | undefined;
    const res = await call(async () => {
      await new Promise((r) => setTimeout(r, 1));
      seen = currentRequestId();
      return ok({ fine: true });
    }, { "x-request-id": "lb-7f3a.42:abc" });
    expect(res.headers.get("x-request-id")).toBe("lb-7f3a.42:abc");
    expect(seen).toBe("lb-7f3a.42:abc");
    expect(await res.json()).toEqual({ code: 0, message: "ok", data: { fine: true } });
  });

  it("generates one when the header is missing, too long or not a plain token", async () => {
    const cases: Array<Record<string, string>> = [{}, { "x-request-id": "a".repeat(129) }, { "x-request-id": "<script>" }, { "x-request-id": "two words" }];
    for (const headers of cases) {
      const res = await call(async () => ok(null), headers);
      expect(res.headers.get("x-request-id")).toMatch(UUID);
    }
  });

  it("a 5xx envelope carries data.requestId: unhandled errors, and 5xx answers of the handler (data kept)", async () => {
    const thrown = await call(async () => {
      throw new Error("boom");
    }, { "x-request-id": "req-1" });
    expect(thrown.status).toBe(500);
    expect(await thrown.json()).toEqual({ code: 500, message: "internal server error", data: { requestId: "req-1" } });

    const answered = await call(async () => fail(503, "database unavailable", { status: "degraded" }), { "x-request-id": "req-2" });
    expect(answered.status).toBe(503);
    expect(answered.headers.get("x-request-id")).toBe("req-2");
    expect(await answered.json()).toEqual({ code: 503, message: "database unavailable", data: { status: "degraded", requestId: "req-2" } });
  });

  it("4xx envelopes are left as they are", async () => {
    const res = await call(async () => fail(400, "prompt: required", null));
    expect(await res.json()).toEqual({ code: 400, message: "prompt: required", data: null });
  });
});
