import { UpdateHealthCheckCommand } from "@aws-sdk/client-route-53";
import { describe, expect, it } from "vitest";
import type { EnvironmentConfig } from "../../config/schema.ts";
import { DeployError } from "../../deploy/deploy-error.ts";
import { awsPerFile } from "./support/aws-per-file.ts";
import { isolatedProductionConfig } from "./support/aws-test-env.ts";
import { deployCapturing } from "./support/deploy-capturing.ts";
import {
  allHealthChecks,
  createZone,
  healthCheck,
  recordsNamed,
  tagsOf,
} from "./support/route53-readback.ts";

/**
 * `failover deploy` against moto's Route 53, over HTTP. Each test deploys into its own moto
 * account (an assumed role in a fresh account id) and zone, so tests never see each other.
 */
const aws = awsPerFile();

/** A production-shaped config in its own account and zone, without tables (see deploy-full.test.ts). */
function routeOnlyConfig(): EnvironmentConfig {
  const config = isolatedProductionConfig();
  return { ...config, store: { ...config.store, kind: "memory" } };
}

function deploy(config: EnvironmentConfig, options: { dryRun?: boolean } = {}) {
  return deployCapturing(config, aws.clientsFor(config), options);
}

async function zoneFor(config: EnvironmentConfig): Promise<string> {
  const setup = aws.clientsFor(config);
  return createZone(setup.clients.route53, config.dns!.hostedZoneName);
}

describe("deploy to Route 53 (moto)", () => {
  it("creates one health check per region and a PRIMARY/SECONDARY CNAME pair pointing at them", async () => {
    const config = routeOnlyConfig();
    const zoneId = await zoneFor(config);
    const first = await deploy(config);
    expect(first.applied).toBe(true);

    const route53 = first.recorded.clients.route53;
    const records = await recordsNamed(route53, zoneId, config.dns!.recordName);
    expect(records).toHaveLength(2);
    const bySetId = Object.fromEntries(records.map((r) => [r.SetIdentifier!, r]));
    const zone = config.dns!.hostedZoneName.slice(0, -1);
    expect(bySetId["prod-us"]).toMatchObject({
      Type: "CNAME",
      Failover: "PRIMARY",
      TTL: 60,
      ResourceRecords: [{ Value: `prod-us.items.${zone}` }],
    });
    expect(bySetId["prod-ie"]).toMatchObject({
      Type: "CNAME",
      Failover: "SECONDARY",
      TTL: 60,
      ResourceRecords: [{ Value: `prod-ie.items.${zone}` }],
    });

    for (const region of ["prod-us", "prod-ie"]) {
      const check = await healthCheck(route53, bySetId[region]!.HealthCheckId!);
      expect(check.HealthCheckConfig).toMatchObject({
        Type: "HTTPS",
        FullyQualifiedDomainName: `${region}.items.${zone}`,
        Port: 443,
        ResourcePath: "/readyz",
        RequestInterval: 30,
        FailureThreshold: 3,
        EnableSNI: true,
        Disabled: false,
        Inverted: false,
      });
      expect(check.CallerReference).toMatch(/^failover-[0-9a-f]{10}-[0-9A-Z]{26}$/);
      expect(await tagsOf(route53, check.Id!)).toMatchObject({
        "failover:environment": "production",
        "failover:service": `items.${zone}`,
        "failover:region": region,
      });
    }
    expect(await allHealthChecks(route53)).toHaveLength(2);
  });

  it("a second deploy plans no change and sends no mutating call", async () => {
    const config = routeOnlyConfig();
    await zoneFor(config);
    await deploy(config);
    const second = await deploy(config);
    expect(second.applied).toBe(false);
    expect(second.plan.items.map((i) => i.action)).toEqual(["no-op", "no-op", "no-op", "no-op"]);
    expect(second.text).toContain("Plan: 0 to create, 0 to change, 4 unchanged.");
    expect(second.recorded.mutations()).toEqual([]);
    expect(second.recorded.calls.map((c) => c.command)).toContain("ListResourceRecordSetsCommand");
  });

  it("a dry run prints the plan and changes nothing", async () => {
    const config = routeOnlyConfig();
    const zoneId = await zoneFor(config);
    const dry = await deploy(config, { dryRun: true });
    expect(dry.text).toContain("Plan: 4 to create, 0 to change, 0 unchanged.");
    expect(dry.text).toContain("Dry run: nothing was changed.");
    expect(dry.recorded.mutations()).toEqual([]);
    expect(await recordsNamed(dry.recorded.clients.route53, zoneId, config.dns!.recordName)).toEqual([]);
    expect(await allHealthChecks(dry.recorded.clients.route53)).toEqual([]);
  });

  it("updates TTL and failure threshold in place: same check ids, still exactly two records", async () => {
    const config = routeOnlyConfig();
    const zoneId = await zoneFor(config);
    const first = await deploy(config);
    const before = await recordsNamed(first.recorded.clients.route53, zoneId, config.dns!.recordName);

    const changed = {
      ...config,
      dns: { ...config.dns!, ttlS: 30, healthCheck: { ...config.dns!.healthCheck, failureThreshold: 2 } },
    };
    const second = await deploy(changed);
    expect(second.text).toContain("~ failure_threshold = 3 -> 2");
    expect(second.text).toContain("~ ttl_s = 60 -> 30");
    expect(second.recorded.mutations().map((c) => c.command)).not.toContain("CreateHealthCheckCommand");

    const after = await recordsNamed(second.recorded.clients.route53, zoneId, config.dns!.recordName);
    expect(after).toHaveLength(2);
    expect(after.map((r) => r.TTL)).toEqual([30, 30]);
    expect(after.map((r) => r.HealthCheckId).sort()).toEqual(before.map((r) => r.HealthCheckId).sort());
    const check = await healthCheck(second.recorded.clients.route53, after[0]!.HealthCheckId!);
    expect(check.HealthCheckConfig?.FailureThreshold).toBe(2);
    expect((await deploy(changed)).recorded.mutations()).toEqual([]);
  });

  it("replaces a check whose request interval changes: new check, record re-pointed, old one deleted", async () => {
    const config = routeOnlyConfig();
    const zoneId = await zoneFor(config);
    const first = await deploy(config);
    const route53 = first.recorded.clients.route53;
    const oldIds = (await allHealthChecks(route53)).map((c) => c.Id!).sort();

    const faster = {
      ...config,
      dns: { ...config.dns!, healthCheck: { ...config.dns!.healthCheck, requestIntervalS: 10 as const } },
    };
    const second = await deploy(faster);
    expect(second.text).toContain("-/+ route53_health_check.prod-us {");
    expect(second.text).toContain("~ request_interval_s = 30 -> 10 # forces replacement");
    expect(second.text).toContain("Plan: 0 to create, 2 to change, 2 to replace, 0 unchanged.");

    const checks = await allHealthChecks(route53);
    expect(checks).toHaveLength(2);
    expect(checks.every((c) => c.HealthCheckConfig?.RequestInterval === 10)).toBe(true);
    expect(checks.some((c) => oldIds.includes(c.Id!))).toBe(false);
    const records = await recordsNamed(route53, zoneId, config.dns!.recordName);
    expect(records.map((r) => r.HealthCheckId).sort()).toEqual(checks.map((c) => c.Id!).sort());
    expect(second.after?.items.every((i) => i.action === "no-op")).toBe(true);
  });

  it("re-enables a health check someone disabled, and says why", async () => {
    const config = routeOnlyConfig();
    const zoneId = await zoneFor(config);
    const first = await deploy(config);
    const route53 = first.recorded.clients.route53;
    const primary = (await recordsNamed(route53, zoneId, config.dns!.recordName)).find(
      (r) => r.Failover === "PRIMARY",
    )!;
    // Someone disables the check by hand (the trap: Route 53 now counts it as healthy).
    await route53.send(
      new UpdateHealthCheckCommand({ HealthCheckId: primary.HealthCheckId!, Disabled: true }),
    );

    const second = await deploy(config);
    expect(second.text).toContain("~ disabled = true -> false");
    expect(second.text).toContain("Route 53 counts a disabled check as healthy");
    expect((await healthCheck(route53, primary.HealthCheckId!)).HealthCheckConfig?.Disabled).toBe(false);
  });

  it("fails with a clear error, before any change, when the hosted zone does not exist", async () => {
    const config = routeOnlyConfig();
    const attempt = deploy(config);
    await expect(attempt).rejects.toThrow(DeployError);
    await expect(attempt).rejects.toThrow(/hosted zone "z.*\.test\." \(dns\.hostedZoneName\) was not found/);
    expect(aws.last().mutations()).toEqual([]);
  });

  it("fails with a clear error, before any call to AWS, when there are no credentials", async () => {
    const config = { ...routeOnlyConfig(), aws: { profile: "no-such-profile" } };
    const attempt = deploy(config);
    await expect(attempt).rejects.toThrow(
      /no usable AWS credentials from profile "no-such-profile" \(from aws.profile in the config\)/,
    );
    expect(aws.last().calls).toEqual([]);
  });
});
