import type { AwsClients } from "../aws/clients.ts";
import { readTable } from "../aws/dynamodb-table-state.ts";
import { readOurHealthChecks } from "../aws/route53-health-checks.ts";
import { readRecordsAt } from "../aws/route53-records.ts";
import { findHostedZone } from "../aws/route53-zone.ts";
import { type ActualState, type DesiredState, type TableActual, tableKey } from "../plan/plan-types.ts";
import { readRoutersActual } from "../routers/read-routers.ts";

/**
 * Reads only what the desired state names: the hosted zone (an error if it is missing), this
 * tool's health checks, the records at the service's name, and each desired table. Read-only.
 */
export async function readActualState(desired: DesiredState, clients: AwsClients): Promise<ActualState> {
  const state: ActualState = {
    healthChecks: [],
    records: [],
    tables: new Map<string, TableActual | undefined>(),
  };
  if (desired.dns !== undefined) {
    const zone = await findHostedZone(clients.route53, desired.dns.hostedZoneName);
    state.hostedZone = zone;
    state.healthChecks = await readOurHealthChecks(clients.route53);
    const name = desired.dns.records[0]?.name;
    if (name !== undefined) state.records = await readRecordsAt(clients.route53, zone.id, name);
  }
  if (desired.routers !== undefined) {
    state.routers = await readRoutersActual(desired.routers, clients, state.hostedZone);
  }
  for (const table of desired.tables) {
    const name = table.definition.TableName!;
    // A global table is read in each replica region too: a table of that name already there,
    // outside the global table, would make creating the replica fail.
    const regions = table.global?.replicaRegions ?? [table.awsRegion];
    for (const awsRegion of regions) {
      state.tables.set(
        tableKey(awsRegion, name),
        await readTable(clients.dynamodb(awsRegion), awsRegion, name),
      );
    }
  }
  return state;
}
