import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Native modules (better-sqlite3, serialport) and child processes: one process per test file.
    pool: "forks",
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
