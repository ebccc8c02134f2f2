import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { inject } from "vitest";
import type { StoreConfig } from "../../config/schema.ts";
import { createDynamoDbClient } from "../../regions/store/dynamodb-client.ts";
import { DynamoDbControlStore } from "../../regions/store/dynamodb-control-store.ts";
import { DynamoDbStore } from "../../regions/store/dynamodb-store.ts";
import {
  controlTableDefinition,
  ensureTables,
  regionTableDefinitions,
} from "../../regions/store/dynamodb-tables.ts";

/**
 * Stores on the run's DynamoDB Local (test/support/dynamodb-local.global.ts). Every call gets
 * its own table prefix, so tests and parallel workers never see each other's data.
 */
export const TEST_REGION = "test-us";

let tablesMade = 0;

export function uniqueTablePrefix(label: string): string {
  tablesMade += 1;
  return `t-${label}-${process.pid}-${Date.now().toString(36)}-${tablesMade}`;
}

export function localStoreConfig(tablePrefix: string): StoreConfig {
  return { kind: "dynamodb", tablePrefix, endpoint: inject("dynamodbEndpoint") };
}

export function localClient(awsRegion = "us-east-1"): DynamoDBClient {
  return createDynamoDbClient(localStoreConfig("unused"), { awsRegion });
}

export async function makeDynamoDbStore(tablePrefix = uniqueTablePrefix("store")): Promise<DynamoDbStore> {
  const client = localClient();
  await ensureTables(client, regionTableDefinitions(tablePrefix, TEST_REGION));
  return new DynamoDbStore({ client, tablePrefix, region: TEST_REGION });
}

export async function makeDynamoDbControlStore(
  tablePrefix = uniqueTablePrefix("control"),
): Promise<DynamoDbControlStore> {
  const client = localClient();
  await ensureTables(client, [controlTableDefinition(tablePrefix)]);
  return new DynamoDbControlStore({ client, tablePrefix });
}
