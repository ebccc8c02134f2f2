import { execFileSync, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../config/config-error.ts";
import { diffConfigs } from "../../config/diff-config.ts";
import { resolveEnvName } from "../../config/env-name.ts";
import { environmentFile, loadConfigFile, loadEnvironment } from "../../config/load-config.ts";
import { tempDir } from "../support/temp-dir.ts";

function tempFile(name: string, content: unknown): string {
  const dir = tempDir("failover-config-");
  const file = join(dir, name);
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}

function problemsOf(fn: () => unknown): { file: string; field: string; reason: string }[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("environments", () => {
  it("production has prod-us active in us-east-1 (virginia) and prod-ie standby in eu-west-1 (ireland)", () => {
    const prod = loadEnvironment("production");
    expect(prod.initialActive).toBe("prod-us");
    expect(prod.regions.map((r) => [r.name, r.awsRegion, r.location])).toEqual([
      ["prod-us", "us-east-1", "virginia"],
      ["prod-ie", "eu-west-1", "ireland"],
    ]);
    const names = ["development", "staging"].flatMap((e) =>
      loadEnvironment(e as "staging").regions.map((r) => r.name),
    );
    expect(names.some((n) => n.startsWith("prod-"))).toBe(false);
  });

  it("picks USER_ENV_NAME over ENV_NAME, defaults to development, and refuses unknown names", () => {
    expect(resolveEnvName({})).toBe("development");
    expect(resolveEnvName({ ENV_NAME: "staging" })).toBe("staging");
    expect(resolveEnvName({ ENV_NAME: "production", USER_ENV_NAME: "development" })).toBe("development");
    const problems = problemsOf(() => resolveEnvName({ ENV_NAME: "prod" }));
    expect(problems[0]).toMatchObject({ file: "environment variable ENV_NAME" });
    expect(problems[0]!.reason).toContain('"prod" is not an environment');
  });

  it("lists every problem in a bad file with file, field path and reason", () => {
    const prod = JSON.parse(execFileSync("cat", [environmentFile("production")], { encoding: "utf8" }));
    prod.initialActive = "prod-eu";
    prod.regions[1].endpoint = "not a url";
    prod.router.healthCheck.timeoutMs = 5000; // > intervalMs 2000
    prod.router.healthCheck.intervalMsec = 10; // typo
    prod.dns.healthCheck.requestIntervalS = 15; // Route 53 accepts 10 or 30
    const file = tempFile("bad.json", prod);
    const problems = problemsOf(() => loadConfigFile(file));
    const fields = problems.map((p) => p.field).sort();
    expect(fields).toEqual(
      [
        "dns.healthCheck.requestIntervalS",
        "initialActive",
        "regions[1].endpoint",
        "router.healthCheck.intervalMsec",
        "router.healthCheck.timeoutMs",
      ].sort(),
    );
    expect(problems.every((p) => p.file.endsWith("bad.json") && p.reason.length > 0)).toBe(true);
    expect(problems.find((p) => p.field === "router.healthCheck.intervalMsec")!.reason).toBe(
      "unknown field (check its spelling)",
    );
  });

  it("reports malformed JSON with the file name", () => {
    const problems = problemsOf(() => loadConfigFile(tempFile("broken.json", "{ nope")));
    expect(problems[0]!.file).toMatch(/broken\.json$/);
    expect(problems[0]!.reason).toMatch(/not valid JSON/);
  });
});

describe("config diff", () => {
  it("shows exactly the fields that change", () => {
    const a = { router: { healthCheck: { intervalMs: 2000 } }, regions: [{ name: "a" }], x: 1 };
    const b = { router: { healthCheck: { intervalMs: 1000 } }, regions: [{ name: "a" }, { name: "b" }] };
    expect(diffConfigs(a, b)).toEqual([
      { field: "regions[1].name", kind: "added", to: "b" },
      { field: "router.healthCheck.intervalMs", kind: "changed", from: 2000, to: 1000 },
      { field: "x", kind: "removed", from: 1 },
    ]);
    expect(diffConfigs(a, structuredClone(a))).toEqual([]);
  });
});

describe("failover config (CLI)", () => {
  const cli = (...args: string[]) => spawnSync("node", ["bin/failover.js", ...args], { encoding: "utf8" });

  it("validate exits 0 for the checked-in environments and non-zero, listing problems, for a bad file", () => {
    const good = cli("config", "validate");
    expect(good.status).toBe(0);
    expect(good.stdout).toContain("production: prod-us active, prod-ie standby");
    const bad = cli("config", "validate", tempFile("bad.json", { name: "production", regions: [] }));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/bad\.json:1:1: initialActive: required \(expected a string\)/);
    expect(bad.stderr).toMatch(/bad\.json:\d+:\d+: regions: active\/standby needs exactly two regions/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });

  it("validate names the line and column of each problem, in the project's words rather than zod's", () => {
    const text =
      '{\n  "name": "staging",\n  "replication": { "mode": "fast", "intervalMs": "1s" },\n  "colour": 1\n}\n';
    const r = cli("config", "validate", tempFile("located.json", text));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      'located.json:3:28: replication.mode: expected one of "async", "sync", got "fast"',
    );
    expect(r.stderr).toContain('located.json:3:50: replication.intervalMs: expected a number, got "1s"');
    expect(r.stderr).toContain("located.json:4:3: colour: unknown field (check its spelling)");
    expect(r.stderr).not.toMatch(/Invalid input|received/);
    const broken = cli(
      "config",
      "validate",
      tempFile("broken.json", '{\n  "name": "staging"\n  "x": 1\n}\n'),
    );
    expect(broken.status).toBe(2);
    expect(broken.stderr).toMatch(/broken\.json:3:3: \(root\): not valid JSON: /);
  });

  it("diff --exit-code exits 1 when two files differ and prints the changed field", () => {
    const base = JSON.parse(execFileSync("cat", [environmentFile("development")], { encoding: "utf8" }));
    const changed = structuredClone(base);
    changed.router.healthCheck.fallCount = 5;
    const res = cli("config", "diff", "--exit-code", tempFile("a.json", base), tempFile("b.json", changed));
    expect(res.status).toBe(1);
    expect(res.stdout).toContain("~ router.healthCheck.fallCount: 3 -> 5");
    expect(res.stdout).toContain("1 field(s): 1 changed");
  });
});
