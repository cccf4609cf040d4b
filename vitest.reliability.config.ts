import path from "node:path";
import { defineConfig } from "vitest/config";

// npm run test:reliability — fault and abuse scenarios (tests/reliability), each
// against a real `next start` on a fresh PostgreSQL database (TEST_DATABASE_URL).
// Files run one after another: each starts its own server and loads the machine.
export default defineConfig({
  resolve: { alias: { "@": path.resolve(__dirname, "src") } },
  test: {
    name: "reliability",
    include: ["tests/reliability/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 300_000,
  },
});
