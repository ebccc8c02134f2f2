import {
  type AttributeDefinition,
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  type KeySchemaElement,
  ResourceInUseException,
  ResourceNotFoundException,
  type TableDescription,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";

/**
 * The tables the DynamoDB store uses, as pure data: the regional service (create-store.ts),
 * the tests and `failover deploy` (issue 6 (docs/issues.md)) all build them from here, so they cannot drift.
 *
 * Per region:
 * - `${prefix}-${region}-items`, key `id` (S): one row per item, a ULID key, so point reads
 *   and writes spread over partitions.
 * - `${prefix}-${region}-meta`, key `pk` (S) + `sk` (S): the replication log (pk "log",
 *   sk = zero-padded seq), the head position (pk "head"), idempotency keys (pk "idem#<key>")
 *   and the ordered item-id index (pk "item", sk = id) that `listItems` pages through.
 *   See dynamodb-store.ts for why the log and the index are single partitions.
 * Per environment:
 * - `${prefix}-control`, key `pk` (S): the control record (core/control.ts).
 */

export function itemsTableName(prefix: string, region: string): string {
  return `${prefix}-${region}-items`;
}

export function metaTableName(prefix: string, region: string): string {
  return `${prefix}-${region}-meta`;
}

export function controlTableName(prefix: string): string {
  return `${prefix}-control`;
}

/** A table with string key attributes only, billed per request (no capacity to plan or to throttle on). */
function tableDefinition(tableName: string, hashKey: string, rangeKey?: string): CreateTableCommandInput {
  const keys = rangeKey === undefined ? [hashKey] : [hashKey, rangeKey];
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: keys.map((name) => ({ AttributeName: name, AttributeType: "S" })),
    KeySchema: keys.map((name, i) => ({ AttributeName: name, KeyType: i === 0 ? "HASH" : "RANGE" })),
  };
}

/** The items and meta tables of one region. */
export function regionTableDefinitions(prefix: string, region: string): CreateTableCommandInput[] {
  return [
    tableDefinition(itemsTableName(prefix, region), "id"),
    tableDefinition(metaTableName(prefix, region), "pk", "sk"),
  ];
}

export function controlTableDefinition(prefix: string): CreateTableCommandInput {
  return tableDefinition(controlTableName(prefix), "pk");
}

/** An existing table whose key schema is not the one the store needs: using it would corrupt data. */
export class TableSchemaMismatchError extends Error {
  override name = "TableSchemaMismatchError";
}

export interface EnsureTablesOptions {
  /** How long to wait for a new table to become ACTIVE (AWS usually takes seconds). */
  maxWaitS?: number;
}

/**
 * Creates each table that is missing and waits until it is ACTIVE; checks that each existing
 * table has the expected key schema. Safe to run again and concurrently (a table created by
 * someone else meanwhile is waited for, not an error).
 */
export async function ensureTables(
  client: DynamoDBClient,
  defs: CreateTableCommandInput[],
  options: EnsureTablesOptions = {},
): Promise<void> {
  for (const def of defs) await ensureTable(client, def, options.maxWaitS ?? 120);
}

async function ensureTable(
  client: DynamoDBClient,
  def: CreateTableCommandInput,
  maxWaitS: number,
): Promise<void> {
  const name = def.TableName!;
  let table = await describeTable(client, name);
  if (table === undefined) {
    try {
      await client.send(new CreateTableCommand(def));
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
  }
  if (table?.TableStatus !== "ACTIVE") {
    await waitUntilTableExists(
      { client, maxWaitTime: maxWaitS, minDelay: 1, maxDelay: 5 },
      { TableName: name },
    );
    table = await describeTable(client, name);
  }
  const problem = keySchemaProblem(def, table);
  if (problem !== undefined) throw new TableSchemaMismatchError(`DynamoDB table "${name}": ${problem}`);
}

async function describeTable(client: DynamoDBClient, name: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

/** Why `actual`'s key schema differs from `def`'s, or undefined if it matches. */
export function keySchemaProblem(
  def: CreateTableCommandInput,
  actual: TableDescription | undefined,
): string | undefined {
  if (actual === undefined) return "does not exist after creation";
  const wanted = describeKeys(def.KeySchema ?? [], def.AttributeDefinitions ?? []);
  const found = describeKeys(actual.KeySchema ?? [], actual.AttributeDefinitions ?? []);
  if (wanted === found) return undefined;
  return (
    `has key schema ${found} but the store needs ${wanted}; ` +
    "delete the table or choose another store.tablePrefix"
  );
}

/** e.g. "pk (HASH, S) + sk (RANGE, S)". */
function describeKeys(keys: KeySchemaElement[], attributes: AttributeDefinition[]): string {
  return keys
    .map((key) => {
      const type = attributes.find((a) => a.AttributeName === key.AttributeName)?.AttributeType ?? "?";
      return `${key.AttributeName} (${key.KeyType}, ${type})`;
    })
    .join(" + ");
}
