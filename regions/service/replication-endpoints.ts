import { ConfigError } from "../../config/config-error.ts";
import type { EnvironmentConfig, RegionConfig } from "../../config/schema.ts";

/** The region's replication listener URL, or a ConfigError naming the field to set. */
export function replicationEndpointOf(config: EnvironmentConfig, region: RegionConfig): string {
  if (region.replicationEndpoint !== undefined) return region.replicationEndpoint;
  const index = config.regions.indexOf(region);
  throw new ConfigError([
    {
      file: `regions/environments/${config.name}.json`,
      field: `regions[${index}].replicationEndpoint`,
      reason: "required to serve and reach the region-to-region (replication) listener",
    },
  ]);
}

/**
 * The environment with each region's endpoint replaced by its replication endpoint: what the
 * replicator's HTTP transport is bound to, so replication reaches the peer's own listener.
 */
export function replicationTopology(config: EnvironmentConfig): EnvironmentConfig {
  return {
    ...config,
    regions: config.regions.map((r) => ({ ...r, endpoint: replicationEndpointOf(config, r) })),
  };
}
