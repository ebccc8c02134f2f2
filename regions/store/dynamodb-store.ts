import { randomUUID } from "node:crypto";
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  type CancellationReason,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type WriteRequest,
} from "@aws-sdk/client-dynamodb";
import { type Clock, sleep, systemClock } from "../../core/clock.ts";
import { toStoreError } from "./dynamodb-errors.ts";
import {
  type Attributes,
  HEAD_KEY,
  headFromAttributes,
  headToAttributes,
  ITEM_INDEX_PK,
  idempotencyKey,
  itemFromAttributes,
  itemIndexKey,
  itemToAttributes,
  LOG_PK,
  logEntryFromAttributes,
  logEntryToAttributes,
  ORPHAN_PK,
  orphanFromAttributes,
  orphanKey,
  orphanToAttributes,
  paddedSeq,
} from "./dynamodb-records.ts";
import { itemsTableName, metaTableName } from "./dynamodb-tables.ts";
import {
  type CommitResult,
  type Item,
  type LogEntry,
  type LogPosition,
  type MarkReappliedResult,
  type OrphanedWrite,
  type OrphanReapplied,
  type Store,
  StoreUnavailableError,
} from "./store.ts";

export interface DynamoDbStoreOptions {
  client: DynamoDBClient;
  tablePrefix: string;
  /** The region's name (e.g. prod-us), part of the table names. */
  region: string;
  /** Waits between retries of a contended transaction run on it. */
  clock?: Clock;
  /** close() destroys the client (default true: the store owns it). */
  ownsClient?: boolean;
}

/**
 * Transaction actions of a commit, in this order: cancellation reasons come back by index.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
 */
const HEAD_ACTION = 0;
const LOG_ACTION = 1;
const IDEMPOTENCY_ACTION = 4;

/**
 * Two transactions on the same rows at once: DynamoDB cancels one with TransactionConflict
 * rather than queueing it. Retried a few times with a short backoff, after which the loser
 * sees the winner's head and gets an ordinary seq_conflict.
 */
const CONFLICT_ATTEMPTS_MAX = 6;
const CONFLICT_BACKOFF_MS = 10;

/** BatchGetItem takes at most 100 keys, BatchWriteItem 25 requests (DynamoDB API limits). */
const BATCH_GET_MAX = 100;
const BATCH_WRITE_MAX = 25;
/** Attempts for the unprocessed part of a batch (DynamoDB returns it under load). */
const UNPROCESSED_ATTEMPTS_MAX = 8;

/**
 * A region's Store on two DynamoDB tables (dynamodb-tables.ts): items by id in the items
 * table; log, head, idempotency keys and the ordered item index in the meta table.
 *
 * Every read is strongly consistent, so a commit is visible to the next read.
 *
 * Trade-off, ordered listing: the items table has only a hash key, and a global secondary
 * index can only be read eventually-consistently, so `listItems` pages through an index
 * partition (meta pk "item", sk = id) kept in the same transaction as the item, then
 * batch-reads the items. That partition, like the log partition every commit already appends
 * to, is hot: one partition takes at most 1,000 writes/s (DynamoDB partition limit). The log
 * already serialises a region's writes through seq = head + 1, so the index does not lower
 * the ceiling; a region needing more than that needs a sharded log, not this adapter.
 */
export class DynamoDbStore implements Store {
  readonly itemsTable: string;
  readonly metaTable: string;
  private readonly client: DynamoDBClient;
  private readonly clock: Clock;

  constructor(private readonly options: DynamoDbStoreOptions) {
    this.client = options.client;
    this.clock = options.clock ?? systemClock;
    this.itemsTable = itemsTableName(options.tablePrefix, options.region);
    this.metaTable = metaTableName(options.tablePrefix, options.region);
  }

  async ping(): Promise<void> {
    // Reads one row from each table: proves the endpoint answers, the credentials work and both tables exist.
    await Promise.all([
      this.getRow(this.metaTable, HEAD_KEY, "ping"),
      this.getRow(this.itemsTable, { id: { S: "~ping" } }, "ping"),
    ]);
  }

  async getItem(id: string): Promise<Item | undefined> {
    if (id === "") return undefined; // DynamoDB rejects empty key values; no item can have one.
    const row = await this.getRow(this.itemsTable, { id: { S: id } }, "getItem");
    return row === undefined ? undefined : itemFromAttributes(row);
  }

  async listItems(afterId: string | undefined, limit: number): Promise<Item[]> {
    const items: Item[] = [];
    const max = Math.floor(limit);
    let cursor = afterId === "" ? undefined : afterId;
    while (items.length < max) {
      const wanted = max - items.length;
      const ids = (await this.queryPartition(ITEM_INDEX_PK, cursor, wanted, "listItems")).map(
        (row) => row.sk!.S!,
      );
      // An id can vanish between the two reads (deleted meanwhile): it is skipped and reading
      // goes on, so a short page still means "no more items".
      items.push(...(await this.batchGetItems(ids)));
      if (ids.length < wanted) break;
      cursor = ids[ids.length - 1];
    }
    return items;
  }

  async getIdempotentItemId(key: string): Promise<string | undefined> {
    if (key === "") return undefined;
    const row = await this.getRow(this.metaTable, idempotencyKey(key), "getIdempotentItemId");
    return row?.itemId?.S;
  }

  async head(): Promise<LogPosition> {
    return headFromAttributes(await this.getRow(this.metaTable, HEAD_KEY, "head"));
  }

  async readLog(afterSeq: number, limit: number): Promise<LogEntry[]> {
    const after = Math.max(0, Math.floor(afterSeq));
    if (!Number.isSafeInteger(after)) return [];
    const rows = await this.queryPartition(LOG_PK, paddedSeq(after), Math.floor(limit), "readLog");
    return rows.map(logEntryFromAttributes);
  }

  async commit(entry: LogEntry): Promise<CommitResult> {
    if (!Number.isSafeInteger(entry.seq) || entry.seq < 1) {
      return { ok: false, reason: "seq_conflict", headSeq: (await this.head()).seq };
    }
    const actions = this.commitActions(entry);
    for (let attempt = 1; ; attempt++) {
      try {
        // The token makes the SDK's own retries safe: if a timed-out attempt did commit, the
        // retry returns success instead of a seq_conflict on our own write (10-minute window,
        // TransactWriteItems API). A fresh one per attempt here, as a cancelled attempt did nothing.
        await this.client.send(
          new TransactWriteItemsCommand({ TransactItems: actions, ClientRequestToken: randomUUID() }),
        );
        return { ok: true };
      } catch (error) {
        if (!(error instanceof TransactionCanceledException))
          throw toStoreError(error, `commit seq ${entry.seq}`);
        const result = await this.cancelledCommitResult(entry, error);
        if (result !== "retry") return result;
        if (attempt >= CONFLICT_ATTEMPTS_MAX) {
          throw new StoreUnavailableError(
            `DynamoDB commit seq ${entry.seq}: still contended after ${attempt} attempts (TransactionConflict)`,
            { cause: error },
          );
        }
        await sleep(this.clock, CONFLICT_BACKOFF_MS * attempt);
      }
    }
  }

  async clear(): Promise<void> {
    // The head goes first: if clearing stops half-way, the store reads as empty (head 0) and the
    // leftover log rows make the next seq-1 commit fail with seq_conflict instead of forking.
    await this.deleteRows(this.metaTable, [HEAD_KEY]);
    await this.deleteAll(this.metaTable, ["pk", "sk"], ORPHAN_PK);
    await this.deleteAll(this.itemsTable, ["id"]);
  }

  async saveOrphans(orphans: OrphanedWrite[]): Promise<void> {
    // Conditional puts, a batch at a time: saving one again must not erase its `reapplied`.
    for (let i = 0; i < orphans.length; i += BATCH_WRITE_MAX) {
      await Promise.all(orphans.slice(i, i + BATCH_WRITE_MAX).map((orphan) => this.putOrphan(orphan)));
    }
  }

  async listOrphans(afterId: string | undefined, limit: number): Promise<OrphanedWrite[]> {
    const after = afterId === "" ? undefined : afterId;
    const rows = await this.queryPartition(ORPHAN_PK, after, Math.floor(limit), "listOrphans");
    return rows.map(orphanFromAttributes);
  }

  async markOrphanReapplied(id: string, reapplied: OrphanReapplied): Promise<MarkReappliedResult> {
    if (id === "") return { ok: false, reason: "not_found" };
    try {
      const out = await this.client.send(
        new UpdateItemCommand({
          TableName: this.metaTable,
          Key: orphanKey(id),
          UpdateExpression: "SET reapplied = :r",
          ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(reapplied)",
          ExpressionAttributeValues: { ":r": { S: JSON.stringify(reapplied) } },
          ReturnValues: "ALL_NEW",
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      );
      return { ok: true, orphan: orphanFromAttributes(out.Attributes!) };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException))
        throw toStoreError(error, "markOrphanReapplied");
      if (error.Item === undefined) return { ok: false, reason: "not_found" };
      return { ok: false, reason: "already_reapplied", orphan: orphanFromAttributes(error.Item) };
    }
  }

  private async putOrphan(orphan: OrphanedWrite): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.metaTable,
          Item: orphanToAttributes(orphan),
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw toStoreError(error, "saveOrphans");
    }
  }

  async close(): Promise<void> {
    if (this.options.ownsClient ?? true) this.client.destroy();
  }

  /** Head guard, log append, item change, index change, then the idempotency key (see *_ACTION). */
  private commitActions(entry: LogEntry): TransactWriteItem[] {
    const op = entry.op;
    const actions: TransactWriteItem[] = [
      { Put: this.headPut(entry) },
      {
        Put: {
          TableName: this.metaTable,
          Item: logEntryToAttributes(entry),
          ConditionExpression: "attribute_not_exists(pk)",
        },
      },
      op.kind === "put"
        ? { Put: { TableName: this.itemsTable, Item: itemToAttributes(op.item) } }
        : { Delete: { TableName: this.itemsTable, Key: { id: { S: op.id } } } },
      op.kind === "put"
        ? { Put: { TableName: this.metaTable, Item: itemIndexKey(op.item.id) } }
        : { Delete: { TableName: this.metaTable, Key: itemIndexKey(op.id) } },
    ];
    if (entry.idempotencyKey !== undefined) actions.push(this.idempotencyAction(entry.idempotencyKey, op));
    return actions;
  }

  /** The head moves from seq - 1 to seq; the first entry needs no head at all. */
  private headPut(entry: LogEntry): NonNullable<TransactWriteItem["Put"]> {
    const put = {
      TableName: this.metaTable,
      Item: headToAttributes({ seq: entry.seq, epoch: entry.epoch }),
      ReturnValuesOnConditionCheckFailure: "ALL_OLD" as const,
    };
    if (entry.seq === 1) return { ...put, ConditionExpression: "attribute_not_exists(pk)" };
    return {
      ...put,
      ConditionExpression: "#seq = :previous",
      ExpressionAttributeNames: { "#seq": "seq" },
      ExpressionAttributeValues: { ":previous": { N: String(entry.seq - 1) } },
    };
  }

  /**
   * Every op carrying a key claims it, naming the item it acted on (the memory store's rule): a
   * taken key refuses the entry, and a router-named DELETE retried after a failover finds that its
   * first attempt was applied (regions/service/write-identity.ts).
   */
  private idempotencyAction(key: string, op: LogEntry["op"]): TransactWriteItem {
    const itemId = op.kind === "put" ? op.item.id : op.id;
    return {
      Put: {
        TableName: this.metaTable,
        ConditionExpression: "attribute_not_exists(pk)",
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        Item: { ...idempotencyKey(key), itemId: { S: itemId } },
      },
    };
  }

  /** Maps a cancelled commit to the contract's result, or "retry" for a transient conflict. */
  private async cancelledCommitResult(
    entry: LogEntry,
    error: TransactionCanceledException,
  ): Promise<CommitResult | "retry"> {
    const reasons = error.CancellationReasons ?? [];
    const failed = (index: number) => reasons[index]?.Code === "ConditionalCheckFailed";
    if (failed(HEAD_ACTION) || failed(LOG_ACTION)) {
      const stored = reasons[HEAD_ACTION]?.Item;
      const headSeq = stored !== undefined ? headFromAttributes(stored).seq : (await this.head()).seq;
      return { ok: false, reason: "seq_conflict", headSeq };
    }
    if (entry.idempotencyKey !== undefined && failed(IDEMPOTENCY_ACTION)) {
      const itemId =
        reasons[IDEMPOTENCY_ACTION]?.Item?.itemId?.S ??
        (await this.getIdempotentItemId(entry.idempotencyKey));
      // The key vanished since (a concurrent clear): the commit may now succeed.
      return itemId === undefined ? "retry" : { ok: false, reason: "idempotency_conflict", itemId };
    }
    if (reasons.some((r) => r.Code === "TransactionConflict")) return "retry";
    throw toStoreError(new Error(describeReasons(error.message, reasons)), `commit seq ${entry.seq}`);
  }

  private async getRow(table: string, key: Attributes, what: string): Promise<Attributes | undefined> {
    const request = { TableName: table, Key: key, ConsistentRead: true };
    return (await this.call(`${what} on ${table}`, () => this.client.send(new GetItemCommand(request)))).Item;
  }

  /** Up to `limit` rows of one meta partition with sk > afterSk, in sk order. */
  private async queryPartition(
    pk: string,
    afterSk: string | undefined,
    limit: number,
    what: string,
  ): Promise<Attributes[]> {
    const rows: Attributes[] = [];
    let startKey: Attributes | undefined;
    while (rows.length < limit) {
      const out = await this.call(what, () =>
        this.client.send(
          new QueryCommand({
            TableName: this.metaTable,
            ConsistentRead: true,
            KeyConditionExpression: afterSk === undefined ? "pk = :pk" : "pk = :pk AND sk > :after",
            ExpressionAttributeValues: {
              ":pk": { S: pk },
              ...(afterSk === undefined ? {} : { ":after": { S: afterSk } }),
            },
            Limit: limit - rows.length,
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      rows.push(...(out.Items ?? []));
      // A page also ends at 1 MB of data (DynamoDB Query limit): keep reading until the limit or the end.
      startKey = out.LastEvaluatedKey;
      if (startKey === undefined) break;
    }
    return rows;
  }

  /** The items with these ids that still exist, in the order of `ids`. */
  private async batchGetItems(ids: string[]): Promise<Item[]> {
    const found = new Map<string, Item>();
    for (let i = 0; i < ids.length; i += BATCH_GET_MAX) {
      let keys: Attributes[] = ids.slice(i, i + BATCH_GET_MAX).map((id) => ({ id: { S: id } }));
      for (let attempt = 1; keys.length > 0; attempt++) {
        if (attempt > UNPROCESSED_ATTEMPTS_MAX)
          throw new StoreUnavailableError("DynamoDB listItems: batch read throttled");
        const request = { RequestItems: { [this.itemsTable]: { Keys: keys, ConsistentRead: true } } };
        const out = await this.call("listItems", () => this.client.send(new BatchGetItemCommand(request)));
        for (const row of out.Responses?.[this.itemsTable] ?? []) {
          const item = itemFromAttributes(row);
          found.set(item.id, item);
        }
        keys = out.UnprocessedKeys?.[this.itemsTable]?.Keys ?? [];
        if (keys.length > 0) await sleep(this.clock, CONFLICT_BACKOFF_MS * attempt);
      }
    }
    return ids.flatMap((id) => found.get(id) ?? []);
  }

  /** Scans a table and deletes every row (but those of partition `keepPk`), a page at a time. */
  private async deleteAll(table: string, keyNames: string[], keepPk?: string): Promise<void> {
    let startKey: Attributes | undefined;
    do {
      const out = await this.call("clear", () =>
        this.client.send(
          new ScanCommand({
            TableName: table,
            ConsistentRead: true,
            ProjectionExpression: keyNames.map((_, i) => `#k${i}`).join(", "),
            ExpressionAttributeNames: Object.fromEntries(keyNames.map((name, i) => [`#k${i}`, name])),
            ...(keepPk === undefined
              ? {}
              : { FilterExpression: "#k0 <> :keep", ExpressionAttributeValues: { ":keep": { S: keepPk } } }),
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      await this.deleteRows(table, out.Items ?? []);
      startKey = out.LastEvaluatedKey;
    } while (startKey !== undefined);
  }

  private async deleteRows(table: string, keys: Attributes[]): Promise<void> {
    for (let i = 0; i < keys.length; i += BATCH_WRITE_MAX) {
      let requests: WriteRequest[] = keys
        .slice(i, i + BATCH_WRITE_MAX)
        .map((key) => ({ DeleteRequest: { Key: key } }));
      for (let attempt = 1; requests.length > 0; attempt++) {
        if (attempt > UNPROCESSED_ATTEMPTS_MAX)
          throw new StoreUnavailableError("DynamoDB clear: batch delete throttled");
        const request = { RequestItems: { [table]: requests } };
        const out = await this.call("clear", () => this.client.send(new BatchWriteItemCommand(request)));
        requests = out.UnprocessedItems?.[table] ?? [];
        if (requests.length > 0) await sleep(this.clock, CONFLICT_BACKOFF_MS * attempt);
      }
    }
  }

  /** Runs one DynamoDB call, turning its failure into a store error (dynamodb-errors.ts). */
  private async call<Output>(what: string, run: () => Promise<Output>): Promise<Output> {
    try {
      return await run();
    } catch (error) {
      throw toStoreError(error, what);
    }
  }
}

function describeReasons(message: string | undefined, reasons: CancellationReason[]): string {
  const codes = reasons
    .map((r, i) => `${i}:${r.Code ?? "?"}${r.Message ? ` (${r.Message})` : ""}`)
    .join(", ");
  return `transaction cancelled: ${message ?? ""} [${codes}]`;
}
