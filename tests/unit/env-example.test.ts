import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { declareEnv, sharedEnvNames } from "@/lib/env";
import { generatedEnvSection, withGeneratedSection } from "@/lib/env-example";
import "@/services/tasks/registry";

// .env.example documents every setting: the shared ones (src/lib/env.ts) by hand, the
// task types' own (their `env`) in a section `npm run env:example` generates.
const file = fs.readFileSync(".env.example", "utf8");

describe(".env.example", () => {
  it("its generated section is what the registered types declare (else: npm run env:example)", () => {
    expect(withGeneratedSection(file), "run `npm run env:example`").toBe(file);
  });

  it("names every shared setting", () => {
    // NODE_ENV is set by Next.js itself (development under next dev, production under next start).
    const missing = sharedEnvNames().filter((name) => name !== "NODE_ENV" && !new RegExp(`^#? ?${name}=`, "m").test(file));
    expect(missing).toEqual([]);
  });

  it("a new type's setting shows up in the section with its comment and default, and a stale file is caught", () => {
    declareEnv("task type test_env_example", {
      TEST_ENV_EXAMPLE_PROVIDER: z.enum(["mock", "acme"]).default("mock").describe("Which provider the test type uses."),
      TEST_ENV_EXAMPLE_KEY: z.string().optional().describe("Its key."),
    });
    try {
      const section = generatedEnvSection();
      expect(section).toContain("# Which provider the test type uses.\nTEST_ENV_EXAMPLE_PROVIDER=mock");
      expect(section).toContain("# Its key.\n# TEST_ENV_EXAMPLE_KEY=");
      expect(withGeneratedSection(file)).not.toBe(file);
    } finally {
      declareEnv("task type test_env_example", {});
    }
  });

  it("a type's setting can shadow neither a shared one nor another type's", () => {
    expect(() => declareEnv("task type test_shadow", { APP_URL: z.string() })).toThrow(/shared setting/);
    expect(() => declareEnv("task type test_shadow", { TEXT2VIDEO_PROVIDER: z.string() })).toThrow(/already declared by task type text_to_video/);
  });
});
