import { existsSync } from "node:fs";
import { defineConfig } from "vitest/config";

// Servers the tests talk to over HTTP (DynamoDB Local, moto for Route 53) are started once per
// run by these global setups, on 127.0.0.1, and stopped afterwards.
// The AWS SDK warns on every client that its Node 20 support ends; the project targets Node 20.19+.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

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
    // The AWS SDK warns on every client that Node 20 support ends; the project targets Node 20.19+.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  },
});
