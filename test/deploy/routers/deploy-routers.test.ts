import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetRoleCommand, ListRolesCommand } from "@aws-sdk/client-iam";
import {
  GetFunctionCommand,
  GetFunctionUrlConfigCommand,
  ListFunctionsCommand,
} from "@aws-sdk/client-lambda";
import { PutParameterCommand } from "@aws-sdk/client-ssm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EnvironmentConfig } from "../../../config/schema.ts";
import { destroyEnvironment } from "../../../deploy/apply/destroy-environment.ts";
import { buildRouterArtifacts } from "../../../deploy/artifacts/build-router-artifacts.ts";
import { zip } from "../../../deploy/artifacts/write-zip.ts";
import type { AwsClients } from "../../../deploy/aws/clients.ts";
import { codeSha256 } from "../../../deploy/routers/desired-routers.ts";
import { awsPerFile } from "../support/aws-per-file.ts";
import { isolatedProductionConfig } from "../support/aws-test-env.ts";
import { deployCapturing } from "../support/deploy-capturing.ts";
import { allHealthChecks, createZone, recordsNamed, tagsOf } from "../support/route53-readback.ts";

/**
 * `failover deploy` with the router in each region (issue 14 (docs/issues.md)), against moto (IAM, Lambda, SSM,
 * STS, Route 53) and DynamoDB Local, both started by vitest's global setup on 127.0.0.1. Each
 * test deploys into its own moto account (aws.assumeRoleArn), zone and table prefix.
 */
const aws = awsPerFile({ dynamodb: "local" });
let dir: string;
let routerZip: string;
let changedZip: string;
const noWait = { sleep: async () => {}, maxWaitS: 10 };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "failover-routers-"));
  routerZip = (await buildRouterArtifacts(join(dir, "dist"))).lambdaZip;
  // A changed router build: the same package plus one more file, so a different CodeSha256.
  const unzipped = readFileSync(routerZip);
  changedZip = join(dir, "changed.zip");
  writeFileSync(
    changedZip,
    zip([
      { name: "index.mjs", data: unzipped },
      { name: "BUILD", data: Buffer.from("2") },
    ]),
  );
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function deploy(config: EnvironmentConfig, zipPath: string) {
  return deployCapturing(config, aws.clientsFor(config), { routerZip: zipPath, waits: noWait });
}

/** The operator's one manual step: the admin token's SecureString in each router's region. */
async function putAdminToken(clients: AwsClients, config: EnvironmentConfig): Promise<void> {
  for (const region of config.regions) {
    await clients.ssm(region.awsRegion).send(
      new PutParameterCommand({
        Name: "/failover/production/router-admin-token",
        Type: "SecureString",
        Value: "not-in-any-plan-0123456789",
        Overwrite: true,
      }),
    );
  }
}

async function setUp() {
  const config = isolatedProductionConfig({ routers: true });
  const setup = aws.clientsFor(config);
  const zoneId = await createZone(setup.clients.route53, config.dns!.hostedZoneName);
  await putAdminToken(setup.clients, config);
  return { config, setup, zoneId };
}

describe("failover deploy: the router in each region (moto)", () => {
  it("first deploy creates the role, both functions, both URLs, the router checks and records; a second changes nothing", async () => {
    const { config, setup, zoneId } = await setUp();
    const first = await deploy(config, routerZip);
    expect(first.text).toContain("Apply complete. A fresh plan shows no changes.");
    expect(first.text).toMatch(/note: control record: table t-\S+-control in us-east-2 only/);
    for (const address of [
      "iam_role.failover-production-router",
      "lambda_function.us-east-1/failover-production-router-prod-us",
      "lambda_function.eu-west-1/failover-production-router-prod-ie",
      "lambda_function_url.us-east-1/failover-production-router-prod-us",
      "lambda_function_url.eu-west-1/failover-production-router-prod-ie",
      "route53_health_check.router-prod-us",
      "route53_health_check.router-prod-ie",
      `route53_latency_record.api.${config.dns!.hostedZoneName.replace(/\.$/, "")}/router-prod-us`,
    ]) {
      expect(first.text).toContain(`# ${address} will be created`);
    }
    // The token is referenced by name and never appears in a plan.
    expect(first.text).toContain(
      'env.FAILOVER_ADMIN_TOKEN_PARAMETER = "/failover/production/router-admin-token"',
    );
    expect(first.text).not.toContain("not-in-any-plan");

    const c = setup.clients;
    const role = await c.iam.send(new GetRoleCommand({ RoleName: "failover-production-router" }));
    expect(decodeURIComponent(role.Role!.AssumeRolePolicyDocument!)).toContain("lambda.amazonaws.com");
    const hosts: Record<string, string> = {};
    for (const [region, awsRegion] of [
      ["prod-us", "us-east-1"],
      ["prod-ie", "eu-west-1"],
    ] as const) {
      const fn = await c
        .lambda(awsRegion)
        .send(new GetFunctionCommand({ FunctionName: `failover-production-router-${region}` }));
      expect(fn.Configuration).toMatchObject({
        Runtime: "nodejs24.x",
        Handler: "index.handler",
        CodeSha256: codeSha256(readFileSync(routerZip)),
        Role: role.Role!.Arn,
      });
      expect(fn.Configuration!.Environment!.Variables).toEqual({
        ENV_NAME: "production",
        FAILOVER_ROUTER_ID: `lambda-${region}`,
        FAILOVER_ADMIN_TOKEN_PARAMETER: "/failover/production/router-admin-token",
        NODE_OPTIONS: "--enable-source-maps",
      });
      const url = await c
        .lambda(awsRegion)
        .send(new GetFunctionUrlConfigCommand({ FunctionName: `failover-production-router-${region}` }));
      expect(url).toMatchObject({ AuthType: "NONE", InvokeMode: "BUFFERED" });
      hosts[region] = new URL(url.FunctionUrl!).hostname;
    }
    const records = await recordsNamed(c.route53, zoneId, config.routerDeploy!.recordName);
    expect(records.map((r) => [r.SetIdentifier, r.Region, r.ResourceRecords?.[0]?.Value]).sort()).toEqual([
      ["router-prod-ie", "eu-west-1", hosts["prod-ie"]],
      ["router-prod-us", "us-east-1", hosts["prod-us"]],
    ]);
    const checks = await allHealthChecks(c.route53);
    for (const record of records) {
      const check = checks.find((h) => h.Id === record.HealthCheckId)!;
      expect(check.HealthCheckConfig).toMatchObject({
        Type: "HTTPS",
        FullyQualifiedDomainName: record.ResourceRecords![0]!.Value,
        ResourcePath: "/healthz",
        EnableSNI: true,
      });
      expect((await tagsOf(c.route53, check.Id!))["failover:region"]).toBe(record.SetIdentifier);
    }
    // The active/standby pair the regions are reached by is separate and untouched by the routers.
    expect(await recordsNamed(c.route53, zoneId, config.dns!.recordName)).toHaveLength(2);

    const second = await deploy(config, routerZip);
    expect(second.applied).toBe(false);
    expect(second.text).toMatch(/Plan: 0 to create, 0 to change, \d+ unchanged\./);
    expect(second.recorded.mutations()).toEqual([]);
  }, 120_000);

  it("a changed router build updates exactly the two functions' code", async () => {
    const { config } = await setUp();
    await deploy(config, routerZip);
    const changed = await deploy(config, changedZip);
    const updated = changed.plan.items.filter((i) => i.action !== "no-op");
    expect(updated.map((i) => i.address).sort()).toEqual([
      "lambda_function.eu-west-1/failover-production-router-prod-ie",
      "lambda_function.us-east-1/failover-production-router-prod-us",
    ]);
    for (const item of updated) expect(item.changes.map((c) => c.field)).toEqual(["code_sha256"]);
    expect(changed.text).toContain("Plan: 0 to create, 2 to change,");
    expect(
      changed.recorded
        .mutations()
        .map((m) => `${m.awsRegion} ${m.command}`)
        .sort(),
    ).toEqual(["eu-west-1 UpdateFunctionCodeCommand", "us-east-1 UpdateFunctionCodeCommand"]);
    expect(changed.text).toContain("Apply complete. A fresh plan shows no changes.");
  }, 120_000);

  it("makes each Function URL public (moto does not invoke Function URLs: checks the AddPermission requests sent)", async () => {
    const { config } = await setUp();
    const first = await deploy(config, routerZip);
    const sent = first.recorded.calls
      .filter((c) => c.command === "AddPermissionCommand")
      .map((c) => ({ region: c.awsRegion, ...c.input }));
    for (const [region, awsRegion] of [
      ["prod-us", "us-east-1"],
      ["prod-ie", "eu-west-1"],
    ]) {
      const name = `failover-production-router-${region}`;
      expect(sent).toContainEqual({
        region: awsRegion,
        FunctionName: name,
        StatementId: "FunctionURLAllowPublicAccess",
        Action: "lambda:InvokeFunctionUrl",
        Principal: "*",
        FunctionUrlAuthType: "NONE",
      });
      // Required as well for URLs created since October 2025 (Lambda: "Control access to function URLs").
      expect(sent).toContainEqual({
        region: awsRegion,
        FunctionName: name,
        StatementId: "FunctionURLInvokeAllowPublicAccess",
        Action: "lambda:InvokeFunction",
        Principal: "*",
        InvokedViaFunctionUrl: true,
      });
    }
    const urls = first.recorded.calls.filter((c) => c.command === "CreateFunctionUrlConfigCommand");
    expect(urls.map((c) => c.input)).toEqual([
      { FunctionName: "failover-production-router-prod-us", AuthType: "NONE", InvokeMode: "BUFFERED" },
      { FunctionName: "failover-production-router-prod-ie", AuthType: "NONE", InvokeMode: "BUFFERED" },
    ]);
  }, 120_000);

  it("refuses, changing nothing, when the admin token parameter is missing in a router's region", async () => {
    const config = isolatedProductionConfig({ routers: true });
    const setup = aws.clientsFor(config);
    await createZone(setup.clients.route53, config.dns!.hostedZoneName);
    const attempt = deploy(config, routerZip);
    await expect(attempt).rejects.toThrow(/the plan has 2 problems/);
    expect(aws.last().mutations()).toEqual([]);
  }, 60_000);

  it("destroy removes everything deploy created, records and checks first, and leaves nothing of ours", async () => {
    const { config, setup, zoneId } = await setUp();
    await deploy(config, routerZip);
    const recorded = aws.clientsFor(config);
    let text = "";
    const result = await destroyEnvironment({
      config,
      clients: recorded.clients,
      dryRun: false,
      deleteData: false,
      confirm: async () => true,
      out: (t) => {
        text += t;
      },
      log: (t) => {
        text += t;
      },
      waits: noWait,
    });
    expect(result.applied).toBe(true);
    expect(text).toContain("Destroy complete: nothing deploy created for production is left.");
    const order = recorded.mutations().map((m) => m.command);
    const firstCheckDelete = order.indexOf("DeleteHealthCheckCommand");
    expect(order.indexOf("ChangeResourceRecordSetsCommand")).toBeLessThan(firstCheckDelete);
    expect(order.lastIndexOf("DeleteHealthCheckCommand")).toBeLessThan(
      order.indexOf("DeleteFunctionUrlConfigCommand"),
    );
    expect(order.lastIndexOf("DeleteFunctionCommand")).toBeLessThan(order.indexOf("DeleteRoleCommand"));
    expect(order.filter((c) => c === "DeleteTableCommand")).toHaveLength(5);

    const c = setup.clients;
    expect(await recordsNamed(c.route53, zoneId, config.routerDeploy!.recordName)).toEqual([]);
    expect(await recordsNamed(c.route53, zoneId, config.dns!.recordName)).toEqual([]);
    expect(await allHealthChecks(c.route53)).toEqual([]);
    for (const awsRegion of ["us-east-1", "eu-west-1"]) {
      expect((await c.lambda(awsRegion).send(new ListFunctionsCommand({}))).Functions).toEqual([]);
    }
    const roles = (await c.iam.send(new ListRolesCommand({}))).Roles ?? [];
    expect(roles.map((r) => r.RoleName)).not.toContain("failover-production-router");
  }, 120_000);
});
