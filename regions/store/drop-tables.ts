import {
  DeleteTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  waitUntilTableNotExists,
} from "@aws-sdk/client-dynamodb";
import type { EnvironmentConfig } from "../../config/schema.ts";
import { createDynamoDbClient, isLoopbackUrl } from "./dynamodb-client.ts";
import { controlTableName, itemsTableName, metaTableName } from "./dynamodb-tables.ts";

/**
 * Drops every table of an environment's prefix (both regions' items and meta, and the control
 * table) and waits until they are gone: `failover up --fresh` on DynamoDB Local. Refuses any
 * endpoint but a loopback one, so it can never touch AWS.
 */
export async function dropLocalTables(config: EnvironmentConfig): Promise<string[]> {
  const endpoint = config.store.endpoint;
  if (config.store.kind !== "dynamodb" || endpoint === undefined || !isLoopbackUrl(endpoint)) {
    throw new Error("dropping tables needs the dynamodb store on a loopback endpoint (DynamoDB Local)");
  }
  const prefix = config.store.tablePrefix;
  const names = [
    ...config.regions.flatMap((r) => [itemsTableName(prefix, r.name), metaTableName(prefix, r.name)]),
    controlTableName(prefix),
  ];
  const client = createDynamoDbClient(config.store, { awsRegion: config.regions[0]!.awsRegion });
  try {
    const dropped: string[] = [];
    for (const name of names) if (await dropTable(client, name)) dropped.push(name);
    return dropped;
  } finally {
    client.destroy();
  }
}

async function dropTable(client: DynamoDBClient, name: string): Promise<boolean> {
  try {
    await client.send(new DeleteTableCommand({ TableName: name }));
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  }
  await waitUntilTableNotExists({ client, maxWaitTime: 60, minDelay: 1, maxDelay: 2 }, { TableName: name });
  return true;
}
