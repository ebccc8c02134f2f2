import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { SeedSpreadResult } from "../../simulator/run/seed-spread.ts";
import { type CliRun, runFailoverCli } from "../support/failover-cli.ts";

function cli(...args: string[]): CliRun {
  return runFailoverCli(["simulate", ...args], { timeoutMs: 120_000 });
}

describe("failover simulate --seeds", () => {
  it("runs seed .. seed+N-1 and prints and writes detection, promotion and RTO as spreads", () => {
    const out = mkdtempSync(join(tmpdir(), "sim-seeds-"));
    const r = cli(
      "simulator/scenarios/prod-us-hang.yaml",
      "--seed",
      "4",
      "--seeds",
      "3",
      "--scale-time",
      "0.1",
      "--scale-rate",
      "0.1",
      "--out",
      out,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Over 3 seeds \(4\.\.6; nearest-rank percentiles/);
    expect(r.stdout).toMatch(/prod-us-hang\s+prod-us hangs\s+0\s+detect\s+3\s+\d\.\d{3}/);
    const json = JSON.parse(
      readFileSync(join(out, "prod-us-hang-seeds4-6.json"), "utf8"),
    ) as SeedSpreadResult;
    expect(json.seeds).toEqual([4, 5, 6]);
    expect(json.runs.map((run) => run.seed)).toEqual([4, 5, 6]);
    expect(json.spread[0]!.detectS!.n).toBe(3);
  }, 120_000);

  it("refuses a count that is not a positive integer, with no stack trace", () => {
    const r = cli("--seeds", "0");
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/--seeds is a count from 1 to 1000/);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
  });
});
