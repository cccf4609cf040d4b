import { describe, expect, inject, it } from "vitest";

const base = inject("baseUrl");

describe("API basics", () => {
  it("GET /api/health answers the envelope with the database kind", async () => {
    const res = await fetch(`${base}/api/health`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.code).toBe(0);
    expect(["pglite", "postgres"]).toContain(body.data.database.kind);
    expect(body.data.database.ok).toBe(true);
  });

  it("unknown API routes answer a JSON 404 envelope", async () => {
    for (const method of ["GET", "POST", "DELETE"]) {
      const res = await fetch(`${base}/api/does-not-exist/${method}`, { method });
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toContain("application/json");
      expect(await res.json()).toEqual({ code: 404, message: "no such API route", data: null });
    }
  });

  it("the bare root redirects to a locale and the landing page renders in en and zh", async () => {
    const root = await fetch(`${base}/`, { redirect: "manual", headers: { "accept-language": "zh-CN,zh;q=0.9" } });
    expect(root.status).toBe(307);
    expect(root.headers.get("location")).toMatch(/\/zh$/);
    const en = await (await fetch(`${base}/en`)).text();
    expect(en).toContain("Turn a sentence into a video");
    const zh = await (await fetch(`${base}/zh`)).text();
    expect(zh).toContain("一句话，生成一段视频");
  });

  it("pages send security headers", async () => {
    const res = await fetch(`${base}/en`);
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
  });
});
