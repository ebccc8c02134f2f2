import type { AttributeDefinition, KeySchemaElement } from "@aws-sdk/client-dynamodb";
import { keySchemaProblem } from "../../regions/store/dynamodb-tables.ts";
import { planGlobalTable } from "./plan-global-table.ts";
import {
  existingTableItem,
  type TableActual,
  type TableItem,
  type TableSpec,
  tableKey,
} from "./plan-types.ts";

/**
 * DynamoDB tables: created when missing, left alone when present with the key schema the
 * store needs. DynamoDB cannot change a table's key schema (UpdateTable has no KeySchema), and
 * replacing a table would drop its items, so a mismatch blocks the plan instead.
 */
export function planTables(specs: TableSpec[], actual: Map<string, TableActual | undefined>): TableItem[] {
  return specs.map((spec) => {
    if (spec.global !== undefined)
      return planGlobalTable({ ...spec, global: spec.global }, actual, keySchemaSummary);
    const name = spec.definition.TableName!;
    const address = `dynamodb_table.${spec.awsRegion}/${name}`;
    const wanted = keySchemaSummary(
      spec.definition.KeySchema ?? [],
      spec.definition.AttributeDefinitions ?? [],
    );
    const found = actual.get(tableKey(spec.awsRegion, name));
    if (found === undefined) {
      const changes = [
        { field: "key_schema", from: undefined, to: wanted },
        { field: "billing_mode", from: undefined, to: spec.definition.BillingMode },
      ];
      return { kind: "dynamodb_table", address, action: "create", changes, notes: [], desired: spec };
    }
    const item = existingTableItem(address, spec, found);
    const problem = keySchemaProblem(spec.definition, {
      KeySchema: found.keySchema,
      AttributeDefinitions: found.attributeDefinitions,
    });
    if (problem !== undefined) {
      const from = keySchemaSummary(found.keySchema, found.attributeDefinitions);
      item.changes.push({ field: "key_schema", from, to: wanted, forcesReplacement: true });
      item.blocker = `table ${name} in ${spec.awsRegion} ${problem}`;
    }
    if (found.status !== "ACTIVE") item.notes.push(`table status is ${found.status}`);
    return item;
  });
}

/** e.g. "id (HASH, S)" or "pk (HASH, S) + sk (RANGE, S)". */
export function keySchemaSummary(keys: KeySchemaElement[], attributes: AttributeDefinition[]): string {
  return keys
    .map((key) => {
      const type = attributes.find((a) => a.AttributeName === key.AttributeName)?.AttributeType ?? "?";
      return `${key.AttributeName} (${key.KeyType}, ${type})`;
    })
    .join(" + ");
}
