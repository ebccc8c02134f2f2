import { describe, expect, it } from "vitest";
import { computePlan } from "../../../deploy/plan/compute-plan.ts";
import { desiredState } from "../../../deploy/plan/desired-state.ts";
import { planDestroy } from "../../../deploy/plan/plan-destroy.ts";
import { type TableActual, type TableItem, tableKey } from "../../../deploy/plan/plan-types.ts";
import { renderPlan } from "../../../deploy/plan/render-plan.ts";
import { productionConfig, withControlWitness } from "../support/aws-test-env.ts";
import { appliedState, emptyState } from "./plan-fixtures.ts";

// Issue 12: the control table as a multi-Region strongly consistent (MRSC) global table, as the
// plan shows it. Plain objects, no AWS.
const CONTROL = "failover-production-control";
const controlItem = (items: { address: string }[]) =>
  items.find((i) => i.address === `dynamodb_table.us-east-1/${CONTROL}`) as TableItem;

function witnessConfig() {
  return withControlWitness(productionConfig());
}

describe("the MRSC control table in the plan", () => {
  it("plans production's table in us-east-1 with replicas in us-east-2 and us-west-2, STRONG", () => {
    const plan = computePlan(desiredState(productionConfig()), emptyState());
    const item = controlItem(plan.items);
    expect(item.action).toBe("create");
    expect(item.changes).toEqual([
      { field: "key_schema", from: undefined, to: "pk (HASH, S)" },
      { field: "billing_mode", from: undefined, to: "PAY_PER_REQUEST" },
      { field: "replicas", from: undefined, to: "us-east-1, us-east-2, us-west-2" },
      { field: "multi_region_consistency", from: undefined, to: "STRONG" },
    ]);
    expect(renderPlan(plan)).toMatch(/\+ replicas +?= "us-east-1, us-east-2, us-west-2"/);
    expect(item.blocker).toBeUndefined();
  });

  it("two replicas and a witness: the witness is its own field", () => {
    const item = controlItem(computePlan(desiredState(witnessConfig()), emptyState()).items);
    expect(item.changes.map((c) => [c.field, c.to])).toEqual([
      ["key_schema", "pk (HASH, S)"],
      ["billing_mode", "PAY_PER_REQUEST"],
      ["replicas", "us-east-1, us-east-2"],
      ["witness", "us-west-2"],
      ["multi_region_consistency", "STRONG"],
    ]);
  });

  it("is unchanged when the table has exactly those replicas and STRONG consistency", () => {
    const desired = desiredState(productionConfig());
    const item = controlItem(computePlan(desired, appliedState(desired)).items);
    expect(item.action).toBe("no-op");
    expect(item.changes).toEqual([]);
    expect(item.blocker).toBeUndefined();
  });

  it("blocks, changing nothing, when the table is single-region, EVENTUAL or has other replicas", () => {
    const desired = desiredState(productionConfig());
    const variants: [string, Partial<TableActual>, RegExp][] = [
      [
        "single-region",
        { replicas: undefined, multiRegionConsistency: undefined },
        /is a single-region table/,
      ],
      ["eventual", { multiRegionConsistency: "EVENTUAL" }, /consistency EVENTUAL/],
      [
        "other replicas",
        { replicas: [{ region: "us-east-2", status: "ACTIVE" }] },
        /replicas us-east-1, us-east-2, consistency STRONG/,
      ],
    ];
    for (const [, change, message] of variants) {
      const actual = appliedState(desired);
      const key = tableKey("us-east-1", CONTROL);
      actual.tables.set(key, { ...actual.tables.get(key)!, ...change });
      const item = controlItem(computePlan(desired, actual).items);
      expect(item.action).toBe("no-op");
      expect(item.blocker).toMatch(message);
      expect(item.blocker).toMatch(/Deploy never alters it/);
      expect(item.changes.every((c) => c.forcesReplacement)).toBe(true);
    }
  });

  it("blocks creating it when a table of that name already stands alone in a replica region", () => {
    const actual = emptyState();
    actual.tables.set(tableKey("us-west-2", CONTROL), {
      awsRegion: "us-west-2",
      name: CONTROL,
      status: "ACTIVE",
      keySchema: [],
      attributeDefinitions: [],
    });
    const item = controlItem(computePlan(desiredState(productionConfig()), actual).items);
    expect(item.action).toBe("create");
    expect(item.blocker).toMatch(/already exists in us-west-2, outside any global table/);
  });

  it("destroy deletes it (its replicas first, see deploy/aws/dynamodb-global-table.ts)", () => {
    const desired = desiredState(productionConfig());
    const full = computePlan(desired, appliedState(desired));
    const destroy = planDestroy(full, new Set(), false);
    const item = controlItem(destroy.items);
    expect(item.action).toBe("delete");
    expect(item.actual?.replicas?.map((r) => r.region)).toEqual(["us-east-2", "us-west-2"]);
  });
});
