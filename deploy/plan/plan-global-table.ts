import { keySchemaProblem } from "../../regions/store/dynamodb-tables.ts";
import type { FieldChange, TableActual, TableItem, TableSpec } from "./plan-types.ts";
import { existingTableItem, tableKey } from "./plan-types.ts";

/**
 * The control table as a DynamoDB global table with multi-Region strong consistency (issue 12):
 * created in its first replica region, then replicated by one UpdateTable (ReplicaUpdates,
 * GlobalTableWitnessUpdates, MultiRegionConsistency STRONG; deploy/aws/dynamodb-global-table.ts).
 * An existing table with exactly these replicas, witness and consistency is unchanged. Any other
 * shape blocks the plan and is never altered: MRSC can be enabled only on an empty table, a
 * table's consistency mode cannot change once it is global, and replicas of an MRSC table cannot
 * be added or removed one at a time (AWS's MRSC docs), so "fixing" it would mean deleting the
 * record every router and region fences on.
 */
export function planGlobalTable(
  spec: TableSpec & { global: NonNullable<TableSpec["global"]> },
  actual: Map<string, TableActual | undefined>,
  keySummary: (keys: TableActual["keySchema"], attrs: TableActual["attributeDefinitions"]) => string,
): TableItem {
  const name = spec.definition.TableName!;
  const address = `dynamodb_table.${spec.awsRegion}/${name}`;
  const wanted = shapeOf(spec);
  const key = keySummary(spec.definition.KeySchema ?? [], spec.definition.AttributeDefinitions ?? []);
  const found = actual.get(tableKey(spec.awsRegion, name));
  if (found === undefined) {
    const changes: FieldChange[] = [
      { field: "key_schema", from: undefined, to: key },
      { field: "billing_mode", from: undefined, to: spec.definition.BillingMode },
      { field: "replicas", from: undefined, to: wanted.replicas },
      ...(wanted.witness !== undefined ? [{ field: "witness", from: undefined, to: wanted.witness }] : []),
      { field: "multi_region_consistency", from: undefined, to: "STRONG" },
    ];
    const item: TableItem = {
      kind: "dynamodb_table",
      address,
      action: "create",
      changes,
      notes: [],
      desired: spec,
    };
    const strangers = spec.global.replicaRegions
      .slice(1)
      .filter((region) => actual.get(tableKey(region, name)) !== undefined);
    if (strangers.length > 0) {
      item.blocker =
        `a table ${name} already exists in ${strangers.join(", ")}, outside any global table; creating the ` +
        `replica there would fail. Delete it (it is not this deployment's) or choose another store.tablePrefix`;
    }
    item.notes.push(
      `created in ${spec.awsRegion}, then replicated by UpdateTable (ReplicaUpdates${wanted.witness ? ", GlobalTableWitnessUpdates" : ""}, MultiRegionConsistency STRONG)`,
    );
    return item;
  }
  const item = existingTableItem(address, spec, found);
  const have = shapeOfActual(found);
  const differs = (field: string, from: string | undefined, to: string | undefined) => {
    if (from !== to) item.changes.push({ field, from, to, forcesReplacement: true });
  };
  differs("replicas", have.replicas, wanted.replicas);
  differs("witness", have.witness, wanted.witness);
  differs("multi_region_consistency", have.consistency, "STRONG");
  const keyProblem = keySchemaProblem(spec.definition, {
    KeySchema: found.keySchema,
    AttributeDefinitions: found.attributeDefinitions,
  });
  if (keyProblem !== undefined) {
    item.changes.push({
      field: "key_schema",
      from: keySummary(found.keySchema, found.attributeDefinitions),
      to: key,
      forcesReplacement: true,
    });
  }
  if (item.changes.length > 0) item.blocker = shapeBlocker(name, spec.awsRegion, have, keyProblem);
  const notActive = [
    ...(found.status !== "ACTIVE" ? [`table status is ${found.status}`] : []),
    ...(found.replicas ?? [])
      .filter((r) => r.status !== "ACTIVE")
      .map((r) => `replica ${r.region} is ${r.status}`),
    ...(found.witnesses ?? [])
      .filter((w) => w.status !== "ACTIVE")
      .map((w) => `witness ${w.region} is ${w.status}`),
  ];
  item.notes.push(...notActive);
  return item;
}

interface Shape {
  /** Every replica region, sorted, e.g. "us-east-1, us-east-2, us-west-2". */
  replicas: string;
  witness: string | undefined;
  consistency?: string | undefined;
}

function shapeOf(spec: TableSpec & { global: NonNullable<TableSpec["global"]> }): Shape {
  return { replicas: [...spec.global.replicaRegions].sort().join(", "), witness: spec.global.witnessRegion };
}

function shapeOfActual(found: TableActual): Shape {
  const regions = [found.awsRegion, ...(found.replicas ?? []).map((r) => r.region)];
  return {
    replicas: [...new Set(regions)].sort().join(", "),
    witness: found.witnesses?.map((w) => w.region).join(", ") || undefined,
    consistency: found.multiRegionConsistency,
  };
}

function shapeBlocker(name: string, awsRegion: string, have: Shape, keyProblem: string | undefined): string {
  if (keyProblem !== undefined) return `table ${name} in ${awsRegion} ${keyProblem}`;
  const single = have.consistency === undefined && have.witness === undefined && !have.replicas.includes(",");
  const what = single
    ? "is a single-region table"
    : `is a global table with replicas ${have.replicas}${have.witness ? `, witness ${have.witness}` : ""}, consistency ${have.consistency ?? "EVENTUAL"}`;
  return (
    `control table ${name} in ${awsRegion} ${what}, not the multi-Region strongly consistent table control.replicas asks for. ` +
    "Deploy never alters it: MRSC needs an empty table and fixed replicas, and the table holds the record routers and regions fence on. " +
    `Once nothing uses it, delete it (aws dynamodb delete-table --table-name ${name} --region ${awsRegion}, replicas first) and deploy again`
  );
}
