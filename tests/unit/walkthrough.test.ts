// docs/tasks.md "Add a task type", followed literally: the walkthrough's files are taken
// from the doc's own code blocks and written into a throwaway copy of the repository (its
// tracked and unignored files, committed into a fresh git repository, node_modules linked),
// the registry gets the doc's line, `npm run env:example` runs, and then:
//   - the copy typechecks (src/ with the new folder),
//   - the new type is registered: in the types API with its file field marked as an upload,
//     its own setting declared and written into .env.example,
//   - `git status` shows the new folder, the registry's import + entry and .env.example's
//     generated section, and nothing else.
// When the doc and the platform drift apart (a renamed option, a missing export, a step the
// doc forgets), this fails.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
const FOLDER = "src/tasks/photo-filter";
const TIMEOUT = 8 * 60_000;

/** The "Add a task type" section of docs/tasks.md. */
function walkthrough(): string {
  const doc = fs.readFileSync(path.join(ROOT, "docs/tasks.md"), "utf8");
  const start = doc.indexOf("## Add a task type");
  if (start === -1) throw new Error('docs/tasks.md has no "## Add a task type" section');
  const end = doc.indexOf("\n## ", start + 1);
  return doc.slice(start, end === -1 ? undefined : end);
}

/** The files a step names in bold (**`src/tasks/photo-filter/x`**) with the code block that follows it. */
function stepFiles(section: string): Map<string, string> {
  const files = new Map<string, string>();
  const step = /\*\*`(src\/tasks\/photo-filter\/[^`]+)`\*\*[\s\S]*?```[a-z]*\n([\s\S]*?)\n\s*```/g;
  for (const m of section.matchAll(step)) {
    // Code blocks inside a numbered list are indented: drop the block's own indentation.
    const lines = m[2].split("\n");
    const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
    files.set(m[1], lines.map((l) => l.slice(indent)).join("\n") + "\n");
  }
  return files;
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", ["-c", "user.name=walkthrough", "-c", "user.email=walkthrough@example.com", ...args], { cwd, encoding: "utf8" });

function run(cwd: string, command: string, args: string[]) {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, NODE_ENV: "test" }, timeout: TIMEOUT });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

describe("docs/tasks.md: Add a task type, followed literally in a throwaway copy", () => {
  let copy: string;
  let status: string[];

  beforeAll(() => {
    copy = fs.mkdtempSync(path.join(os.tmpdir(), "walkthrough-"));
    const files = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0").filter(Boolean);
    for (const file of files) {
      if (!fs.existsSync(path.join(ROOT, file))) continue; // deleted but not yet committed
      fs.mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
      fs.copyFileSync(path.join(ROOT, file), path.join(copy, file));
    }
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(copy, "node_modules"), "dir");
    git(copy, "init", "-q");
    git(copy, "add", "-A");
    git(copy, "commit", "-q", "-m", "before the walkthrough");

    const section = walkthrough();
    const written = stepFiles(section);
    for (const [file, text] of written) {
      fs.mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
      fs.writeFileSync(path.join(copy, file), text);
    }
    // "One line in src/services/tasks/registry.ts": the type's import and its entry in TASK_TYPES.
    const registryStep = /`(import \{ photoFilter \} from "@\/tasks\/photo-filter";)`/.exec(section);
    if (!registryStep) throw new Error("the walkthrough does not give the registry's import line");
    const registry = path.join(copy, "src/services/tasks/registry.ts");
    const source = fs.readFileSync(registry, "utf8");
    const withImport = source.replace(/(import \{ \w+ \} from "@\/tasks\/[^"]+";\n)(?!import \{ \w+ \} from "@\/tasks)/, `$1${registryStep[1]}\n`);
    const withEntry = withImport.replace(/(const TASK_TYPES: AnyTaskType\[\] = \[\n(?:  \w+,\n)+)/, "$1  photoFilter,\n");
    if (withEntry === source || !withEntry.includes("  photoFilter,\n") || !withEntry.includes(registryStep[1])) {
      throw new Error("could not apply the registry step to src/services/tasks/registry.ts");
    }
    fs.writeFileSync(registry, withEntry);
    // "npm run env:example"
    run(copy, process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "scripts/env-example.ts"]);
    status = git(copy, "status", "--porcelain", "--untracked-files=all").trimEnd().split("\n").filter(Boolean);
  }, TIMEOUT);

  afterAll(() => {
    if (copy) fs.rmSync(copy, { recursive: true, force: true });
  });

  it("the doc gives every file of the folder: limits.ts, index.ts and form.tsx", () => {
    expect([...stepFiles(walkthrough()).keys()].sort()).toEqual([`${FOLDER}/form.tsx`, `${FOLDER}/index.ts`, `${FOLDER}/limits.ts`]);
  });

  it("only the new folder, the registry's two lines and .env.example's generated section changed", () => {
    expect(status.sort()).toEqual([" M .env.example", " M src/services/tasks/registry.ts", ...[...stepFiles(walkthrough()).keys()].sort().map((f) => `?? ${f}`)]);
    const registryDiff = git(copy, "diff", "-U0", "src/services/tasks/registry.ts").split("\n").filter((l) => /^[+-][^+-]/.test(l));
    expect(registryDiff).toEqual(['+import { photoFilter } from "@/tasks/photo-filter";', "+  photoFilter,"]);
    const envDiff = git(copy, "diff", "-U0", ".env.example").split("\n").filter((l) => /^[+-][^+-]/.test(l));
    expect(envDiff.every((l) => l.startsWith("+"))).toBe(true);
    expect(envDiff).toContain("+PHOTO_FILTER_PROVIDER=mock");
    const example = fs.readFileSync(path.join(copy, ".env.example"), "utf8");
    expect(example.indexOf("PHOTO_FILTER_PROVIDER=mock")).toBeGreaterThan(example.indexOf("generated by `npm run env:example`"));
  });

  it(
    "the copy typechecks with the new type",
    () => {
      // src/ only (the new folder included): the tests are the suite's business, not the walkthrough's.
      const config = path.join(copy, "tsconfig.walkthrough.json");
      fs.writeFileSync(config, JSON.stringify({ extends: "./tsconfig.json", compilerOptions: { incremental: false }, include: ["next-env.d.ts", "src/**/*.ts", "src/**/*.tsx"] }));
      try {
        run(copy, process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "--noEmit", "-p", config]);
      } finally {
        fs.rmSync(config);
      }
    },
    TIMEOUT,
  );

  it(
    "the type is registered: in the types API (its file field an upload), its setting declared",
    () => {
      const probe = path.join(copy, "walkthrough-probe.ts");
      fs.writeFileSync(
        probe,
        [
          'import { describeTaskTypes } from "@/services/tasks/catalog";',
          'import { env } from "@/lib/env";',
          'const info = describeTaskTypes().find((t) => t.type === "photo_filter");',
          "const e = env() as Record<string, unknown>;",
          "console.log(JSON.stringify({ info, provider: e.PHOTO_FILTER_PROVIDER }));",
        ].join("\n"),
      );
      let out: string;
      try {
        out = run(copy, process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), probe]);
      } finally {
        fs.rmSync(probe);
      }
      const { info, provider } = JSON.parse(out.trim().split("\n").pop()!);
      expect(provider).toBe("mock");
      expect(info).toMatchObject({ type: "photo_filter", slug: "photo-filter", endpoint: "/api/tasks/photo-filter", outputKind: "image" });
      expect(info.inputSchema.properties.image).toMatchObject({ format: "upload", contentMediaType: "image/*" });
      expect(info.pricing.examples[0].credits).toBeGreaterThan(0);
    },
    TIMEOUT,
  );
});
