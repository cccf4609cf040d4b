// npm run env:example: rewrites the generated section of .env.example from every
// registered task type's `env` declarations (src/lib/env-example.ts). --check exits 1
// when the file is out of date instead of writing it.
import fs from "node:fs";
import path from "node:path";
import "@/services/tasks/registry";
import { withGeneratedSection } from "@/lib/env-example";

const file = path.resolve(".env.example");
const current = fs.readFileSync(file, "utf8");
const next = withGeneratedSection(current);
if (process.argv.includes("--check")) {
  if (next !== current) {
    console.error(".env.example is out of date: run `npm run env:example`");
    process.exit(1);
  }
  console.log(".env.example is up to date");
} else if (next !== current) {
  fs.writeFileSync(file, next);
  console.log("wrote .env.example");
} else {
  console.log(".env.example is up to date");
}
