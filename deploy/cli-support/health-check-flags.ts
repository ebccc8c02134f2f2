import type { EnvironmentConfig } from "../../config/schema.ts";
import { DeployError } from "../deploy-error.ts";
import type { RequestIntervalS } from "../plan/plan-types.ts";

/**
 * `failover deploy --request-interval-s S --failure-threshold N`: one-off overrides of the
 * config's dns.healthCheck, checked against what Route 53 accepts before anything runs
 * (CreateHealthCheck API reference; docs/route53-health-checks.md): RequestInterval 10 or 30, FailureThreshold 1-10.
 * The config file itself is checked by the zod schema (config/dns-schema.ts).
 */
export interface HealthCheckFlags {
  requestIntervalS?: string;
  failureThreshold?: string;
}

export function parseRequestIntervalS(value: string): RequestIntervalS {
  if (value === "10" || value === "30") return Number(value) as RequestIntervalS;
  throw new DeployError(
    `--request-interval-s ${value}: Route 53 health checks run every 10 or 30 seconds, nothing else. Nothing was changed.`,
    "usage",
  );
}

export function parseFailureThreshold(value: string): number {
  const n = Number(value);
  if (/^\d+$/.test(value) && n >= 1 && n <= 10) return n;
  throw new DeployError(
    `--failure-threshold ${value}: Route 53 accepts 1 to 10 (default 3). Nothing was changed.`,
    "usage",
  );
}

/** The config with the flags applied; throws before anything runs when a flag is invalid. */
export function applyHealthCheckFlags(config: EnvironmentConfig, flags: HealthCheckFlags): EnvironmentConfig {
  if (flags.requestIntervalS === undefined && flags.failureThreshold === undefined) return config;
  const requestIntervalS =
    flags.requestIntervalS === undefined ? undefined : parseRequestIntervalS(flags.requestIntervalS);
  const failureThreshold =
    flags.failureThreshold === undefined ? undefined : parseFailureThreshold(flags.failureThreshold);
  if (config.dns === undefined) {
    throw new DeployError(
      `environment ${config.name} has no dns section, so there is no health check to configure`,
    );
  }
  return {
    ...config,
    dns: {
      ...config.dns,
      healthCheck: {
        ...config.dns.healthCheck,
        ...(requestIntervalS === undefined ? {} : { requestIntervalS }),
        ...(failureThreshold === undefined ? {} : { failureThreshold }),
      },
    },
  };
}
