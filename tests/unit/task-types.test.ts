import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parseInput } from "@/lib/http/api";
import { BadRequestError } from "@/lib/http/errors";
import { MOCK_FAIL_MARKER } from "@/services/ai/providers/mock";
import { describeTaskTypes } from "@/services/tasks/catalog";
import { defineTaskType } from "@/services/tasks/define";
import { taskTypes } from "@/services/tasks/registry";
import { TEXT2IMAGE_COST, textToImageCost, textToImageInput } from "@/tasks/text-to-image/input";
import { fluxSchnellInput, textToImageMock } from "@/tasks/text-to-image/providers";
import { noFiles } from "../support/submit-context";
import { pickDemoScene } from "@/services/ai/providers/demo-scenes";

describe("the task-type registry", () => {
  it("every registered type has its name, ledger label and description in English and Chinese", () => {
    expect(taskTypes().length).toBeGreaterThanOrEqual(2);
    for (const d of taskTypes()) {
      for (const locale of ["en", "zh"] as const) {
        const labels = d.labels[locale];
        expect(labels, `${d.type} ${locale}`).toBeDefined();
        for (const key of ["name", "ledger", "description"] as const) expect(labels[key].trim(), `${d.type} ${locale} ${key}`).not.toBe("");
      }
      // The page strings, when a type has them, exist in both languages with the same keys.
      const keys = (o: unknown): string[] =>
        o && typeof o === "object" ? Object.entries(o).flatMap(([k, v]) => [k, ...keys(v).map((s) => `${k}.${s}`)]) : [];
      expect(keys(d.labels.zh.page).sort(), d.type).toEqual(keys(d.labels.en.page).sort());
      expect(!!d.labels.zh.details, d.type).toBe(!!d.labels.en.details);
    }
  });

  it("a type with a page has its form where the generic page imports it: src/tasks/<slug>/form.tsx, a default export", () => {
    for (const d of taskTypes().filter((t) => t.form)) {
      const file = `src/tasks/${d.slug}/form.tsx`;
      expect(fs.existsSync(file), file).toBe(true);
      const source = fs.readFileSync(file, "utf8");
      expect(source.startsWith('"use client"'), `${file} is a client component`).toBe(true);
      expect(source, `${file} default-exports its form`).toMatch(/^export default function \w+/m);
      // The registry's module graph (every page's layout) must not reach the form.
      expect(fs.readFileSync(`src/tasks/${d.slug}/index.ts`, "utf8"), d.type).not.toMatch(/import\(["']\.\/form["']\)/);
    }
  });

  it("types, slugs and ledger trans_types are unique; every selected provider exists", () => {
    const all = taskTypes();
    expect(new Set(all.map((d) => d.type)).size).toBe(all.length);
    expect(new Set(all.map((d) => d.slug)).size).toBe(all.length);
    expect(new Set(all.map((d) => d.transType)).size).toBe(all.length);
    for (const d of all) {
      expect(d.providers.names()).toContain("mock");
      expect(d.providers.has(d.providers.selected())).toBe(true);
    }
  });

  it("the catalog prices every example with the type's own cost function, within its stated range", () => {
    for (const info of describeTaskTypes()) {
      expect(info.inputSchema).toMatchObject({ type: "object" });
      for (const example of info.pricing.examples) {
        expect(Number.isInteger(example.credits)).toBe(true);
        expect(example.credits).toBeGreaterThanOrEqual(info.pricing.minCredits);
        expect(example.credits).toBeLessThanOrEqual(info.pricing.maxCredits);
      }
    }
  });

  it("refuses malformed definitions", () => {
    const base = {
      type: "ok_type",
      slug: "ok-type",
      transType: "task_ok",
      outputKind: "text" as const,
      input: z.object({}),
      cost: () => 1,
      pricing: { summary: "1", minCredits: 1, maxCredits: 1, examples: [] },
      defaultInput: {},
      providers: {},
      labels: { en: { name: "a", ledger: "a", description: "a" }, zh: { name: "a", ledger: "a", description: "a" } },
    };
    expect(() => defineTaskType(base)).toThrow(/provider/);
    expect(() => defineTaskType({ ...base, type: "Bad Type" })).toThrow(/snake_case/);
    const providers = { mock: { create: () => ({ name: "mock", submit: async () => ({ jobId: "j", status: { state: "running" as const, progress: 0 } }), fetchStatus: async () => ({ state: "running" as const, progress: 0 }) }) } };
    const metered = { maxCost: () => 5, costFromUsage: () => 1 };
    // A type is priced either way, never both or neither.
    expect(() => defineTaskType({ ...base, providers, metered })).toThrow(/either cost/);
    expect(() => defineTaskType({ ...base, providers, cost: undefined })).toThrow(/either cost/);
    expect(defineTaskType({ ...base, providers, cost: undefined, metered }).cost({}, {})).toBe(5);
  });
});

describe("text-to-image", () => {
  it("costs 2 credits at 512x512 and 5 at 1024x1024", () => {
    expect(TEXT2IMAGE_COST).toEqual({ "512x512": 2, "1024x1024": 5 });
    expect(textToImageCost("512x512")).toBe(2);
    expect(textToImageCost("1024x1024")).toBe(5);
  });

  it("takes a prompt of 1 to 1000 characters and one of the two sizes", () => {
    const fieldOf = (value: unknown) => {
      try {
        parseInput(textToImageInput, value);
        return "accepted";
      } catch (e) {
        expect(e).toBeInstanceOf(BadRequestError);
        return (e as BadRequestError).field;
      }
    };
    expect(parseInput(textToImageInput, { prompt: " a cat ", size: "512x512", extra: 1 })).toEqual({ prompt: "a cat", size: "512x512" });
    expect(fieldOf({ prompt: "y".repeat(1000), size: "1024x1024" })).toBe("accepted");
    expect(fieldOf({ prompt: "y".repeat(1001), size: "1024x1024" })).toBe("prompt");
    expect(fieldOf({ prompt: "", size: "1024x1024" })).toBe("prompt");
    expect(fieldOf({ prompt: "a", size: "640x480" })).toBe("size");
    expect(fieldOf({ prompt: "a" })).toBe("size");
  });

  it("maps sizes onto FLUX schnell's inputs: square, 0.25 or 1 megapixel, one PNG", () => {
    expect(fluxSchnellInput({ prompt: "p", size: "512x512" })).toEqual({
      prompt: "p",
      aspect_ratio: "1:1",
      megapixels: "0.25",
      num_outputs: 1,
      output_format: "png",
    });
    expect(fluxSchnellInput({ prompt: "p", size: "1024x1024" })).toMatchObject({ megapixels: "1" });
  });

  it("the mock returns the bundled sample of the requested size, asynchronously, and fails on demand", async () => {
    let now = 0;
    const p = textToImageMock({ delayMs: 1000, now: () => now });
    const small = await p.submit({ prompt: "a", size: "512x512" }, noFiles("t"));
    const big = await p.submit({ prompt: "a", size: "1024x1024" }, noFiles("u"));
    const bad = await p.submit({ prompt: `x ${MOCK_FAIL_MARKER}`, size: "512x512" }, noFiles("v"));
    now = 500;
    expect(await p.fetchStatus(small.jobId)).toEqual({ state: "running", progress: 50 });
    expect((await p.fetchStatus(bad.jobId)).state).toBe("failed");
    now = 1000;
    expect((await p.fetchStatus(small.jobId)).outputUrl).toBe(`/demo/image/${pickDemoScene("a")}-512x512.jpg`);
    expect((await p.fetchStatus(big.jobId)).outputUrl).toBe(`/demo/image/${pickDemoScene("a")}-1024x1024.jpg`);
  });
});
