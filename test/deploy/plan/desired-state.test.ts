import { describe, expect, it } from "vitest";
import type { EnvironmentConfig } from "../../../config/schema.ts";
import { DeployError } from "../../../deploy/deploy-error.ts";
import { desiredState } from "../../../deploy/plan/desired-state.ts";
import { productionConfig } from "../support/aws-test-env.ts";

function withRegions(config: EnvironmentConfig, publicEndpoints: [string, string]): EnvironmentConfig {
  return {
    ...config,
    regions: config.regions.map((r, i) => ({
      ...r,
      publicEndpoint: publicEndpoints[i],
    })) as EnvironmentConfig["regions"],
  };
}

describe("desiredState", () => {
  it("derives an HTTPS check and a CNAME failover pair from the production config", () => {
    const state = desiredState(productionConfig());
    const dns = state.dns!;
    expect(dns.hostedZoneName).toBe("example.com.");
    expect(dns.healthChecks[0]).toMatchObject({
      region: "prod-us",
      type: "HTTPS",
      fqdn: "prod-us.items.example.com",
      port: 443,
      resourcePath: "/readyz",
      requestIntervalS: 30,
      failureThreshold: 3,
      enableSni: true,
    });
    expect(dns.records).toEqual([
      expect.objectContaining({
        name: "items.example.com.",
        setIdentifier: "prod-us",
        failover: "PRIMARY",
        ttlS: 60,
      }),
      expect.objectContaining({
        name: "items.example.com.",
        setIdentifier: "prod-ie",
        failover: "SECONDARY",
        ttlS: 60,
      }),
    ]);
  });

  it("keeps a publicEndpoint's port and path prefix, and uses HTTP without SNI for http URLs", () => {
    const config = withRegions(productionConfig(), [
      "http://us.example.com:8080/api/",
      "https://ie.example.com",
    ]);
    const [us, ie] = desiredState(config).dns!.healthChecks;
    expect(us).toMatchObject({ type: "HTTP", port: 8080, resourcePath: "/api/readyz", enableSni: false });
    expect(ie).toMatchObject({ type: "HTTPS", port: 443, resourcePath: "/readyz" });
  });

  it("uses the config's interval, threshold and TTL", () => {
    const base = productionConfig();
    const config = {
      ...base,
      dns: {
        ...base.dns!,
        ttlS: 30,
        healthCheck: { path: "/healthz", requestIntervalS: 10 as const, failureThreshold: 2 },
      },
    };
    const dns = desiredState(config).dns!;
    expect(dns.healthChecks[1]).toMatchObject({
      requestIntervalS: 10,
      failureThreshold: 2,
      resourcePath: "/healthz",
    });
    expect(dns.records[1]!.ttlS).toBe(30);
  });

  it("refuses an endpoint that is an IP address or localhost", () => {
    const config = withRegions(productionConfig(), ["http://127.0.0.1:8101", "https://ie.example.com"]);
    expect(() => desiredState(config)).toThrow(DeployError);
    expect(() => desiredState(config)).toThrow(
      /region "prod-us": publicEndpoint host "127.0.0.1" is not a public DNS name/,
    );
  });

  it("refuses a record name at the zone apex or outside the zone", () => {
    const base = productionConfig();
    expect(() => desiredState({ ...base, dns: { ...base.dns!, recordName: "example.com" } })).toThrow(
      /zone apex/,
    );
    expect(() => desiredState({ ...base, dns: { ...base.dns!, recordName: "items.example.org" } })).toThrow(
      /not inside hosted zone "example.com."/,
    );
  });

  it("puts each region's tables in its own AWS region and the control table where the services read it", () => {
    const tables = desiredState(productionConfig()).tables.map(
      (t) => `${t.awsRegion}/${t.definition.TableName}`,
    );
    expect(tables).toEqual([
      "us-east-1/failover-production-prod-us-items",
      "us-east-1/failover-production-prod-us-meta",
      "eu-west-1/failover-production-prod-ie-items",
      "eu-west-1/failover-production-prod-ie-meta",
      "us-east-1/failover-production-control",
    ]);
  });
});
