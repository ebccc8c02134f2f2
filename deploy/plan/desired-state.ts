import { controlReplicas, type EnvironmentConfig, type RegionConfig } from "../../config/schema.ts";
import { controlTableDefinition, regionTableDefinitions } from "../../regions/store/dynamodb-tables.ts";
import { DeployError } from "../deploy-error.ts";
import { desiredRouters } from "../routers/desired-routers.ts";
import { bareName, fqdn, isWithinZone } from "./dns-name.ts";
import { identityHash, identityTags } from "./health-check-identity.ts";
import type { DesiredState, HealthCheckSpec, RecordSpec, TableSpec } from "./plan-types.ts";

/** Route 53 recommends 60 s on health-checked records (docs/route53-health-checks.md); used when config sets none. */
export const DEFAULT_TTL_S = 60;

/**
 * What the environment's config says should exist in AWS. Throws DeployError for config Route 53
 * cannot serve. The routers are part of it when the config has `routerDeploy` and the built
 * Lambda package is given (`routers.zipPath`): its hash is what "unchanged" is judged by.
 * `failover deploy destroy` asks for the routers without a package (it only deletes them).
 */
export function desiredState(config: EnvironmentConfig, routers?: { zipPath?: string }): DesiredState {
  const state: DesiredState = { environment: config.name, tables: desiredTables(config) };
  if (routers !== undefined && config.routerDeploy !== undefined) {
    if (config.dns === undefined) {
      throw new DeployError("routerDeploy needs a dns section: its hostedZoneName holds the router records");
    }
    checkRecordName(config.routerDeploy.recordName, config.dns.hostedZoneName);
    state.routers = desiredRouters(config, routers.zipPath);
  }
  if (config.dns !== undefined) {
    const dns = config.dns;
    checkRecordName(dns.recordName, dns.hostedZoneName);
    const service = bareName(dns.recordName);
    state.dns = {
      hostedZoneName: fqdn(dns.hostedZoneName),
      healthChecks: config.regions.map((region) => healthCheckSpec(config, region, service)),
      records: config.regions.map((region) => recordSpec(config, region)),
    };
  }
  return state;
}

function checkRecordName(recordName: string, zoneName: string): void {
  if (!isWithinZone(recordName, zoneName)) {
    throw new DeployError(`dns.recordName "${recordName}" is not inside hosted zone "${zoneName}"`);
  }
  if (fqdn(recordName) === fqdn(zoneName)) {
    // RFC 1034 section 3.6.2: a CNAME cannot sit beside the SOA and NS records at the apex.
    throw new DeployError(
      `dns.recordName "${recordName}" is the zone apex; a CNAME failover pair needs a name below it, e.g. items.${bareName(zoneName)}`,
    );
  }
}

/** The URL Route 53 probes and the failover record points at: publicEndpoint, else endpoint. */
export function publicUrl(region: RegionConfig): URL {
  return new URL(region.publicEndpoint ?? region.endpoint);
}

function publicHost(region: RegionConfig): string {
  const host = publicUrl(region).hostname;
  if (/^[\d.]+$/.test(host) || host.startsWith("[") || host === "localhost") {
    throw new DeployError(
      `region "${region.name}": publicEndpoint host "${host}" is not a public DNS name; ` +
        "Route 53 health checks and CNAME records need one (set regions[].publicEndpoint)",
    );
  }
  return host.toLowerCase();
}

function healthCheckSpec(config: EnvironmentConfig, region: RegionConfig, service: string): HealthCheckSpec {
  const dns = config.dns!;
  const url = publicUrl(region);
  const https = url.protocol === "https:";
  // A publicEndpoint with a path prefix (https://host/api) serves its health path under it.
  const basePath = url.pathname.replace(/\/+$/, "");
  const identity = { environment: config.name, service, region: region.name };
  return {
    region: region.name,
    type: https ? "HTTPS" : "HTTP",
    fqdn: publicHost(region),
    port: url.port === "" ? (https ? 443 : 80) : Number(url.port),
    resourcePath: `${basePath}${dns.healthCheck.path}`,
    requestIntervalS: dns.healthCheck.requestIntervalS,
    failureThreshold: dns.healthCheck.failureThreshold,
    enableSni: https,
    tags: identityTags(identity),
    identityHash: identityHash(identity),
  };
}

function recordSpec(config: EnvironmentConfig, region: RegionConfig): RecordSpec {
  const dns = config.dns!;
  return {
    name: fqdn(dns.recordName),
    type: "CNAME",
    setIdentifier: region.name,
    failover: region.name === config.initialActive ? "PRIMARY" : "SECONDARY",
    ttlS: dns.ttlS ?? DEFAULT_TTL_S,
    value: publicHost(region),
    healthCheckRegion: region.name,
  };
}

/**
 * The items and meta tables of each region, in the region's own AWS region (issue 6, docs/issues.md), and the
 * environment's one control table where `control` places it (config/control-plane-schema.ts):
 * one replica, a single-region table there (by default the initialActive region's); three, or
 * two and a witness, a DynamoDB global table with multi-Region strong consistency (issue 12),
 * created in the first replica's region. The services and routers read it in every replica
 * region (regions/store/create-store.ts). Definitions come from the store's own module so the
 * deployed key schema is the one the service uses.
 */
function desiredTables(config: EnvironmentConfig): TableSpec[] {
  if (config.store.kind !== "dynamodb") return [];
  const tables: TableSpec[] = [];
  for (const region of config.regions) {
    for (const definition of regionTableDefinitions(config.store.tablePrefix, region.name)) {
      tables.push({ awsRegion: region.awsRegion, definition });
    }
  }
  const replicaRegions = controlReplicas(config).map((r) => r.awsRegion);
  const witnessRegion = config.control.witness?.awsRegion;
  const control: TableSpec = {
    awsRegion: replicaRegions[0]!,
    definition: controlTableDefinition(config.store.tablePrefix),
  };
  if (replicaRegions.length > 1 || witnessRegion !== undefined) {
    control.global = { replicaRegions, ...(witnessRegion !== undefined ? { witnessRegion } : {}) };
  }
  tables.push(control);
  return tables;
}
