import { execFile } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { UpdateFunctionConfigurationCommand } from "@aws-sdk/client-lambda";
import { Route53Client } from "@aws-sdk/client-route-53";
import { PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { EnvironmentConfig } from "../../config/schema.ts";
import { buildRouterArtifacts } from "../../deploy/artifacts/build-router-artifacts.ts";
import { zip } from "../../deploy/artifacts/write-zip.ts";
import { type AwsClients, createAwsClients } from "../../deploy/aws/clients.ts";
import { argv } from "../support/failover-cli.ts";
import { tempDir } from "../support/temp-dir.ts";
import {
  type AwsTestEnv,
  awsTestEnv,
  isolatedProductionConfig,
  productionConfigForDynamoDbLocal,
  TEST_ACCESS_KEY_ID,
  useInProcess,
  writeConfig,
} from "./support/aws-test-env.ts";
import { allHealthChecks, createZone } from "./support/route53-readback.ts";

/**
 * The `failover deploy` and `failover dns` commands as an operator runs them: a real process
 * (`node bin/failover.js`), standard input not a terminal, against moto and DynamoDB Local.
 * The production config is used as checked in; its profile's credentials land in moto's
 * default account, where this file (and only this file) creates the zone example.com. The router
 * package is built once and given with --artifact (each deploy would otherwise build it).
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
let test: AwsTestEnv;
let route53: Route53Client;
let dynamodb: DynamoDBClient;
let artifact: string;
let changedArtifact: string;

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
  const dir = tempDir("failover-deploy-cli-");
  artifact = (await buildRouterArtifacts(join(dir, "dist"))).lambdaZip;
  changedArtifact = join(dir, "changed.zip");
  writeFileSync(changedArtifact, zip([{ name: "index.mjs", data: readFileSync(artifact) }]));
  for (const awsRegion of ["us-east-1", "eu-west-1"]) {
    const ssm = new SSMClient({ region: awsRegion, endpoint: inject("motoEndpoint"), credentials });
    await putAdminToken(ssm);
    ssm.destroy();
  }
}, 120_000);

/** The operator's one manual step before the first deploy (deploy/README.md). */
async function putAdminToken(ssm: SSMClient | AwsClients, config?: EnvironmentConfig): Promise<void> {
  const clients =
    config === undefined
      ? [ssm as SSMClient]
      : config.regions.map((r) => (ssm as AwsClients).ssm(r.awsRegion));
  for (const client of clients) {
    await client.send(
      new PutParameterCommand({
        Name: "/failover/production/router-admin-token",
        Type: "SecureString",
        Value: "cli-test-token",
        Overwrite: true,
      }),
    );
  }
}

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
    const run = await failover(["deploy", "--env", "production", "--dry-run", "--artifact", artifact]);
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
    expect(run.stdout).toContain("  + lambda_function.eu-west-1/failover-production-router-prod-ie {");
    expect(run.stdout).toMatch(/\+ runtime +?= "nodejs24\.x"/);
    expect(run.stdout).toMatch(/\+ resource_path +?= "\/healthz"/);
    expect(run.stdout).toContain("Plan: 18 to create, 0 to change, 0 unchanged.");
    expect(run.stdout).toContain("Dry run: nothing was changed.");
    await productionLeftUntouched();
  });

  it("--detailed-exitcode exits 2 when the plan has changes, and --json prints it for machines", async () => {
    const run = await failover(
      argv`deploy --env production --dry-run --detailed-exitcode --json --artifact ${artifact}`,
    );
    expect(run.code).toBe(2);
    const plan = JSON.parse(run.stdout);
    expect(plan).toMatchObject({ format: "failover-plan/1", environment: "production", hasChanges: true });
    expect(plan.summary).toEqual({ create: 18, update: 0, replace: 0, delete: 0, unchanged: 0 });
    expect(run.stderr).toContain("Dry run: nothing was changed.");
    const bad = await failover(
      argv`deploy --env production --dry-run --detailed-exitcode --config /absent.json`,
    );
    expect(bad.code).toBe(1);
    await productionLeftUntouched();
  });

  it("without --yes and without a terminal, shows the plan, refuses, and changes nothing", async () => {
    const run = await failover(["deploy", "--env", "production", "--artifact", artifact]);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain("Plan: 18 to create");
    expect(run.stderr).toBe(
      "error: not applying: standard input is not a terminal, so nobody can confirm. Re-run with --yes to apply, " +
        "or with --dry-run to only see the plan. Nothing was changed.\n",
    );
    await productionLeftUntouched();
  });

  it("refuses production when it comes from ENV_NAME rather than --env", async () => {
    const run = await failover(["deploy", "--dry-run"], { ENV_NAME: "production" });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(
      /^error: refusing to change production: the environment came from ENV_NAME=production/,
    );
  });

  it("rejects a request interval Route 53 does not accept", async () => {
    const run = await failover(["deploy", "--env", "production", "--request-interval-s", "15"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      "error: --request-interval-s 15: Route 53 health checks run every 10 or 30 seconds, nothing else. Nothing was changed.\n",
    );
  });

  it("says which credentials are missing, without a stack trace", async () => {
    const run = await failover(["deploy", "--env", "production", "--dry-run", "--artifact", artifact], {
      AWS_SHARED_CREDENTIALS_FILE: join(test.dir, "absent"),
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: no usable AWS credentials from profile "failover-production"/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("names a hosted zone that does not exist", async () => {
    const run = await failover(["deploy", "--env", "staging", "--dry-run", "--artifact", artifact]);
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
    const over = await failover(argv`dns failover --to prod-ie --env production --config ${file} --yes`);
    expect(over.code).toBe(0);
    expect(over.stdout).toContain("plane: CONTROL.");
    const after = await failover(["dns", "status", "--env", "production", "--config", file]);
    expect(after.stdout).toContain("Answering: prod-ie (SECONDARY)");
    // --json: only the JSON on stdout, the same facts a script can read.
    const json = await failover(["dns", "status", "--env", "production", "--config", file, "--json"]);
    expect(json.code).toBe(0);
    const state = JSON.parse(json.stdout) as {
      recordName: string;
      regions: { region: string; role?: string }[];
      answer?: { region: string; role: string };
    };
    expect(state.regions.map((r) => [r.region, r.role])).toEqual([
      ["prod-us", "PRIMARY"],
      ["prod-ie", "SECONDARY"],
    ]);
    expect(json.stdout).not.toContain("Answering:");
    expect(state.answer).toMatchObject({ region: "prod-ie", role: "SECONDARY" });
  }, 90_000);

  it("production with --yes: creates the routers, then all unchanged, a new build updates the two functions, destroy leaves nothing", async () => {
    // Production's names, with the control record in one table: DynamoDB Local has no MRSC
    // (test/deploy/mrsc-control-table.test.ts deploys that against moto).
    const file = writeConfig(test.dir, productionConfigForDynamoDbLocal(), "production-single-control.json");
    const deploy = (zipPath: string) =>
      failover(["deploy", "--env", "production", "--config", file, "--yes", "--artifact", zipPath]);
    const first = await deploy(artifact);
    expect(first.stderr).toBe("");
    expect(first.stdout).toContain("Plan: 18 to create, 0 to change, 0 unchanged.");
    for (const line of [
      "created role failover-production-router",
      "created function failover-production-router-prod-us in us-east-1",
      "created function failover-production-router-prod-ie in eu-west-1",
      "changed 2 router record(s) in example.com.",
    ]) {
      expect(first.stdout).toContain(line);
    }
    expect(first.stdout.match(/created function URL https:\/\/\S+\.lambda-url\.\S+\.on\.aws/g)).toHaveLength(
      2,
    );
    expect(first.stdout.match(/created health check \S+ for router-prod-(us|ie)/g)).toHaveLength(2);
    expect(first.stdout).toContain("Apply complete. A fresh plan shows no changes.");

    const second = await deploy(artifact);
    expect(second.stdout).toContain("Plan: 0 to create, 0 to change, 18 unchanged.");

    const changed = await deploy(changedArtifact);
    expect(changed.stdout).toContain("Plan: 0 to create, 2 to change, 16 unchanged.");
    expect(changed.stdout.match(/~ code_sha256 += /g)).toHaveLength(2);
    expect(changed.stdout).toContain(
      "updated function failover-production-router-prod-us in us-east-1: code",
    );
    expect(changed.stdout).toContain(
      "updated function failover-production-router-prod-ie in eu-west-1: code",
    );

    const destroy = await failover(["deploy", "destroy", "--env", "production", "--config", file, "--yes"]);
    expect(destroy.stderr).toBe("");
    expect(destroy.code).toBe(0);
    expect(destroy.stdout).toContain("Plan: 0 to create, 0 to change, 18 to delete, 0 unchanged.");
    expect(destroy.stdout).toContain("Destroy complete: nothing deploy created for production is left.");
    await productionLeftUntouched();
  }, 300_000);

  it("--out saves a plan that deploy apply applies exactly, and refuses once AWS changed since", async () => {
    const config = isolatedProductionConfig({ routers: true });
    const file = writeConfig(test.dir, config, "isolated-routers.json");
    const clients = createAwsClients(config, test.env);
    try {
      await createZone(clients.route53, config.dns!.hostedZoneName);
      await putAdminToken(clients, config);
      const planFile = join(test.dir, "routers-plan.json");
      const base = ["deploy", "--env", "production", "--config", file, "--artifact", artifact];
      const saved = await failover([...base, "--out", planFile, "--detailed-exitcode"]);
      expect(saved.code).toBe(2);
      expect(saved.stdout).toContain(`Saved the plan to ${planFile}`);
      expect(existsSync(planFile)).toBe(true);
      const applied = await failover(["deploy", "apply", planFile]);
      expect(applied.stderr).toBe("");
      expect(applied.stdout).toContain("Apply complete. A fresh plan shows no changes.");
      const clean = await failover([...base, "--dry-run", "--detailed-exitcode"]);
      expect(clean.code).toBe(0);

      const stale = join(test.dir, "stale-plan.json");
      expect((await failover([...base, "--artifact", changedArtifact, "--out", stale])).code).toBe(0);
      // Someone changes a function by hand after the plan was saved.
      await clients.lambda("eu-west-1").send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: "failover-production-router-prod-ie",
          MemorySize: 1024,
        }),
      );
      const refused = await failover(["deploy", "apply", stale]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(
        /^error: AWS or the config changed since the plan was saved; refusing to apply it\. Differences: lambda_function\.eu-west-1\/failover-production-router-prod-ie\./,
      );
    } finally {
      clients.destroy();
    }
  }, 300_000);
});

describe("failover dns (CLI)", () => {
  it("rejects a region that is not in the config", async () => {
    const run = await failover(["dns", "failover", "--to", "prod-eu", "--env", "production", "--yes"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'error: "prod-eu" is not a region of environment production (its regions are prod-us, prod-ie). Nothing was changed.\n',
    );
  });

  it("refuses failback on production from ENV_NAME alone", async () => {
    const run = await failover(["dns", "failback", "--yes"], { ENV_NAME: "production" });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/refusing to change production/);
  });
});
