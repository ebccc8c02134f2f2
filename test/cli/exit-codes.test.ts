import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type CliRun, runFailoverCli } from "../support/failover-cli.ts";

/**
 * One convention across the CLI (core/cli-error.ts, cli/run-cli.ts): 0 ok, 1 a check or invariant
 * failed, 2 bad usage or input; the error is one line on stderr and never a stack trace. The
 * project ships no CLI bundle (`npm run build` packages the router for AWS), so this spawns
 * bin/failover.js as a user does.
 */
const dir = mkdtempSync(join(tmpdir(), "failover-cli-exit-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]): CliRun {
  return runFailoverCli(args, {
    timeoutMs: 60_000,
    env: { FAILOVER_DEBUG: "", FAILOVER_ADMIN_TOKEN: "", FAILOVER_CONTROL: "" },
  });
}

function expectOneLineError(stderr: string, pattern: RegExp): void {
  expect(stderr).toMatch(pattern);
  expect(stderr.trim().split("\n")).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at |\.ts:\d+/);
}

const badConfig = join(dir, "bad.json");
writeFileSync(badConfig, '{ "name": "staging", "regions": "two" }\n');

describe("exit 2: bad usage or input", () => {
  it.each([
    [["simulate", "--sed", "3"], /^error: unknown option '--sed' \(Did you mean --seed\?\)/],
    [["simulate", "--seed", "abc"], /argument 'abc' is invalid/],
    [["bogus"], /^error: unknown command 'bogus'/],
    [["up", "--port", "70000"], /want a port number/],
    [["up", "--host", "10.0.0.1"], /^error: --host must be a loopback address/],
    [["fault", "down", "prod-us", "--for", "3x"], /^error: --for must look like 500ms/],
    [
      ["fault", "brownout", "prod-us", "--error-rate", "2"],
      /^error: --error-rate: want share of requests answered 503 \(0 to 1.*got "2"/,
    ],
    [["fault", "down"], /missing required argument 'region'/],
    [["loadtest", "nosuch"], /^error: no k6 script "nosuch"/],
    [["promote", "prod-ie"], /^error: no admin token/],
    [["deploy", "--env", "nope"], /"nope" is not an environment/],
    [["dns", "status", "--env", "nope"], /"nope" is not an environment/],
    [["config", "diff"], /^error: give two environments/],
    [["orphans", "list"], /required option '--region <name>' not specified/],
    [["orphans", "list", "--region", "nowhere"], /^error: no region "nowhere" in development/],
  ])(
    "failover %j",
    (args, pattern) => {
      const r = cli(...args);
      expectOneLineError(r.stderr, pattern);
      expect(r.code).toBe(2);
    },
    60_000,
  );

  it("a bad file: every problem, file: field: reason, exit 2", () => {
    const r = cli("config", "validate", badConfig);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.json/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});

describe("exit 1: a check failed, or a service could not be reached", () => {
  it("config diff --exit-code finds a difference", () => {
    const r = cli("config", "diff", "--exit-code", "--env", "staging", "--env", "production");
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
  }, 60_000);

  it("fault list with no stack behind the control URL", () => {
    const r = cli("fault", "list", "--control", "http://127.0.0.1:1");
    expectOneLineError(r.stderr, /^error: no stack answering at http:\/\/127\.0\.0\.1:1/);
    expect(r.code).toBe(1);
  }, 60_000);
});

describe("exit 0, --version and the help", () => {
  it("--version prints the package's version", () => {
    const r = cli("--version");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^failover \d+\.\d+\.\d+\n$/);
  }, 60_000);

  it.each([[[]], [["simulate"]], [["fault", "heal"]], [["deploy"]], [["config", "validate"]]])(
    "failover %j --help states the exit codes",
    (args) => {
      const r = cli(...args, "--help");
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Exit codes: 0 ok, 1 a check or invariant failed.*\n2 bad usage or input/);
    },
    60_000,
  );
});
