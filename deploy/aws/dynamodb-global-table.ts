import {
  DescribeTableCommand,
  type DynamoDBClient,
  type TableDescription,
  UpdateTableCommand,
  type UpdateTableCommandInput,
} from "@aws-sdk/client-dynamodb";
import { DeployError } from "../deploy-error.ts";
import type { GlobalTableSpec, TableActual } from "../plan/plan-types.ts";
import type { LambdaWaits } from "./lambda-functions.ts";

/** How often to look at a global table's replicas while they are created or deleted. */
const POLL_MS = 5_000;

/**
 * The one UpdateTable that turns a new, empty table into a DynamoDB global table with
 * multi-Region strong consistency: a Create per other replica region and, with a witness, a
 * witness Create, with MultiRegionConsistency STRONG (UpdateTable API reference; AWS's MRSC
 * example adds the replica and the witness in one call, on an empty table). Sent to the region
 * the table was created in.
 */
export function mrscUpdate(name: string, global: GlobalTableSpec, home: string): UpdateTableCommandInput {
  const input: UpdateTableCommandInput = {
    TableName: name,
    ReplicaUpdates: global.replicaRegions
      .filter((region) => region !== home)
      .map((region) => ({ Create: { RegionName: region } })),
    MultiRegionConsistency: "STRONG",
  };
  if (global.witnessRegion !== undefined) {
    input.GlobalTableWitnessUpdates = [{ Create: { RegionName: global.witnessRegion } }];
  }
  return input;
}

/**
 * The UpdateTable that removes every other replica and the witness in one call, leaving a
 * single-region table that DeleteTable can then delete: AWS refuses DeleteTable on a table that
 * still has replicas, and an MRSC table's replicas (or a replica and the witness) go together.
 */
export function mrscRemoval(actual: TableActual): UpdateTableCommandInput | undefined {
  const replicas = actual.replicas ?? [];
  const witnesses = actual.witnesses ?? [];
  if (replicas.length === 0 && witnesses.length === 0) return undefined;
  const input: UpdateTableCommandInput = { TableName: actual.name };
  if (replicas.length > 0) input.ReplicaUpdates = replicas.map((r) => ({ Delete: { RegionName: r.region } }));
  if (witnesses.length > 0)
    input.GlobalTableWitnessUpdates = witnesses.map((w) => ({ Delete: { RegionName: w.region } }));
  return input;
}

/** Replicates a freshly created table as MRSC and waits until every replica and the witness are ACTIVE. */
export async function replicateAsMrsc(
  client: DynamoDBClient,
  name: string,
  global: GlobalTableSpec,
  home: string,
  waits: LambdaWaits,
): Promise<void> {
  await client.send(new UpdateTableCommand(mrscUpdate(name, global, home)));
  const wanted = [
    ...global.replicaRegions.filter((r) => r !== home),
    ...(global.witnessRegion ? [global.witnessRegion] : []),
  ];
  await pollTable(
    client,
    name,
    waits,
    `replicas ${wanted.join(", ")} of ${name} to become ACTIVE`,
    (table) => {
      const members = [
        ...(table.Replicas ?? []).map((r) => ({ region: r.RegionName, status: r.ReplicaStatus })),
        ...(table.GlobalTableWitnesses ?? []).map((w) => ({ region: w.RegionName, status: w.WitnessStatus })),
      ];
      return (
        table.TableStatus === "ACTIVE" &&
        wanted.every((region) => members.some((m) => m.region === region && m.status === "ACTIVE"))
      );
    },
  );
}

/** Removes the replicas and witness of a global table and waits until none is left. */
export async function removeReplicas(
  client: DynamoDBClient,
  actual: TableActual,
  waits: LambdaWaits,
): Promise<boolean> {
  const removal = mrscRemoval(actual);
  if (removal === undefined) return false;
  await client.send(new UpdateTableCommand(removal));
  await pollTable(client, actual.name, waits, `the replicas of ${actual.name} to be deleted`, (table) => {
    const others = (table.Replicas ?? []).filter((r) => r.RegionName !== actual.awsRegion);
    return (
      table.TableStatus === "ACTIVE" && others.length === 0 && (table.GlobalTableWitnesses ?? []).length === 0
    );
  });
  return true;
}

async function pollTable(
  client: DynamoDBClient,
  name: string,
  waits: LambdaWaits,
  what: string,
  done: (table: TableDescription) => boolean,
): Promise<void> {
  const deadline = Date.now() + waits.maxWaitS * 1000;
  for (;;) {
    const out = await client.send(new DescribeTableCommand({ TableName: name }));
    if (out.Table !== undefined && done(out.Table)) return;
    if (Date.now() >= deadline)
      throw new DeployError(`gave up after ${waits.maxWaitS} s waiting for ${what}`);
    await waits.sleep(POLL_MS);
  }
}
