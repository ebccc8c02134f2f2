import { describe, expect, it } from "vitest";
import { startDynamoDbLocal } from "../support/dynamodb-local.ts";

describe("startDynamoDbLocal", () => {
  it("says Java 17 is needed when no java is on PATH, and leaves nothing running", async () => {
    const path = process.env.PATH;
    process.env.PATH = "/nonexistent";
    try {
      await expect(startDynamoDbLocal({ startTimeoutMs: 5_000 })).rejects.toThrow(/needs Java 17 or newer/);
    } finally {
      process.env.PATH = path;
    }
  });
});
