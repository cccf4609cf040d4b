import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const read = (p: string) => fs.readFileSync(path.join(ROOT, p), "utf8");

describe("deploy files", () => {
  it("vercel.json's crons call routes that answer GET (what Vercel Cron sends, with Authorization: Bearer $CRON_SECRET)", () => {
    const { crons } = JSON.parse(read("vercel.json")) as { crons: Array<{ path: string; schedule: string }> };
    expect(crons.map((c) => c.path).sort()).toEqual(["/api/cron/stripe-reconcile", "/api/cron/tasks"]);
    for (const cron of crons) {
      const route = read(`src/app${cron.path}/route.ts`);
      expect(route).toMatch(/export \{[^}]*\bas GET\b/);
      expect(route).toContain("cronRoute(");
    }
    expect(read("src/lib/http/cron.ts")).toContain("Bearer ${secret}");
  });

  it("the image runs as a non-root user and builds the standalone output", () => {
    const dockerfile = read("Dockerfile");
    expect(dockerfile).toMatch(/^USER app$/m);
    expect(dockerfile).toContain("NEXT_OUTPUT=standalone");
    expect(dockerfile).toMatch(/^CMD \["node", "server.js"\]$/m);
    expect(read(".dockerignore")).toMatch(/^\.env$/m);
  });
});
