import { existsSync } from "node:fs";
import { defineConfig } from "vitest/config";

// Servers the tests talk to over HTTP (DynamoDB Local, moto for Route 53) are started once per
// run by these global setups, on 127.0.0.1, and stopped afterwards.
const globalSetup = ["test/support/dynamodb-local.global.ts", "test/support/moto.global.ts"].filter((f) =>
  existsSync(f),
);

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup,
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
