import { describe, expect, it } from "vitest";
import { computePlan, hasChanges, summarize } from "../../../deploy/plan/compute-plan.ts";
import { desiredState } from "../../../deploy/plan/desired-state.ts";
import { KNOWN_AFTER_APPLY, type PlanItem } from "../../../deploy/plan/plan-types.ts";
import { productionConfig } from "../support/aws-test-env.ts";
import { appliedState, emptyState } from "./plan-fixtures.ts";

const desired = desiredState(productionConfig());

function item(items: PlanItem[], address: string): PlanItem {
  const found = items.find((i) => i.address === address);
  if (found === undefined)
    throw new Error(`no plan item ${address}; have ${items.map((i) => i.address).join(", ")}`);
  return found;
}

describe("computePlan", () => {
  it("creates everything in an empty account, with record health-check ids known only after apply", () => {
    const plan = computePlan(desired, emptyState());
    expect(summarize(plan)).toMatchObject({ create: 9, update: 0, replace: 0, delete: 0, unchanged: 0 });
    const primary = item(plan.items, "route53_record.items.example.com.[prod-us]");
    expect(primary.changes).toContainEqual({ field: "failover", from: undefined, to: "PRIMARY" });
    expect(primary.changes).toContainEqual({
      field: "health_check_id",
      from: undefined,
      to: KNOWN_AFTER_APPLY,
    });
    const secondary = item(plan.items, "route53_record.items.example.com.[prod-ie]");
    expect(secondary.changes).toContainEqual({ field: "failover", from: undefined, to: "SECONDARY" });
    // Order is the order of application: tables, checks, then records that point at checks.
    const kinds = plan.items.map((i) => i.kind);
    expect(kinds.lastIndexOf("dynamodb_table")).toBeLessThan(kinds.indexOf("route53_health_check"));
    expect(kinds.lastIndexOf("route53_health_check")).toBeLessThan(kinds.indexOf("route53_record"));
  });

  it("is all no-op when AWS already holds what the config says", () => {
    const plan = computePlan(desired, appliedState(desired));
    expect(hasChanges(plan)).toBe(false);
    expect(plan.items.every((i) => i.action === "no-op" && i.changes.length === 0)).toBe(true);
    expect(summarize(plan).unchanged).toBe(9);
  });

  it("updates a health check in place when its failure threshold differs", () => {
    const actual = appliedState(desired);
    actual.healthChecks[0]!.failureThreshold = 5;
    const plan = computePlan(desired, actual);
    const check = item(plan.items, "route53_health_check.prod-us");
    expect(check.action).toBe("update");
    expect(check.changes).toEqual([{ field: "failure_threshold", from: 5, to: 3 }]);
    // The record keeps pointing at the same check, so it does not change.
    expect(item(plan.items, "route53_record.items.example.com.[prod-us]").action).toBe("no-op");
  });

  it("replaces a health check whose request interval differs, and re-points its record", () => {
    const actual = appliedState(desired);
    actual.healthChecks[1]!.requestIntervalS = 10;
    const plan = computePlan(desired, actual);
    const check = item(plan.items, "route53_health_check.prod-ie");
    expect(check.action).toBe("replace");
    expect(check.changes).toContainEqual({
      field: "request_interval_s",
      from: 10,
      to: 30,
      forcesReplacement: true,
    });
    expect(check.notes.join(" ")).toMatch(/cannot change a check's type or request interval in place/);
    const record = item(plan.items, "route53_record.items.example.com.[prod-ie]");
    expect(record.action).toBe("update");
    expect(record.changes).toEqual([{ field: "health_check_id", from: "hc-prod-ie", to: KNOWN_AFTER_APPLY }]);
    expect(summarize(plan)).toMatchObject({ replace: 1, update: 1 });
  });

  it("turns a disabled health check back on and says why", () => {
    const actual = appliedState(desired);
    actual.healthChecks[0]!.disabled = true;
    const plan = computePlan(desired, actual);
    const check = item(plan.items, "route53_health_check.prod-us");
    expect(check.action).toBe("update");
    expect(check.changes).toEqual([{ field: "disabled", from: true, to: false }]);
    expect(check.notes.join(" ")).toMatch(/DISABLED: Route 53 counts a disabled check as healthy/);
  });

  it("leaves an inverted check inverted (an operator's failover) and notes it", () => {
    const actual = appliedState(desired);
    actual.healthChecks[0]!.inverted = true;
    const plan = computePlan(desired, actual);
    const check = item(plan.items, "route53_health_check.prod-us");
    expect(check.action).toBe("no-op");
    expect(check.notes.join(" ")).toMatch(/inverted .*failover dns failback/);
  });

  it("updates a record's TTL in place", () => {
    const actual = appliedState(desired);
    actual.records[0]!.ttlS = 300;
    const plan = computePlan(desired, actual);
    const record = item(plan.items, "route53_record.items.example.com.[prod-us]");
    expect(record.action).toBe("update");
    expect(record.changes).toEqual([{ field: "ttl_s", from: 300, to: 60 }]);
  });

  it("swaps PRIMARY and SECONDARY when initialActive changes", () => {
    const swapped = desiredState({ ...productionConfig(), initialActive: "prod-ie" });
    const plan = computePlan(swapped, appliedState(desired));
    expect(item(plan.items, "route53_record.items.example.com.[prod-us]").changes).toEqual([
      { field: "failover", from: "PRIMARY", to: "SECONDARY" },
    ]);
    expect(item(plan.items, "route53_record.items.example.com.[prod-ie]").changes).toEqual([
      { field: "failover", from: "SECONDARY", to: "PRIMARY" },
    ]);
  });

  it("deletes a failover record left by a region that is no longer in the config", () => {
    const actual = appliedState(desired);
    actual.records.push({
      ...actual.records[1]!,
      setIdentifier: "prod-eu",
      values: ["prod-eu.items.example.com"],
    });
    const plan = computePlan(desired, actual);
    const stray = item(plan.items, "route53_record.items.example.com.[prod-eu]");
    expect(stray.action).toBe("delete");
    expect(summarize(plan).delete).toBe(1);
  });

  it("blocks the plan when a plain record already sits at the service's name", () => {
    const actual = appliedState(desired);
    actual.records.push({
      name: "items.example.com.",
      type: "A",
      setIdentifier: undefined,
      failover: undefined,
      ttlS: 300,
      values: ["192.0.2.1"],
      healthCheckId: undefined,
      aliasTarget: undefined,
    });
    const { blockers } = summarize(computePlan(desired, actual));
    expect(blockers).toHaveLength(1);
    expect(blockers[0]).toMatch(/already has a simple A record.*RFC 1034/);
  });

  it("blocks the plan when a table exists with another key schema", () => {
    const actual = appliedState(desired);
    const key = [...actual.tables.keys()].find((k) => k.endsWith("-prod-us-items"))!;
    actual.tables.set(key, {
      ...actual.tables.get(key)!,
      keySchema: [{ AttributeName: "itemId", KeyType: "HASH" }],
      attributeDefinitions: [{ AttributeName: "itemId", AttributeType: "N" }],
    });
    const plan = computePlan(desired, actual);
    const table = item(plan.items, "dynamodb_table.us-east-1/failover-production-prod-us-items");
    expect(table.changes).toEqual([
      { field: "key_schema", from: "itemId (HASH, N)", to: "id (HASH, S)", forcesReplacement: true },
    ]);
    expect(table.blocker).toMatch(/key schema/);
    expect(summarize(plan).blockers).toHaveLength(1);
  });

  it("deletes an extra check of the same identity that no record uses", () => {
    const actual = appliedState(desired);
    actual.healthChecks.push({
      ...actual.healthChecks[0]!,
      id: "hc-orphan",
      callerReference: "failover-x-2",
    });
    const plan = computePlan(desired, actual);
    const kept = item(plan.items, "route53_health_check.prod-us");
    expect(kept.kind === "route53_health_check" && kept.actual?.id).toBe("hc-prod-us");
    expect(item(plan.items, "route53_health_check.prod-us#hc-orphan").action).toBe("delete");
  });

  it("finds an untagged check by its CallerReference prefix and tags it", () => {
    const actual = appliedState(desired);
    actual.healthChecks[1]!.tags = {};
    const plan = computePlan(desired, actual);
    const check = item(plan.items, "route53_health_check.prod-ie");
    expect(check.action).toBe("update");
    expect(check.changes.map((c) => c.field)).toEqual([
      "tags.Name",
      "tags.failover:environment",
      "tags.failover:service",
      "tags.failover:region",
    ]);
  });

  it("ignores checks of another service or environment", () => {
    const actual = appliedState(desired);
    actual.healthChecks[0]!.tags["failover:service"] = "other.example.com";
    const plan = computePlan(desired, actual);
    expect(item(plan.items, "route53_health_check.prod-us").action).toBe("create");
  });

  it("manages no tables for an in-memory store and no DNS without a dns section", () => {
    const { dns: _dns, ...rest } = productionConfig();
    const plan = computePlan(
      desiredState({ ...rest, store: { ...rest.store, kind: "memory" } }),
      emptyState(),
    );
    expect(plan.items).toEqual([]);
  });
});
