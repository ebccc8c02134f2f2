import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ScenarioResult } from "../../simulator/report/result.ts";
import { finish } from "../../simulator/run/simulate-command.ts";
import { type CliRun, runFailoverCli } from "../support/failover-cli.ts";
import { tempDir } from "../support/temp-dir.ts";

const dir = tempDir("sim-cli-");

function cli(...args: string[]): CliRun {
  return runFailoverCli(["simulate", ...args], { timeoutMs: 120_000 });
}

describe("failover simulate", () => {
  it("runs the default scenario, prints seed and parameters, writes JSON and self-contained HTML", () => {
    const out = join(dir, "default");
    const r = cli("--seed", "3", "--scale-time", "0.05", "--scale-rate", "0.2", "--out", out);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /failover simulate: prod-us-outage \(simulator\/scenarios\/prod-us-outage\.yaml\), seed 3/,
    );
    expect(r.stdout).toMatch(/seeds: run=3 faults=\d+ /);
    expect(r.stdout).toMatch(/router: edge-ohio@ohio \(us-east-2\)/);
    expect(r.stdout).toMatch(
      /control: control-us-east-1@virginia, control-us-east-2@ohio, control-us-west-2@oregon \(answers with 2 of 3\)/,
    );
    expect(r.stdout).toMatch(
      /AWS us-east-1 outage: took down AWS us-east-1: prod-us and its store, control us-east-1/,
    );
    expect(r.stdout).toMatch(/Invariants: OK/);
    const json = JSON.parse(readFileSync(join(out, "prod-us-outage-seed3.json"), "utf8")) as ScenarioResult;
    expect(json.scenario.seed).toBe(3);
    const html = readFileSync(join(out, "prod-us-outage-seed3.html"), "utf8");
    expect(html).toMatch(/<svg/);
    expect(html).toMatch(/Latency of successful requests by client location/);
    expect(html).toMatch(/Active region over time/);
    // Opens with no network: nothing fetched, no script.
    expect(html).not.toMatch(/<script|<link|src=|href=/i);
    expect(html.replaceAll("http://www.w3.org/2000/svg", "")).not.toMatch(/https?:\/\//);
  }, 120_000);

  it("exits 2 on a bad scenario, naming file, line and field, with no stack trace", () => {
    const file = join(dir, "bad.yaml");
    writeFileSync(file, "name: bad\ndurationS: 60\nclients:\n  - location: virginia\n    ratePerS: lots\n");
    const r = cli(file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:5: clients\[0\]\.ratePerS: expected a number, got "lots"/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  it("exits 1 when a scenario's expectation is not met, ending with the command that reproduces it", () => {
    const file = join(dir, "expect.yaml");
    writeFileSync(
      file,
      "name: calm\ndurationS: 5\nsettleS: 1\nclients:\n  - { location: virginia, ratePerS: 5 }\nexpect: { failoversMin: 1 }\n",
    );
    const r = cli(file, "--seed", "9", "--no-html", "--out", join(dir, "expect"));
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split("\n");
    expect(lines.at(-1)).toBe(`  node bin/failover.js simulate ${file} --seed 9`);
    expect(r.stdout).toMatch(/calm: failovers >= 1, got 0/);
  }, 60_000);

  it("prints the JSON result with --json and compares scenarios side by side", () => {
    const a = join(dir, "a.yaml");
    const b = join(dir, "b.yaml");
    writeFileSync(
      a,
      "name: a\ndurationS: 5\nsettleS: 1\nclients:\n  - { location: virginia, ratePerS: 5 }\n",
    );
    writeFileSync(b, "name: b\ndurationS: 5\nsettleS: 1\nclients:\n  - { location: ireland, ratePerS: 5 }\n");
    const r = cli(a, "--compare", b, "--json", "--out", join(dir, "cmp"));
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { kind: string; runs: ScenarioResult[] };
    expect(json.kind).toBe("comparison");
    expect(json.runs.map((x) => x.scenario.name)).toEqual(["a", "b"]);
    expect(r.stderr).toMatch(/Side by side \(seed 1\):/);
    expect(existsSync(join(dir, "cmp", "a-vs-b-seed1.html"))).toBe(true);
  }, 60_000);
});

describe("failover simulate sweep", () => {
  it("runs the grid and takes its own options", () => {
    const out = join(dir, "sweep");
    const r = cli(
      "sweep",
      "--scale-time",
      "0.05",
      "--scale-rate",
      "0.05",
      "--seed",
      "2",
      "--no-html",
      "--out",
      out,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/sweep: healthCheck\.intervalMs 500, 1000, 2000, 5000 x fallCount 1, 2, 3, 5/);
    const json = JSON.parse(readFileSync(join(out, "sweep-health-checks-sweep-seed2.json"), "utf8")) as {
      cells: unknown[];
    };
    expect(json.cells).toHaveLength(16);
    expect(existsSync(join(out, "sweep-health-checks-sweep-seed2.html"))).toBe(false);
  }, 120_000);
});

describe("on a broken invariant", () => {
  it("exits 1 and ends with the command that reproduces the run", () => {
    const lines: string[] = [];
    const broken = {
      scenario: { label: "x" },
      invariants: {
        ok: false,
        violations: ["split brain: 1 write(s) accepted by a region the control record did not name active"],
      },
      expectations: [],
    } as unknown as ScenarioResult;
    const outcome = finish(
      [broken],
      (t) => lines.push(...t.split("\n")),
      "node bin/failover.js simulate x.yaml --seed 4",
    );
    expect(outcome.exitCode).toBe(1);
    expect(lines.at(-1)).toBe("  node bin/failover.js simulate x.yaml --seed 4");
  });
});
