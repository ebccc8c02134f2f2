import { execFile } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { Route53Client } from "@aws-sdk/client-route-53";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  type AwsTestEnv,
  awsTestEnv,
  isolatedProductionConfig,
  TEST_ACCESS_KEY_ID,
  useInProcess,
  writeConfig,
} from "./support/aws-test-env.ts";
import { allHealthChecks, createZone } from "./support/route53-readback.ts";

/**
 * The `failover deploy` and `failover dns` commands as an operator runs them: a real process
 * (`node bin/failover.js`), standard input not a terminal, against moto and DynamoDB Local.
 * The production config is used as checked in; its profile's credentials land in moto's
 * default account, where this file (and only this file) creates the zone example.com.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
let test: AwsTestEnv;
let route53: Route53Client;
let dynamodb: DynamoDBClient;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function failover(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((done) => {
    const child = execFile(
      process.execPath,
      [join(ROOT, "bin/failover.js"), ...args],
      { cwd: ROOT, env: { ...test.env, ...extraEnv }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
        done({ code, stdout, stderr });
      },
    );
    child.stdin?.end();
  });
}

beforeAll(async () => {
  test = awsTestEnv({ moto: inject("motoEndpoint"), dynamodb: inject("dynamodbEndpoint") });
  useInProcess(test);
  const credentials = { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: "test-secret" };
  route53 = new Route53Client({ region: "us-east-1", endpoint: inject("motoEndpoint"), credentials });
  dynamodb = new DynamoDBClient({ region: "us-east-1", endpoint: inject("dynamodbEndpoint"), credentials });
  await createZone(route53, "example.com.");
});

afterAll(() => {
  route53.destroy();
  dynamodb.destroy();
});

async function productionLeftUntouched(): Promise<void> {
  expect(await allHealthChecks(route53)).toEqual([]);
  const tables = (await dynamodb.send(new ListTablesCommand({}))).TableNames ?? [];
  expect(tables.filter((t) => t.startsWith("failover-production-"))).toEqual([]);
}

describe("failover deploy (CLI)", () => {
  it("--env production --dry-run prints a readable plan and changes nothing", async () => {
    const run = await failover(["deploy", "--env", "production", "--dry-run"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'Credentials: profile "failover-production" (from aws.profile in the config)',
    );
    expect(run.stdout).toMatch(/Plan for environment production, hosted zone example\.com\. \(\w+\):/);
    expect(run.stdout).toContain("  + dynamodb_table.eu-west-1/failover-production-prod-ie-items {");
    expect(run.stdout).toContain("  + route53_health_check.prod-us {");
    expect(run.stdout).toMatch(/\+ fqdn +?= "prod-us\.items\.example\.com"/);
    expect(run.stdout).toMatch(/\+ request_interval_s +?= 30/);
    expect(run.stdout).toMatch(/\+ failover +?= "PRIMARY"/);
    expect(run.stdout).toMatch(/\+ failover +?= "SECONDARY"/);
    expect(run.stdout).toMatch(/\+ ttl_s +?= 60/);
    expect(run.stdout).toContain("Plan: 9 to create, 0 to change, 0 unchanged.");
    expect(run.stdout).toContain("Dry run: nothing was changed.");
    await productionLeftUntouched();
  });

  it("without --yes and without a terminal, shows the plan, refuses, and changes nothing", async () => {
    const run = await failover(["deploy", "--env", "production"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("Plan: 9 to create");
    expect(run.stderr).toBe(
      "error: not applying: standard input is not a terminal, so nobody can confirm. Re-run with --yes to apply, " +
        "or with --dry-run to only see the plan. Nothing was changed.\n",
    );
    await productionLeftUntouched();
  });

  it("refuses production when it comes from ENV_NAME rather than --env", async () => {
    const run = await failover(["deploy", "--dry-run"], { ENV_NAME: "production" });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(
      /^error: refusing to change production: the environment came from ENV_NAME=production/,
    );
  });

  it("rejects a request interval Route 53 does not accept", async () => {
    const run = await failover(["deploy", "--env", "production", "--request-interval-s", "15"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      "error: --request-interval-s 15: Route 53 health checks run every 10 or 30 seconds, nothing else. Nothing was changed.\n",
    );
  });

  it("says which credentials are missing, without a stack trace", async () => {
    const run = await failover(["deploy", "--env", "production", "--dry-run"], {
      AWS_SHARED_CREDENTIALS_FILE: join(test.dir, "absent"),
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: no usable AWS credentials from profile "failover-production"/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("names a hosted zone that does not exist", async () => {
    const run = await failover(["deploy", "--env", "staging", "--dry-run"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^error: hosted zone "staging\.example\.com\." \(dns\.hostedZoneName\) was not found/,
    );
  });

  it("applies with --yes, and a second deploy shows no changes", async () => {
    const config = isolatedProductionConfig();
    const file = writeConfig(test.dir, config, "isolated-production.json");
    const seed = await failover(["deploy", "--env", "production", "--config", file, "--dry-run"]);
    expect(seed.stderr).toMatch(/hosted zone .* was not found/);
    // The zone lives in the isolated account the config's role points at; create it through the CLI's own chain.
    const { createAwsClients } = await import("../../deploy/aws/clients.ts");
    const clients = createAwsClients(config, test.env);
    await createZone(clients.route53, config.dns!.hostedZoneName);
    clients.destroy();

    const first = await failover(["deploy", "--env", "production", "--config", file, "--yes"]);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("Plan: 9 to create, 0 to change, 0 unchanged.");
    expect(first.stdout).toContain("Apply complete. A fresh plan shows no changes.");
    const second = await failover(["deploy", "--env", "production", "--config", file, "--yes"]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(
      "Plan: 0 to create, 0 to change, 9 unchanged.\nNo changes: AWS already matches the configuration.",
    );

    const status = await failover(["dns", "status", "--env", "production", "--config", file]);
    expect(status.stdout).toContain("Answering: prod-us (PRIMARY)");
    const over = await failover([
      "dns",
      "failover",
      "--to",
      "prod-ie",
      "--env",
      "production",
      "--config",
      file,
      "--yes",
    ]);
    expect(over.code).toBe(0);
    expect(over.stdout).toContain("plane: CONTROL.");
    const after = await failover(["dns", "status", "--env", "production", "--config", file]);
    expect(after.stdout).toContain("Answering: prod-ie (SECONDARY)");
  }, 90_000);
});

describe("failover dns (CLI)", () => {
  it("rejects a region that is not in the config", async () => {
    const run = await failover(["dns", "failover", "--to", "prod-eu", "--env", "production", "--yes"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'error: "prod-eu" is not a region of environment production (its regions are prod-us, prod-ie). Nothing was changed.\n',
    );
  });

  it("refuses failback on production from ENV_NAME alone", async () => {
    const run = await failover(["dns", "failback", "--yes"], { ENV_NAME: "production" });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/refusing to change production/);
  });
});
