import os from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";

// Projects:
//   unit         pure functions, no database
//   pglite       integration tests on a fresh in-memory PGlite per file
//   postgres     the same integration tests on a fresh PostgreSQL database per file
//                (only when TEST_DATABASE_URL is set)
//   http         route tests against a real `next start` (see tests/support/http-setup.ts)
const alias = { "@": path.resolve(__dirname, "src") };
const integration = (kind: "pglite" | "postgres") => ({
  resolve: { alias },
  test: {
    name: kind,
    include: ["tests/integration/**/*.test.ts"],
    setupFiles: ["tests/support/setup-db.ts"],
    env: { TEST_DB_KIND: kind, TOKEN_REFUSAL_DELAY_MS: "0" },
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});

export default defineConfig({
  resolve: { alias },
  test: {
    // At least two files at once, even on two cores (Vitest's default is cores - 1): the
    // files mostly wait on PostgreSQL and the app server, so two halve the suite (CI: ~20 -> ~10 min).
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
    projects: [
      { resolve: { alias }, test: { name: "unit", include: ["tests/unit/**/*.test.ts"] } },
      integration("pglite"),
      ...(process.env.TEST_DATABASE_URL ? [integration("postgres")] : []),
      {
        resolve: { alias },
        test: {
          name: "http",
          include: ["tests/http/**/*.test.ts"],
          globalSetup: ["tests/support/http-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
