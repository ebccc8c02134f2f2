import {
  DeleteTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  ScanCommand,
  waitUntilTableNotExists,
} from "@aws-sdk/client-dynamodb";
import type { TableActual } from "../plan/plan-types.ts";

/** One table as DynamoDB describes it, or undefined when it does not exist in that region. */
export async function readTable(
  client: DynamoDBClient,
  awsRegion: string,
  name: string,
): Promise<TableActual | undefined> {
  try {
    const out = await client.send(new DescribeTableCommand({ TableName: name }));
    const table = out.Table;
    const actual: TableActual = {
      awsRegion,
      name,
      status: table?.TableStatus ?? "UNKNOWN",
      keySchema: table?.KeySchema ?? [],
      attributeDefinitions: table?.AttributeDefinitions ?? [],
    };
    // A global table lists its replicas and witness (DescribeTable API reference: Replicas,
    // GlobalTableWitnesses, MultiRegionConsistency); a single-region table has none of them.
    const replicas = (table?.Replicas ?? [])
      .filter((r) => r.RegionName !== undefined && r.RegionName !== awsRegion)
      .map((r) => ({ region: r.RegionName!, status: r.ReplicaStatus ?? "UNKNOWN" }));
    if (replicas.length > 0) actual.replicas = replicas;
    const witnesses = (table?.GlobalTableWitnesses ?? [])
      .filter((w) => w.RegionName !== undefined)
      .map((w) => ({ region: w.RegionName!, status: w.WitnessStatus ?? "UNKNOWN" }));
    if (witnesses.length > 0) actual.witnesses = witnesses;
    if (table?.MultiRegionConsistency !== undefined)
      actual.multiRegionConsistency = table.MultiRegionConsistency;
    return actual;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

/**
 * Does the table hold at least one item? A one-item Scan: DescribeTable's ItemCount is refreshed
 * only about every six hours (DescribeTable API reference), too stale to decide a deletion on.
 */
export async function tableHasItems(client: DynamoDBClient, name: string): Promise<boolean> {
  const out = await client.send(new ScanCommand({ TableName: name, Limit: 1, Select: "COUNT" }));
  return (out.Count ?? 0) > 0 || out.LastEvaluatedKey !== undefined;
}

export async function deleteTable(client: DynamoDBClient, name: string): Promise<void> {
  await client.send(new DeleteTableCommand({ TableName: name }));
  await waitUntilTableNotExists({ client, maxWaitTime: 300 }, { TableName: name });
}
