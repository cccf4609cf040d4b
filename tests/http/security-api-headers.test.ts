// Issue 26, item 11: `GET/HEAD /api/<unknown>` answered 404 without `Cache-Control: no-store`
// or a request id (the catch-all was not wrapped in the route helper), and so did the answers
// Next.js writes itself (a method a route does not export, OPTIONS). Every /api answer now
// carries both: known routes, unknown routes, refusals and errors.
import { describe, expect, inject, it } from "vitest";
import { signedInClient } from "../support/http-client";
import { rawRequest } from "../support/raw-http";

const base = inject("baseUrl");
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function expectApiHeaders(headers: { get(name: string): string | null }, what: string) {
  expect(headers.get("cache-control"), what).toContain("no-store");
  expect(headers.get("x-request-id"), what).toMatch(ID);
}

describe("every /api answer: Cache-Control no-store and a request id", () => {
  it("unknown routes, every method: a 404 envelope with both", async () => {
    for (const method of ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]) {
      for (const path of ["/api/nope", "/api/tasks/x/y/z", "/api/admin/nothing-here"]) {
        const res = await fetch(`${base}${path}`, { method, ...(method === "POST" ? { headers: { "content-type": "application/json" }, body: "{}" } : {}) });
        const what = `${method} ${path}`;
        expect(res.status, what).toBe(404);
        expectApiHeaders(res.headers, what);
        if (method !== "HEAD") expect(await res.json(), what).toMatchObject({ code: 404 });
      }
    }
  });

  it("known routes: answers, refusals and errors", async () => {
    const { client } = await signedInClient(base);
    const cases: Array<[string, RequestInit, number]> = [
      ["/api/health", {}, 200],
      ["/api/health", { method: "HEAD" }, 200],
      ["/api/credits", {}, 401], // signed out
      ["/api/tasks/00000000-0000-4000-8000-000000000000", {}, 401],
      ["/api/auth/signup", { method: "POST", headers: { "content-type": "text/plain" }, body: "x" }, 415],
      ["/api/auth/signup", { method: "POST", headers: { "content-type": "application/json" }, body: "{" }, 400],
      ["/api/tasks/no-such-type", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }, 404],
      ["/api/health", { method: "DELETE" }, 405], // a method the route does not export: Next.js's own answer
      ["/api/credits", { method: "OPTIONS" }, 204], // Next.js's own answer
    ];
    for (const [path, init, status] of cases) {
      const res = await fetch(`${base}${path}`, init);
      const what = `${init.method ?? "GET"} ${path}`;
      expect(res.status, what).toBe(status);
      expectApiHeaders(res.headers, what);
    }
    const signedIn = await client.fetch("/api/credits");
    expect(signedIn.status).toBe(200);
    expectApiHeaders(signedIn.headers, "GET /api/credits signed in");
  });

  it("malformed URLs refused before Next.js (400) carry both too", async () => {
    for (const path of ["/api/%", "/api/tasks/%ZZ"]) {
      const res = await rawRequest(base, `GET ${path} HTTP/1.1`);
      expect(res.status, path).toBe(400);
      expect(String(res.headers["cache-control"]), path).toContain("no-store");
      expect(String(res.headers["x-request-id"]), path).toMatch(ID);
    }
  });

  it("a caller's sane X-Request-Id is answered back, on known and unknown routes alike", async () => {
    for (const path of ["/api/health", "/api/nope", "/api/credits"]) {
      const res = await fetch(`${base}${path}`, { headers: { "x-request-id": "lb-7f3a.42" } });
      expect(res.headers.get("x-request-id"), path).toBe("lb-7f3a.42");
    }
    const odd = await fetch(`${base}/api/nope`, { headers: { "x-request-id": "<script>" } });
    expect(odd.headers.get("x-request-id")).toMatch(ID);
  });

  it("the public social card keeps its own cache policy, with a request id", async () => {
    const res = await fetch(`${base}/api/og?page=home&locale=en`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toContain("public");
    expect(res.headers.get("x-request-id")).toMatch(ID);
  });
});
