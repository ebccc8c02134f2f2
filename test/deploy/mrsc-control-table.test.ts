import { CreateTableCommand, DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import type { EnvironmentConfig } from "../../config/schema.ts";
import { destroyEnvironment } from "../../deploy/apply/destroy-environment.ts";
import { awsPerFile } from "./support/aws-per-file.ts";
import { isolatedProductionConfig, withControlWitness } from "./support/aws-test-env.ts";
import { deployCapturing } from "./support/deploy-capturing.ts";
import { mrscOverlay } from "./support/mrsc-overlay.ts";
import type { RecordedClients } from "./support/recorded-clients.ts";

/**
 * Issue 12: `failover deploy` creates the control table as a DynamoDB global table with
 * multi-Region strong consistency, and `deploy destroy` removes it. DynamoDB here is moto (its
 * own account per test): CreateTable, DescribeTable, Scan and DeleteTable are moto's. moto does
 * not model global tables, so for UpdateTable's replica and witness updates the test checks the
 * exact requests the SDK was asked to send, and mrsc-overlay.ts answers them and shows the
 * replicas on DescribeTable as DynamoDB would.
 */
const aws = awsPerFile({ dynamodb: "moto" });
const noWait = { sleep: async () => {}, maxWaitS: 10 };

/** Production's own control placement (MRSC), tables only. */
function tablesOnly(witness = false): EnvironmentConfig {
  const config = { ...isolatedProductionConfig({ mrsc: true }), dns: undefined };
  return witness ? withControlWitness(config) : config;
}

function clientsFor(config: EnvironmentConfig): RecordedClients {
  const recorded = aws.clientsFor(config);
  mrscOverlay(recorded.clients);
  return recorded;
}

function deploy(config: EnvironmentConfig, recorded = clientsFor(config)) {
  return deployCapturing(config, recorded, { waits: noWait });
}

async function destroy(config: EnvironmentConfig, recorded: RecordedClients) {
  let text = "";
  const out = (t: string) => {
    text += t;
  };
  await destroyEnvironment({
    config,
    clients: recorded.clients,
    dryRun: false,
    deleteData: true,
    confirm: async () => true,
    out,
    log: out,
    waits: noWait,
  });
  return text;
}

/** Where moto holds the table, read through a client of the test's own (no overlay). */
async function motoHas(config: EnvironmentConfig, awsRegion: string, table: string): Promise<boolean> {
  const recorded = aws.clientsFor(config);
  try {
    await recorded.clients.dynamodb(awsRegion).send(new DescribeTableCommand({ TableName: table }));
    return true;
  } catch (error) {
    if ((error as Error).name === "ResourceNotFoundException") return false;
    throw error;
  }
}

const controlCalls = (recorded: RecordedClients, table: string) =>
  recorded.calls
    .filter(
      (c) => c.service === "dynamodb" && c.input.TableName === table && c.command !== "DescribeTableCommand",
    )
    .map((c) => ({ region: c.awsRegion, command: c.command, input: c.input }));

describe("failover deploy: the MRSC control table (moto + requests checked)", () => {
  it("CreateTable in us-east-1, then one UpdateTable adding us-east-2 and us-west-2 STRONG; then unchanged; destroy removes the replicas first", async () => {
    const config = tablesOnly();
    const table = `${config.store.tablePrefix}-control`;
    const first = await deploy(config);
    expect(first.text).toContain("Plan: 5 to create, 0 to change, 0 unchanged.");
    expect(first.text).toMatch(/\+ replicas +?= "us-east-1, us-east-2, us-west-2"/);
    expect(first.text).toMatch(/\+ multi_region_consistency += "STRONG"/);
    expect(first.text).toContain(
      `replicated table ${table} to us-east-2, us-west-2 (MultiRegionConsistency STRONG)`,
    );
    expect(first.text).toContain("Apply complete. A fresh plan shows no changes.");
    expect(controlCalls(first.recorded, table)).toEqual([
      {
        region: "us-east-1",
        command: "CreateTableCommand",
        input: expect.objectContaining({ TableName: table, BillingMode: "PAY_PER_REQUEST" }),
      },
      {
        region: "us-east-1",
        command: "UpdateTableCommand",
        input: {
          TableName: table,
          ReplicaUpdates: [{ Create: { RegionName: "us-east-2" } }, { Create: { RegionName: "us-west-2" } }],
          MultiRegionConsistency: "STRONG",
        },
      },
    ]);
    // moto's part: the table really exists in us-east-1 only (moto creates no replicas).
    expect(await motoHas(config, "us-east-1", table)).toBe(true);

    const mutated = first.recorded.mutations().length;
    const second = await deploy(config, first.recorded);
    expect(second.applied).toBe(false);
    expect(second.text).toContain("Plan: 0 to create, 0 to change, 5 unchanged.");
    expect(first.recorded.mutations().slice(mutated)).toEqual([]);

    const calls = first.recorded.calls.length;
    const text = await destroy(config, first.recorded);
    expect(text).toContain(`deleted the replicas of table ${table} in us-east-2, us-west-2`);
    expect(text).toContain("Destroy complete: nothing deploy created for production is left.");
    const destroyCalls = controlCalls({ ...first.recorded, calls: first.recorded.calls.slice(calls) }, table);
    expect(destroyCalls.filter((c) => c.command !== "ScanCommand")).toEqual([
      {
        region: "us-east-1",
        command: "UpdateTableCommand",
        input: {
          TableName: table,
          ReplicaUpdates: [{ Delete: { RegionName: "us-east-2" } }, { Delete: { RegionName: "us-west-2" } }],
        },
      },
      { region: "us-east-1", command: "DeleteTableCommand", input: { TableName: table } },
    ]);
    expect(await motoHas(config, "us-east-1", table)).toBe(false);
  }, 120_000);

  it("two replicas and a witness: GlobalTableWitnessUpdates in the same UpdateTable, and removed with the replica", async () => {
    const config = tablesOnly(true);
    const table = `${config.store.tablePrefix}-control`;
    const first = await deploy(config);
    expect(first.text).toContain("Apply complete. A fresh plan shows no changes.");
    const update = controlCalls(first.recorded, table).find((c) => c.command === "UpdateTableCommand");
    expect(update?.input).toEqual({
      TableName: table,
      ReplicaUpdates: [{ Create: { RegionName: "us-east-2" } }],
      MultiRegionConsistency: "STRONG",
      GlobalTableWitnessUpdates: [{ Create: { RegionName: "us-west-2" } }],
    });
    const calls = first.recorded.calls.length;
    await destroy(config, first.recorded);
    const removal = first.recorded.calls
      .slice(calls)
      .find((c) => c.command === "UpdateTableCommand" && c.input.TableName === table);
    expect(removal?.input).toEqual({
      TableName: table,
      ReplicaUpdates: [{ Delete: { RegionName: "us-east-2" } }],
      GlobalTableWitnessUpdates: [{ Delete: { RegionName: "us-west-2" } }],
    });
  }, 120_000);

  it("a single-region control table already there blocks the plan, and nothing is changed", async () => {
    const config = tablesOnly();
    const table = `${config.store.tablePrefix}-control`;
    const recorded = clientsFor(config);
    await recorded.clients.dynamodb("us-east-1").send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
      }),
    );
    const before = recorded.mutations().length;
    await expect(deploy(config, recorded)).rejects.toThrow(/problem/);
    expect(recorded.mutations().slice(before)).toEqual([]);
    expect(await motoHas(config, "us-east-1", table)).toBe(true);
  }, 120_000);
});
