// The pure parts of API keys: reading the Bearer header, the same-origin check skipping
// bearer requests, a key in the query string refused by the route wrapper, the input schema.
import { describe, expect, it } from "vitest";
import { bearerToken } from "@/lib/http/bearer";
import { assertSameOrigin, route, ok } from "@/lib/http/api";
import { API_KEY_LOOKALIKE, API_KEY_PATTERN, createApiKeyInput } from "@/lib/schemas/api-keys";

const KEY = `sk_live_${"a".repeat(43)}`;

describe("bearerToken", () => {
  it("reads the token of a Bearer header, any case and spacing; null for other schemes", () => {
    expect(bearerToken(`Bearer ${KEY}`)).toBe(KEY);
    expect(bearerToken(`bearer   ${KEY}  `)).toBe(KEY);
    expect(bearerToken("Bearer")).toBe("");
    expect(bearerToken("Basic dXNlcjpwYXNz")).toBeNull();
    expect(bearerToken(null)).toBeNull();
  });
});

describe("key format", () => {
  it("matches whole keys only; the lookalike finds one inside any text", () => {
    expect(API_KEY_PATTERN.test(KEY)).toBe(true);
    expect(API_KEY_PATTERN.test(`${KEY}x`)).toBe(false);
    expect(API_KEY_PATTERN.test("sk_prod_" + "a".repeat(43))).toBe(false);
    expect(API_KEY_LOOKALIKE.test(`x=${KEY.slice(0, 20)}`)).toBe(true);
  });

  it("createApiKeyInput: trims the name, optional expiry in the future and whole cap", () => {
    expect(createApiKeyInput.parse({ name: " CI " })).toMatchObject({ name: "CI" });
    expect(createApiKeyInput.safeParse({ name: "x", expiresAt: new Date(Date.now() - 1000).toISOString() }).success).toBe(false);
    expect(createApiKeyInput.safeParse({ name: "x", expiresAt: null, monthlyCreditCap: null }).success).toBe(true);
    expect(createApiKeyInput.safeParse({ name: "x", monthlyCreditCap: 2.5 }).success).toBe(false);
  });
});

describe("the same-origin check and bearer requests", () => {
  const post = (headers: Record<string, string>) => new Request("http://localhost:3000/api/tasks/text-to-image", { method: "POST", headers });
  const cookie = "authjs.session-token=abc";

  it("a cookie write from another origin is refused; with a Bearer key it is judged by the key", () => {
    expect(() => assertSameOrigin(post({ cookie, origin: "https://evil.example" }))).toThrow(/cross-origin/);
    expect(() => assertSameOrigin(post({ cookie, origin: "https://evil.example", authorization: `Bearer ${KEY}` }))).not.toThrow();
    expect(() => assertSameOrigin(post({ cookie, origin: "https://evil.example", authorization: "Basic eDp5" }))).toThrow(/cross-origin/);
  });

  it("a key in the query string: 400 naming the parameter, before the handler runs", async () => {
    let ran = false;
    const handler = route(async () => {
      ran = true;
      return ok({});
    });
    const res = await handler(new Request(`http://localhost:3000/api/tasks?api_key=${KEY}`), {});
    expect(res.status).toBe(400);
    expect((await res.json()).data).toMatchObject({ field: "api_key" });
    expect(ran).toBe(false);
  });
});
