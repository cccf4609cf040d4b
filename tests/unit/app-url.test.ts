// Issue 30, item 8: which links a server builds. APP_URL when set; in development without it, the
// request's own origin (so `next dev -p 3001` links to :3001); and the start-up warning of a
// production server whose APP_URL does not reach it.
import { afterEach, describe, expect, it, vi } from "vitest";

const headerValues = new Map<string, string>();
vi.mock("next/headers", () => ({
  headers: async () => {
    if (headerValues.size === 0) throw new Error("outside a request");
    return new Headers([...headerValues]);
  },
}));

const { appUrl, appUrlMismatch } = await import("@/lib/app-url");
const { resetEnvCache } = await import("@/lib/env");

function environment(values: Record<string, string | undefined>) {
  for (const [k, v] of Object.entries(values)) vi.stubEnv(k, v as string);
  resetEnvCache();
}

afterEach(() => {
  vi.unstubAllEnvs();
  headerValues.clear();
  resetEnvCache();
});

describe("appUrl", () => {
  it("is APP_URL when set, whatever the request", async () => {
    environment({ NODE_ENV: "development", APP_URL: "https://studio.example/" });
    headerValues.set("host", "localhost:3001");
    expect(await appUrl()).toBe("https://studio.example");
  });

  it("in development without APP_URL, follows the request's host (next dev -p 3001)", async () => {
    environment({ NODE_ENV: "development", APP_URL: undefined });
    headerValues.set("host", "localhost:3001");
    expect(await appUrl()).toBe("http://localhost:3001");
    headerValues.set("x-forwarded-proto", "https");
    headerValues.set("x-forwarded-host", "dev.example:8443");
    expect(await appUrl()).toBe("https://dev.example:8443");
  });

  it("falls back to the default outside a request, for a host that is not a host, and in production", async () => {
    environment({ NODE_ENV: "development", APP_URL: undefined });
    expect(await appUrl()).toBe("http://localhost:3000");
    headerValues.set("host", "evil.example/path?x");
    expect(await appUrl()).toBe("http://localhost:3000");
    environment({ NODE_ENV: "production", APP_URL: undefined });
    headerValues.set("host", "localhost:3001");
    expect(await appUrl()).toBe("http://localhost:3000");
  });
});

describe("appUrlMismatch (the production start-up warning)", () => {
  it("warns when APP_URL is unset or names this machine on another port", () => {
    expect(appUrlMismatch(undefined, "3000")).toMatch(/APP_URL is not set/);
    expect(appUrlMismatch("http://localhost:3000", "4000")).toMatch(/port 3000 .* port 4000/);
    expect(appUrlMismatch("http://127.0.0.1", "3000")).toMatch(/port 80 .* port 3000/);
  });

  it("is quiet when they agree, or for a public URL (a proxy may use any port)", () => {
    expect(appUrlMismatch("http://localhost:4000", "4000")).toBeNull();
    expect(appUrlMismatch("https://studio.example", "3000")).toBeNull();
    expect(appUrlMismatch("http://localhost:4000", undefined)).toBeNull();
  });
});
