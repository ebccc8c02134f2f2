import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { controlReplicas, type EnvironmentConfig } from "../../config/schema.ts";
import { controlTableName } from "../../regions/store/dynamodb-tables.ts";
import { DEFAULT_TTL_S } from "../plan/desired-state.ts";
import { fqdn } from "../plan/dns-name.ts";
import type { RoutersDesired } from "../plan/plan-types.ts";

/** Relative to the repository root; the plan names them so a reviewer knows where to look. */
export const ROUTER_POLICY_FILE = "deploy/iam/router-policy.json";
export const ROUTER_TRUST_POLICY_FILE = "deploy/iam/router-trust-policy.json";

export function routerFunctionPrefix(environment: string): string {
  return `failover-${environment}-router-`;
}

/** e.g. failover-production-router-prod-us (Lambda allows 64 characters). */
export function routerFunctionName(environment: string, region: string): string {
  return `${routerFunctionPrefix(environment)}${region}`;
}

export function routerRoleName(environment: string): string {
  return `failover-${environment}-router`;
}

/** Lambda's CodeSha256: the base64 SHA-256 of the deployment package's bytes. */
export function codeSha256(zip: Buffer): string {
  return createHash("sha256").update(zip).digest("base64");
}

/**
 * What config and the built package say about the routers. Undefined when the environment has no
 * `routerDeploy` section. The latency records need a hosted zone, so `dns` is required with it.
 */
export function desiredRouters(
  config: EnvironmentConfig,
  zipPath: string | undefined,
): RoutersDesired | undefined {
  const deploy = config.routerDeploy;
  if (deploy === undefined) return undefined;
  const dns = config.dns;
  if (dns === undefined) {
    throw new Error(`routerDeploy needs a dns section (its hostedZoneName holds ${deploy.recordName})`);
  }
  const desired: RoutersDesired = {
    environment: config.name,
    roleName: routerRoleName(config.name),
    policyFile: ROUTER_POLICY_FILE,
    trustPolicyFile: ROUTER_TRUST_POLICY_FILE,
    zipPath: zipPath ?? "",
    codeSha256: zipPath === undefined ? "" : codeSha256(readFileSync(zipPath)),
    memoryMb: deploy.memoryMb,
    timeoutS: deploy.timeoutS,
    adminTokenParameter: deploy.adminTokenParameter ?? `/failover/${config.name}/router-admin-token`,
    regions: config.regions.map((r) => ({
      region: r.name,
      awsRegion: r.awsRegion,
      functionName: routerFunctionName(config.name, r.name),
    })),
    recordName: fqdn(deploy.recordName),
    ttlS: dns.ttlS ?? DEFAULT_TTL_S,
    healthCheck: {
      requestIntervalS: dns.healthCheck.requestIntervalS,
      failureThreshold: dns.healthCheck.failureThreshold,
    },
  };
  if (config.store.kind === "dynamodb") {
    // Where the routers look for it: every replica region, nearest first (regions/store/create-store.ts).
    const replicaRegions = controlReplicas(config).map((r) => r.awsRegion);
    const witnessRegion = config.control.witness?.awsRegion;
    desired.controlTable = {
      name: controlTableName(config.store.tablePrefix),
      awsRegion: replicaRegions[0]!,
      replicaRegions,
      ...(witnessRegion !== undefined ? { witnessRegion } : {}),
    };
  }
  return desired;
}
