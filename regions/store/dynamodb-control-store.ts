import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import {
  assertNextEpoch,
  type CompareAndSetResult,
  type ControlRecord,
  type ControlStore,
  ControlStoreError,
  retriedWriteResult,
  type SyncStandbyCondition,
  storedForm,
  syncStandbyOf,
} from "../../core/control.ts";
import { describeAwsError } from "./dynamodb-errors.ts";
import { controlTableName } from "./dynamodb-tables.ts";

export interface DynamoDbControlStoreOptions {
  client: DynamoDBClient;
  tablePrefix: string;
  /** close() destroys the client (default true: the store owns it). */
  ownsClient?: boolean;
}

/** The control table holds one row: an environment has one active region at a time. */
const CONTROL_KEY: Record<string, AttributeValue> = { pk: { S: "control" } };

/**
 * The control record in `${tablePrefix}-control`. Promotion is one conditional PutItem, so
 * DynamoDB decides which of two racing promotions wins; reads are strongly consistent, so a
 * router that lost sees the winner on its next read.
 */
export class DynamoDbControlStore implements ControlStore {
  readonly table: string;
  private readonly client: DynamoDBClient;

  constructor(private readonly options: DynamoDbControlStoreOptions) {
    this.client = options.client;
    this.table = controlTableName(options.tablePrefix);
  }

  async read(): Promise<ControlRecord | undefined> {
    try {
      const out = await this.client.send(
        new GetItemCommand({ TableName: this.table, Key: CONTROL_KEY, ConsistentRead: true }),
      );
      return out.Item === undefined ? undefined : recordFromAttributes(out.Item);
    } catch (error) {
      throw new ControlStoreError(`control store read from ${this.table}: ${describeAwsError(error)}`, {
        cause: error,
      });
    }
  }

  async compareAndSet(
    expectedEpoch: number | null,
    next: ControlRecord,
    expectedSyncStandby?: SyncStandbyCondition,
  ): Promise<CompareAndSetResult> {
    assertNextEpoch(expectedEpoch, next);
    // Not "attribute_not_exists(pk) OR epoch = :expected": an absent record must match only a
    // null expectation, as in MemoryControlStore, or a router holding a stale epoch could
    // recreate a record that was deleted.
    const condition =
      expectedEpoch === null
        ? { expression: "attribute_not_exists(pk)", names: {}, values: {} }
        : epochCondition(expectedEpoch, expectedSyncStandby);
    return this.conditionalPut(next, condition);
  }

  async setSyncStandby(
    expectedSyncStandby: string | null,
    next: ControlRecord,
  ): Promise<CompareAndSetResult> {
    const condition = epochCondition(next.epoch, expectedSyncStandby);
    condition.expression += " AND #active = :active";
    condition.names["#active"] = "activeRegion";
    condition.values[":active"] = { S: next.activeRegion };
    return this.conditionalPut(next, condition);
  }

  /**
   * One conditional PutItem: DynamoDB decides which of two racing writers wins (with MRSC, across
   * the region set); the loser is shown the record that won.
   */
  private async conditionalPut(next: ControlRecord, condition: Condition): Promise<CompareAndSetResult> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: { ...CONTROL_KEY, ...recordToAttributes(next) },
          ConditionExpression: condition.expression,
          ...(Object.keys(condition.names).length > 0 ? { ExpressionAttributeNames: condition.names } : {}),
          ...(Object.keys(condition.values).length > 0
            ? { ExpressionAttributeValues: condition.values }
            : {}),
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      );
      return { ok: true, record: storedForm(next) };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        // ALL_OLD hands back the record that won; DynamoDB Local before 2.2 did not, hence the read.
        const current = error.Item !== undefined ? recordFromAttributes(error.Item) : await this.read();
        // The SDK retries a timed-out PutItem; if the first attempt had landed, the retry fails its
        // condition on our own record.
        return retriedWriteResult(current, next);
      }
      throw new ControlStoreError(`control store write to ${this.table}: ${describeAwsError(error)}`, {
        cause: error,
      });
    }
  }

  async close(): Promise<void> {
    if (this.options.ownsClient ?? true) this.client.destroy();
  }
}

interface Condition {
  expression: string;
  names: Record<string, string>;
  values: Record<string, AttributeValue>;
}

/** epoch = :expected, and (when asked) the sync standby as given; an absent attribute is null. */
function epochCondition(expectedEpoch: number, expectedSyncStandby: SyncStandbyCondition): Condition {
  const condition: Condition = {
    expression: "#epoch = :expected",
    names: { "#epoch": "epoch" },
    values: { ":expected": { N: String(expectedEpoch) } },
  };
  if (expectedSyncStandby === null) {
    condition.expression += " AND attribute_not_exists(#sync)";
    condition.names["#sync"] = "syncStandby";
  } else if (expectedSyncStandby !== undefined) {
    condition.expression += " AND #sync = :sync";
    condition.names["#sync"] = "syncStandby";
    condition.values[":sync"] = { S: expectedSyncStandby };
  }
  return condition;
}

function recordToAttributes(record: ControlRecord): Record<string, AttributeValue> {
  const sync = syncStandbyOf(record);
  return {
    activeRegion: { S: record.activeRegion },
    epoch: { N: String(record.epoch) },
    updatedAtMs: { N: String(record.updatedAtMs) },
    reason: { S: record.reason },
    // A null sync standby is stored as no attribute (core/control.ts storedForm).
    ...(sync === null ? {} : { syncStandby: { S: sync } }),
  };
}

function recordFromAttributes(attrs: Record<string, AttributeValue>): ControlRecord {
  const activeRegion = attrs.activeRegion?.S;
  const epoch = attrs.epoch?.N;
  const updatedAtMs = attrs.updatedAtMs?.N;
  if (activeRegion === undefined || epoch === undefined || updatedAtMs === undefined) {
    throw new ControlStoreError(`control record is malformed: ${JSON.stringify(attrs)}`);
  }
  const syncStandby = attrs.syncStandby?.S;
  return {
    activeRegion,
    epoch: Number(epoch),
    updatedAtMs: Number(updatedAtMs),
    reason: attrs.reason?.S ?? "",
    ...(syncStandby === undefined ? {} : { syncStandby }),
  };
}
