import { ScanCommand } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { createDynamoDbClient } from "../../regions/store/dynamodb-client.ts";
import { DynamoDbStore } from "../../regions/store/dynamodb-store.ts";
import { StoreUnavailableError } from "../../regions/store/store.ts";
import { findFreePort } from "../support/dynamodb-local.ts";
import { localClient, makeDynamoDbStore, TEST_REGION, uniqueTablePrefix } from "./dynamodb-test-tables.ts";
import { describeStoreContract, logEntry, makeItem } from "./store-contract.ts";

describeStoreContract("DynamoDbStore (DynamoDB Local)", () => makeDynamoDbStore());

describe("DynamoDbStore on DynamoDB Local", () => {
  it("lays out one commit as item row + head, log, index and idempotency rows, and clear() empties both tables", async () => {
    const store = await makeDynamoDbStore();
    const client = localClient();
    const scanKeys = async (table: string) =>
      ((await client.send(new ScanCommand({ TableName: table }))).Items ?? []).map((row) =>
        row.id ? row.id.S : `${row.pk!.S}|${row.sk!.S}`,
      );
    try {
      const item = makeItem("01HZY7Q7ZP0000000000000001");
      await store.commit(logEntry(1, { kind: "put", item }, { idempotencyKey: "req-1" }));
      expect(await scanKeys(store.itemsTable)).toEqual([item.id]);
      expect((await scanKeys(store.metaTable)).sort()).toEqual(
        ["head|head", "log|0000000000000001", `item|${item.id}`, "idem#req-1|idem"].sort(),
      );
      await store.clear();
      expect(await scanKeys(store.itemsTable)).toEqual([]);
      expect(await scanKeys(store.metaTable)).toEqual([]);
    } finally {
      client.destroy();
      await store.close();
    }
  });

  it("lets exactly one of two stores on the same tables (two processes, two clients) commit a seq", async () => {
    const prefix = uniqueTablePrefix("two-writers");
    const [a, b] = [await makeDynamoDbStore(prefix), await makeDynamoDbStore(prefix)];
    try {
      const results = await Promise.all([
        a.commit(logEntry(1, { kind: "put", item: makeItem("01HZY7Q7ZP00000000000000AA") })),
        b.commit(logEntry(1, { kind: "put", item: makeItem("01HZY7Q7ZP00000000000000BB") })),
      ]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: "seq_conflict", headSeq: 1 }]);
      expect(await a.listItems(undefined, 10)).toEqual(await b.listItems(undefined, 10));
      expect(await b.listItems(undefined, 10)).toHaveLength(1);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("refuses an item over DynamoDB's 400 KB limit as a request error (not 'unavailable'), writing nothing", async () => {
    const store = await makeDynamoDbStore();
    try {
      const big = makeItem("01HZY7Q7ZP0000000000000BIG", { blob: "x".repeat(420_000) });
      const commit = store.commit(logEntry(1, { kind: "put", item: big }));
      await expect(commit).rejects.toThrow(/DynamoDB rejected commit seq 1: ValidationException: Item size/);
      await expect(commit).rejects.not.toBeInstanceOf(StoreUnavailableError);
      expect(await store.head()).toEqual({ seq: 0, epoch: 0 });
      expect(await store.getItem(big.id)).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it("reports tables that do not exist as StoreUnavailableError (readiness fails, naming the table)", async () => {
    const store = new DynamoDbStore({
      client: localClient(),
      tablePrefix: uniqueTablePrefix("absent"),
      region: TEST_REGION,
    });
    try {
      await expect(store.ping()).rejects.toThrow(StoreUnavailableError);
      await expect(store.ping()).rejects.toThrow(/ResourceNotFoundException/);
      await expect(store.head()).rejects.toThrow(new RegExp(store.metaTable));
    } finally {
      await store.close();
    }
  });

  it("reports an endpoint nobody listens on as StoreUnavailableError on every call", async () => {
    const port = await findFreePort();
    const client = createDynamoDbClient(
      { kind: "dynamodb", tablePrefix: "unreachable", endpoint: `http://127.0.0.1:${port}` },
      { awsRegion: "us-east-1", maxAttempts: 1 },
    );
    const store = new DynamoDbStore({ client, tablePrefix: "unreachable", region: TEST_REGION });
    try {
      await expect(store.ping()).rejects.toThrow(StoreUnavailableError);
      await expect(store.getItem("01HZY7Q7ZP0000000000000001")).rejects.toThrow(/ECONNREFUSED/);
      await expect(store.listItems(undefined, 5)).rejects.toThrow(StoreUnavailableError);
      await expect(store.readLog(0, 5)).rejects.toThrow(StoreUnavailableError);
      await expect(store.commit(logEntry(1, { kind: "delete", id: "x" }))).rejects.toThrow(
        StoreUnavailableError,
      );
      await expect(store.clear()).rejects.toThrow(StoreUnavailableError);
    } finally {
      await store.close();
    }
  });
});
