import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TEST_DIST_DIR } from "../support/app-server";

// The build exists: the http project's globalSetup made it.
describe("server start", () => {
  it("a production deployment without AUTH_SECRET stops at start, naming the variable", async () => {
    const root = path.resolve(import.meta.dirname, "../..");
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: "production",
      NEXT_DIST_DIR: TEST_DIST_DIR,
      DATABASE_URL: "postgres://nobody@127.0.0.1:1/none",
    };
    delete env.AUTH_SECRET;
    const child = spawn(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "start", "-p", "0"], { cwd: root, env });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        resolve(null);
      }, 30_000);
      child.on("exit", (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(output).toContain("Missing required environment variable(s) for production: AUTH_SECRET");
    expect(code).toBe(1);
  });
});
