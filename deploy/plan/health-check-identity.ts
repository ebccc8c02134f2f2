import { createHash } from "node:crypto";
import type { HealthCheckActual } from "./plan-types.ts";

/**
 * How a re-run finds the health checks an earlier run created. Route 53 health checks live in
 * the account, not in a hosted zone, and have no name: we tag each one with the environment,
 * the service (record name) and the region, and start its CallerReference with a short hash of
 * the same three. Tags are written in a second call after CreateHealthCheck; if a run dies in
 * between, the CallerReference prefix still finds the check and the next plan re-tags it.
 */
export const TAG_ENVIRONMENT = "failover:environment";
export const TAG_SERVICE = "failover:service";
export const TAG_REGION = "failover:region";

export interface HealthCheckIdentity {
  environment: string;
  /** The record name without its trailing dot, e.g. items.example.com. */
  service: string;
  region: string;
}

export function identityTags(id: HealthCheckIdentity): Record<string, string> {
  return {
    // The console shows the Name tag in its list of health checks.
    Name: `failover ${id.environment} ${id.region}`,
    [TAG_ENVIRONMENT]: id.environment,
    [TAG_SERVICE]: id.service,
    [TAG_REGION]: id.region,
  };
}

/** 10 hex digits: short enough to leave room in the 64-character CallerReference. */
export function identityHash(id: HealthCheckIdentity): string {
  return createHash("sha256")
    .update(`${id.environment}|${id.service}|${id.region}`)
    .digest("hex")
    .slice(0, 10);
}

/**
 * CallerReference must be unique for ever in the account, even after the check is deleted
 * (CreateHealthCheck API reference), so each creation adds a unique suffix (a ULID). The SDK
 * reuses it on its own retries, which makes one creation idempotent.
 */
export function callerReference(hash: string, uniqueSuffix: string): string {
  return `failover-${hash}-${uniqueSuffix}`;
}

/** Does this check belong to (environment, service, region)? Tags first, CallerReference second. */
export function belongsTo(check: HealthCheckActual, id: HealthCheckIdentity): boolean {
  const tags = check.tags;
  if (tags[TAG_ENVIRONMENT] !== undefined || tags[TAG_REGION] !== undefined) {
    return (
      tags[TAG_ENVIRONMENT] === id.environment &&
      tags[TAG_SERVICE] === id.service &&
      tags[TAG_REGION] === id.region
    );
  }
  return check.callerReference.startsWith(`failover-${identityHash(id)}-`);
}
