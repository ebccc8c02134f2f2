import type { AttributeDefinition, KeySchemaElement } from "@aws-sdk/client-dynamodb";
import type { AwsClients } from "../../../deploy/aws/clients.ts";

/**
 * moto (5.2) does not model DynamoDB global tables: it accepts UpdateTable with ReplicaUpdates and
 * changes nothing, and DescribeTable never lists replicas. This overlay, in the SDK client's
 * middleware stack beside the recorder (recorded-clients.ts), stands in for exactly that part and
 * nothing else: it answers UpdateTable's replica and witness updates itself (the test asserts the
 * request it was sent), adds the replicas, witness and MultiRegionConsistency to the home
 * region's DescribeTable (the rest of the answer is moto's), and answers DescribeTable in a
 * replica region as that replica would. CreateTable, DeleteTable and Scan go to moto.
 */
interface GlobalTable {
  home: string;
  replicas: Set<string>;
  witness: string | undefined;
  keySchema: KeySchemaElement[];
  attributeDefinitions: AttributeDefinition[];
}

type Handler = (args: { input: Record<string, unknown> }) => Promise<{ output: unknown; response?: unknown }>;

interface StackClient {
  middlewareStack: {
    add(
      middleware: (next: Handler, context: { commandName?: string }) => Handler,
      options: { step: "initialize"; name: string },
    ): void;
  };
}

export function mrscOverlay(clients: AwsClients): void {
  const tables = new Map<string, GlobalTable>();
  const created = new Map<
    string,
    { keySchema: KeySchemaElement[]; attributeDefinitions: AttributeDefinition[] }
  >();
  const seen = new Set<string>();
  const make = clients.dynamodb.bind(clients);
  clients.dynamodb = (awsRegion: string) => {
    const client = make(awsRegion);
    if (seen.has(awsRegion)) return client;
    seen.add(awsRegion);
    (client as unknown as StackClient).middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input;
        const name = String(input.TableName);
        if (context.commandName === "CreateTableCommand") {
          created.set(name, {
            keySchema: (input.KeySchema as KeySchemaElement[]) ?? [],
            attributeDefinitions: (input.AttributeDefinitions as AttributeDefinition[]) ?? [],
          });
        }
        if (
          context.commandName === "UpdateTableCommand" &&
          (input.ReplicaUpdates || input.GlobalTableWitnessUpdates)
        ) {
          const table = tables.get(name) ?? {
            home: awsRegion,
            replicas: new Set<string>(),
            witness: undefined,
            ...(created.get(name) ?? { keySchema: [], attributeDefinitions: [] }),
          };
          for (const u of (input.ReplicaUpdates as {
            Create?: { RegionName: string };
            Delete?: { RegionName: string };
          }[]) ?? []) {
            if (u.Create) table.replicas.add(u.Create.RegionName);
            if (u.Delete) table.replicas.delete(u.Delete.RegionName);
          }
          for (const u of (input.GlobalTableWitnessUpdates as {
            Create?: { RegionName: string };
            Delete?: object;
          }[]) ?? []) {
            if (u.Create) table.witness = u.Create.RegionName;
            if (u.Delete) table.witness = undefined;
          }
          if (table.replicas.size === 0 && table.witness === undefined) tables.delete(name);
          else tables.set(name, table);
          return {
            output: { $metadata: {}, TableDescription: { TableName: name, TableStatus: "ACTIVE" } },
            response: {},
          };
        }
        if (context.commandName === "DescribeTableCommand") {
          const table = tables.get(name);
          if (table?.replicas.has(awsRegion)) {
            return { output: { $metadata: {}, Table: describe(name, table, awsRegion, {}) }, response: {} };
          }
          const result = await next(args);
          if (table === undefined || table.home !== awsRegion) return result;
          const output = result.output as { Table?: Record<string, unknown> };
          return {
            ...result,
            output: { ...output, Table: describe(name, table, awsRegion, output.Table ?? {}) },
          };
        }
        if (context.commandName === "DeleteTableCommand") tables.delete(name);
        return next(args);
      },
      { step: "initialize", name: "mrscOverlayForTest" },
    );
    return client;
  };
}

function describe(name: string, table: GlobalTable, here: string, base: Record<string, unknown>) {
  const regions = [table.home, ...table.replicas].filter((r) => r !== here);
  return {
    TableName: name,
    TableStatus: "ACTIVE",
    KeySchema: table.keySchema,
    AttributeDefinitions: table.attributeDefinitions,
    ...base,
    Replicas: regions.map((r) => ({ RegionName: r, ReplicaStatus: "ACTIVE" })),
    ...(table.witness
      ? { GlobalTableWitnesses: [{ RegionName: table.witness, WitnessStatus: "ACTIVE" }] }
      : {}),
    MultiRegionConsistency: "STRONG",
  };
}
