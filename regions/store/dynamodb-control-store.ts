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

  async compareAndSet(expectedEpoch: number | null, next: ControlRecord): Promise<CompareAndSetResult> {
    assertNextEpoch(expectedEpoch, next);
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: { ...CONTROL_KEY, ...recordToAttributes(next) },
          // Not "attribute_not_exists(pk) OR epoch = :expected": an absent record must match
          // only a null expectation, as in MemoryControlStore, or a router holding a stale
          // epoch could recreate a record that was deleted.
          ...(expectedEpoch === null
            ? { ConditionExpression: "attribute_not_exists(pk)" }
            : {
                ConditionExpression: "#epoch = :expected",
                ExpressionAttributeNames: { "#epoch": "epoch" },
                ExpressionAttributeValues: { ":expected": { N: String(expectedEpoch) } },
              }),
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      );
      return { ok: true, record: { ...next } };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        // ALL_OLD hands back the record that won; DynamoDB Local before 2.2 did not, hence the read.
        const current = error.Item !== undefined ? recordFromAttributes(error.Item) : await this.read();
        // The SDK retries a timed-out PutItem; if the first attempt had landed, the retry fails its
        // condition on our own record. Finding exactly `next` stored means this call won.
        if (current !== undefined && sameRecord(current, next)) return { ok: true, record: { ...next } };
        return { ok: false, current };
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

function recordToAttributes(record: ControlRecord): Record<string, AttributeValue> {
  return {
    activeRegion: { S: record.activeRegion },
    epoch: { N: String(record.epoch) },
    updatedAtMs: { N: String(record.updatedAtMs) },
    reason: { S: record.reason },
  };
}

function recordFromAttributes(attrs: Record<string, AttributeValue>): ControlRecord {
  const activeRegion = attrs.activeRegion?.S;
  const epoch = attrs.epoch?.N;
  const updatedAtMs = attrs.updatedAtMs?.N;
  if (activeRegion === undefined || epoch === undefined || updatedAtMs === undefined) {
    throw new ControlStoreError(`control record is malformed: ${JSON.stringify(attrs)}`);
  }
  return {
    activeRegion,
    epoch: Number(epoch),
    updatedAtMs: Number(updatedAtMs),
    reason: attrs.reason?.S ?? "",
  };
}

function sameRecord(a: ControlRecord, b: ControlRecord): boolean {
  return (
    a.activeRegion === b.activeRegion &&
    a.epoch === b.epoch &&
    a.updatedAtMs === b.updatedAtMs &&
    a.reason === b.reason
  );
}
