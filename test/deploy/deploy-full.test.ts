import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { EnvironmentConfig } from "../../config/schema.ts";
import { awsPerFile } from "./support/aws-per-file.ts";
import { isolatedProductionConfig } from "./support/aws-test-env.ts";
import { deployCapturing } from "./support/deploy-capturing.ts";
import { createZone, recordsNamed } from "./support/route53-readback.ts";

/**
 * A whole deploy: DynamoDB tables in DynamoDB Local and Route 53 in moto, both started by the
 * test setup on 127.0.0.1. Tables are kept apart from other tests by a unique table prefix.
 */
const aws = awsPerFile({ dynamodb: "local" });
let dynamodb: DynamoDBClient;

beforeAll(() => {
  // A reader independent of the code under test (DynamoDB Local runs with -sharedDb).
  dynamodb = new DynamoDBClient({
    region: "us-east-1",
    endpoint: inject("dynamodbEndpoint"),
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
});

afterAll(() => dynamodb.destroy());

function deploy(config: EnvironmentConfig) {
  return deployCapturing(config, aws.clientsFor(config));
}

async function keySchema(table: string): Promise<string> {
  const out = await dynamodb.send(new DescribeTableCommand({ TableName: table }));
  return (out.Table?.KeySchema ?? []).map((k) => `${k.AttributeName}:${k.KeyType}`).join(",");
}

describe("deploy tables and DNS (DynamoDB Local + moto)", () => {
  it("creates each region's tables in its AWS region with the store's key schema, then is a no-op", async () => {
    const config = isolatedProductionConfig();
    const prefix = config.store.tablePrefix;
    const setup = aws.clientsFor(config);
    const zoneId = await createZone(setup.clients.route53, config.dns!.hostedZoneName);

    const first = await deploy(config);
    expect(first.text).toContain("Plan: 9 to create, 0 to change, 0 unchanged.");
    expect(first.text).toContain("Apply complete. A fresh plan shows no changes.");

    expect(await keySchema(`${prefix}-prod-us-items`)).toBe("id:HASH");
    expect(await keySchema(`${prefix}-prod-us-meta`)).toBe("pk:HASH,sk:RANGE");
    expect(await keySchema(`${prefix}-prod-ie-items`)).toBe("id:HASH");
    expect(await keySchema(`${prefix}-prod-ie-meta`)).toBe("pk:HASH,sk:RANGE");
    expect(await keySchema(`${prefix}-control`)).toBe("pk:HASH");
    const createdIn = first.recorded.calls
      .filter((c) => c.command === "CreateTableCommand")
      .map((c) => `${c.awsRegion}/${String(c.input.TableName)}`)
      .sort();
    expect(createdIn).toEqual(
      [
        `eu-west-1/${prefix}-prod-ie-items`,
        `eu-west-1/${prefix}-prod-ie-meta`,
        `us-east-2/${prefix}-control`,
        `us-east-1/${prefix}-prod-us-items`,
        `us-east-1/${prefix}-prod-us-meta`,
      ].sort(),
    );
    expect(await recordsNamed(first.recorded.clients.route53, zoneId, config.dns!.recordName)).toHaveLength(
      2,
    );

    const second = await deploy(config);
    expect(second.applied).toBe(false);
    expect(second.text).toContain("Plan: 0 to create, 0 to change, 9 unchanged.");
    expect(second.recorded.mutations()).toEqual([]);
  });

  it("refuses, changing nothing, when a table exists with another key schema", async () => {
    const base = isolatedProductionConfig();
    const config = { ...base, dns: undefined };
    const prefix = config.store.tablePrefix;
    await dynamodb.send(
      new CreateTableCommand({
        TableName: `${prefix}-prod-ie-items`,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [{ AttributeName: "itemId", AttributeType: "N" }],
        KeySchema: [{ AttributeName: "itemId", KeyType: "HASH" }],
      }),
    );
    const attempt = deploy(config);
    await expect(attempt).rejects.toThrow(
      /the plan has a problem \(listed above\) and cannot be applied; nothing was changed/,
    );
    expect(aws.last().mutations()).toEqual([]);
    await expect(
      dynamodb.send(new DescribeTableCommand({ TableName: `${prefix}-prod-us-items` })),
    ).rejects.toThrow(/not found|non-existent/i);
  });
});
