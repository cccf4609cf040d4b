// Issue 11, item 3: no open redirect after sign-in. `/\t/evil.example` used to pass
// safeCallbackUrl and Chromium followed it (browsers turn it into //evil.example).
import { beforeAll, describe, expect, inject, it } from "vitest";
import { signedInClient, type TestClient } from "../support/http-client";

const base = inject("baseUrl");
const FALLBACK = "/en/credits";

const BYPASSES = [
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r\n/evil.example",
  "\t//evil.example",
  "//evil.example",
  "/\\evil.example",
  "\\/evil.example",
  "\\\\evil.example",
  "/%09/evil.example",
  "/%0d%0a/evil.example",
  "/%2F%2Fevil.example",
  "%2F%2Fevil.example",
  "/%5Cevil.example",
  "https:evil.example",
  "https:/evil.example",
  "https://evil.example/x",
  "http://evil.example",
  "//user@evil.example",
  `${base}@evil.example`,
  "http://user:pass@127.0.0.1/x",
  "javascript:alert(1)",
  "/.//evil.example",
  " //evil.example",
];

describe("callbackUrl of the sign-in page (a signed-in visitor is sent straight on)", () => {
  let client: TestClient;
  beforeAll(async () => {
    ({ client } = await signedInClient(base));
  });

  async function target(callbackUrl: string): Promise<string> {
    const res = await client.fetch(`/en/auth/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`);
    expect(res.status).toBe(307);
    return res.headers.get("location") ?? "";
  }

  it.each(BYPASSES)("%j goes to the app's own fallback page", async (value) => {
    const location = await target(value);
    const resolved = new URL(location, base);
    expect(resolved.origin).toBe(new URL(base).origin);
    expect(resolved.pathname).toBe(FALLBACK);
    expect(location).not.toMatch(/[\\\u0000-\u001f]|^\/\/|evil/);
  });

  it.each([
    ["/en/tasks?page=2#top", "/en/tasks?page=2#top"],
    [`${base}/zh/orders`, "/zh/orders"],
  ])("%s, inside the app, is kept", async (value, expected) => {
    const location = await target(value);
    expect(new URL(location, base).origin).toBe(new URL(base).origin);
    expect(location.replace(/^https?:\/\/[^/]+/, "")).toBe(expected);
  });
});
