import type {
  ActualState,
  DesiredState,
  HealthCheckActual,
  RecordActual,
  TableActual,
} from "../../../deploy/plan/plan-types.ts";
import { tableKey } from "../../../deploy/plan/plan-types.ts";

/**
 * Actual state exactly as a completed deploy of `desired` would leave it, as plain objects:
 * the starting point the plan tests then change one field at a time.
 */
export function appliedState(desired: DesiredState): ActualState {
  const dns = desired.dns!;
  const healthChecks: HealthCheckActual[] = dns.healthChecks.map((spec) => ({
    id: `hc-${spec.region}`,
    callerReference: `failover-${spec.identityHash}-01J0000000000000000000000`,
    type: spec.type,
    fqdn: spec.fqdn,
    port: spec.port,
    resourcePath: spec.resourcePath,
    requestIntervalS: spec.requestIntervalS,
    failureThreshold: spec.failureThreshold,
    enableSni: spec.enableSni,
    inverted: false,
    disabled: false,
    tags: { ...spec.tags },
    version: 1,
  }));
  const records: RecordActual[] = dns.records.map((spec) => ({
    name: spec.name,
    type: spec.type,
    setIdentifier: spec.setIdentifier,
    failover: spec.failover,
    ttlS: spec.ttlS,
    values: [spec.value],
    healthCheckId: `hc-${spec.healthCheckRegion}`,
    aliasTarget: undefined,
  }));
  const tables = new Map<string, TableActual | undefined>();
  for (const table of desired.tables) {
    const name = table.definition.TableName!;
    const actual: TableActual = {
      awsRegion: table.awsRegion,
      name,
      status: "ACTIVE",
      keySchema: table.definition.KeySchema ?? [],
      attributeDefinitions: table.definition.AttributeDefinitions ?? [],
    };
    if (table.global !== undefined) {
      // An MRSC table as DescribeTable shows it in each replica region.
      const { replicaRegions, witnessRegion } = table.global;
      for (const region of replicaRegions) {
        tables.set(tableKey(region, name), {
          ...actual,
          awsRegion: region,
          replicas: replicaRegions.filter((r) => r !== region).map((r) => ({ region: r, status: "ACTIVE" })),
          ...(witnessRegion ? { witnesses: [{ region: witnessRegion, status: "ACTIVE" }] } : {}),
          multiRegionConsistency: "STRONG",
        });
      }
      continue;
    }
    tables.set(tableKey(table.awsRegion, name), actual);
  }
  return { hostedZone: { id: "Z0TEST", name: dns.hostedZoneName }, healthChecks, records, tables };
}

export function emptyState(): ActualState {
  return {
    hostedZone: { id: "Z0TEST", name: "example.com." },
    healthChecks: [],
    records: [],
    tables: new Map(),
  };
}
