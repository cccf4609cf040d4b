// Issue 26, item 3 (the functional half; the flood itself is tests/reliability/h-token-flood):
// the routes that take a mailed token (password reset, email verification, magic-link
// sign-in, email-change confirmation) had no rate limit, and the reset hashed the new
// password (scrypt) before looking the token up. Now each is limited per client address
// and globally (TOKEN_RATE_LIMIT_*: 429 with Retry-After, nothing written), and an unknown
// token is refused before any password work: the 400 names `token` even for a weak password.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOwnServer } from "../support/http-setup";
import { TestClient } from "../support/http-client";

const PER_IP = 3;
const GLOBAL = 5;
const randomToken = () => crypto.randomBytes(32).toString("base64url");

describe("token-bearing routes: lookup first, limited per client and globally", () => {
  let server: Awaited<ReturnType<typeof startOwnServer>>;
  beforeAll(async () => {
    server = await startOwnServer("http_token_routes", {
      TOKEN_RATE_LIMIT_PER_IP: String(PER_IP),
      TOKEN_RATE_LIMIT_GLOBAL: String(GLOBAL),
      TOKEN_RATE_LIMIT_WINDOW_SECONDS: "600",
    });
  }, 180_000);
  afterAll(async () => server?.stopAll());

  const ROUTES: Array<{ name: string; send: (c: TestClient, token: string) => Promise<Response> }> = [
    { name: "password reset", send: (c, token) => c.fetch("/api/auth/password/reset", json({ token, password: "a-fine-strong-phrase-17" })) },
    { name: "email verification", send: (c, token) => c.fetch("/api/auth/verify-email", json({ token })) },
    { name: "email-change confirmation", send: (c, token) => c.fetch("/api/account/email/confirm", json({ token })) },
    {
      name: "magic-link sign-in",
      send: async (c, token) => {
        const csrf = ((await c.json<never>("/api/auth/csrf")).body as unknown as { csrfToken: string }).csrfToken;
        return c.fetch(`/api/auth/callback/email?${new URLSearchParams({ token })}`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", "X-Auth-Return-Redirect": "1", "sec-fetch-site": "same-origin" },
          body: new URLSearchParams({ csrfToken: csrf }).toString(),
        });
      },
    },
  ];

  it("an unknown token with a weak password: 400 naming token (the token is looked up before the password is weighed or hashed)", async () => {
    const res = await new TestClient(server.url).postJson("/api/auth/password/reset", { token: randomToken(), password: "password1" });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 400, data: { field: "token" } });
  });

  it.each(ROUTES)("$name: refused tokens answer at once; past the per-address and the global limit, 429 with Retry-After", async ({ send }) => {
    const before = server.output().length;
    const tokens: string[] = [];
    const statuses = async (c: TestClient, n: number) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        const token = randomToken();
        tokens.push(token);
        const res = await send(c, token);
        out.push(res.status);
        if (res.status === 429) {
          expect(res.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
          expect(await res.json()).toMatchObject({ code: 429, data: { retryAfterSeconds: expect.any(Number) } });
        } else await res.arrayBuffer();
      }
      return out;
    };
    const a = new TestClient(server.url);
    const first = await statuses(a, PER_IP + 1);
    expect(first.slice(0, PER_IP).every((s) => s !== 429)).toBe(true);
    expect(first[PER_IP]).toBe(429);
    // Other addresses still get through until the global limit, then everyone gets 429.
    // (The route's global count may already hold a request of the test above.)
    const others: number[] = [];
    for (let i = 0; i < GLOBAL; i++) others.push(...(await statuses(new TestClient(server.url), 1)));
    const firstRefused = others.indexOf(429);
    expect(firstRefused).toBeGreaterThanOrEqual(1);
    expect(firstRefused).toBeLessThanOrEqual(GLOBAL - PER_IP);
    expect(others.slice(firstRefused).every((s) => s === 429)).toBe(true);
    // One line per refusal, never the token.
    await new Promise((r) => setTimeout(r, 300));
    const logged = server.output().slice(before);
    for (const token of tokens) expect(logged).not.toContain(token);
  });
});

function json(body: unknown): RequestInit {
  return { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}
