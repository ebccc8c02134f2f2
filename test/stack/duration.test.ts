import { describe, expect, it } from "vitest";
import { parseDurationMs } from "../../cli/duration.ts";

describe("parseDurationMs", () => {
  it.each([
    ["500ms", 500],
    ["30s", 30_000],
    ["30", 30_000],
    ["1.5s", 1500],
    ["2m", 120_000],
    ["1h", 3_600_000],
  ])("%s is %d ms", (text, ms) => expect(parseDurationMs(text)).toBe(ms));

  it.each(["", "s", "10 minutes", "-5s", "1d"])("refuses %j with a message naming the forms", (text) => {
    expect(() => parseDurationMs(text, "--for")).toThrow(/--for must look like 500ms, 30s/);
  });
});
