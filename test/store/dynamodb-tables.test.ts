import { CreateTableCommand, DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, describe, expect, it } from "vitest";
import {
  controlTableDefinition,
  controlTableName,
  ensureTables,
  itemsTableName,
  metaTableName,
  regionTableDefinitions,
  TableSchemaMismatchError,
} from "../../regions/store/dynamodb-tables.ts";
import { localClient, uniqueTablePrefix } from "./dynamodb-test-tables.ts";

describe("table definitions", () => {
  it("names a region's tables and the control table from the prefix", () => {
    expect(itemsTableName("failover-production", "prod-us")).toBe("failover-production-prod-us-items");
    expect(metaTableName("failover-production", "prod-ie")).toBe("failover-production-prod-ie-meta");
    expect(controlTableName("failover-production")).toBe("failover-production-control");
  });

  it("defines string keys and on-demand billing: items by id, meta by pk + sk, control by pk", () => {
    const [items, meta] = regionTableDefinitions("p", "prod-us");
    expect(items).toEqual({
      TableName: "p-prod-us-items",
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
    });
    expect(meta?.KeySchema).toEqual([
      { AttributeName: "pk", KeyType: "HASH" },
      { AttributeName: "sk", KeyType: "RANGE" },
    ]);
    expect(controlTableDefinition("p").KeySchema).toEqual([{ AttributeName: "pk", KeyType: "HASH" }]);
  });
});

describe("ensureTables on DynamoDB Local", () => {
  const client = localClient();
  afterAll(() => client.destroy());

  it("creates missing tables ACTIVE with the defined keys, and a second run changes nothing", async () => {
    const prefix = uniqueTablePrefix("ensure");
    const defs = [...regionTableDefinitions(prefix, "prod-us"), controlTableDefinition(prefix)];
    await ensureTables(client, defs);
    const describe = (name: string) => client.send(new DescribeTableCommand({ TableName: name }));
    const first = await Promise.all(defs.map((d) => describe(d.TableName!)));
    for (const [i, out] of first.entries()) {
      expect(out.Table?.TableStatus).toBe("ACTIVE");
      expect(out.Table?.KeySchema).toEqual(defs[i]!.KeySchema);
      expect(out.Table?.BillingModeSummary?.BillingMode).toBe("PAY_PER_REQUEST");
    }
    await ensureTables(client, defs);
    const second = await Promise.all(defs.map((d) => describe(d.TableName!)));
    expect(second.map((o) => o.Table?.CreationDateTime)).toEqual(first.map((o) => o.Table?.CreationDateTime));
  });

  it("creates the same tables from two callers at once without failing", async () => {
    const defs = regionTableDefinitions(uniqueTablePrefix("ensure-race"), "prod-ie");
    await expect(
      Promise.all([ensureTables(client, defs), ensureTables(client, defs)]),
    ).resolves.toBeDefined();
  });

  it("refuses an existing table whose key schema differs, naming the table and both schemas", async () => {
    const prefix = uniqueTablePrefix("mismatch");
    const [items] = regionTableDefinitions(prefix, "prod-us");
    await client.send(
      new CreateTableCommand({
        TableName: items!.TableName,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
      }),
    );
    const ensure = ensureTables(client, [items!]);
    await expect(ensure).rejects.toThrow(TableSchemaMismatchError);
    await expect(ensure).rejects.toThrow(
      `DynamoDB table "${items!.TableName}": has key schema pk (HASH, S) but the store needs id (HASH, S)`,
    );
  });
});
