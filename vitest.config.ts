import { existsSync } from "node:fs";
import { defineConfig } from "vitest/config";

// Servers the tests talk to over HTTP (DynamoDB Local, moto for Route 53) are started once per
// run by these global setups, on 127.0.0.1, and stopped afterwards; the last one removes the
// port reservations the workers left (core/free-port.ts).
const globalSetup = [
  "test/support/dynamodb-local.global.ts",
  "test/support/moto.global.ts",
  "test/support/port-reservations.global.ts",
].filter((f) => existsSync(f));

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup,
    pool: "forks",
    maxWorkers: 2,
    // Bounds on a test or hook that hangs, not speeds: a test that starts several `failover`
    // processes takes minutes on the shared 2-core machine under load (one such process took
    // 17 s at a load average of 19; test/support/loaded-machine.ts). Tests that assert a time
    // do so themselves, with bounds derived from their config.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
