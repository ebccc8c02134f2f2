import { planRouters } from "../routers/plan-routers.ts";
import { planHealthChecks } from "./plan-health-checks.ts";
import { planRecords } from "./plan-records.ts";
import { planTables } from "./plan-tables.ts";
import type { ActualState, DesiredState, Plan, PlanAction, PlanItem } from "./plan-types.ts";

/**
 * The plan: what to do to turn `actual` into `desired`. Pure: the same two states always give
 * the same plan, and applying a plan then planning again gives only no-ops.
 * Order: tables, the failover pair's health checks and records, then the routers (role,
 * functions, URLs, their checks and latency records). applyPlan applies them in dependency order.
 */
export function computePlan(desired: DesiredState, actual: ActualState): Plan {
  const items: PlanItem[] = [...planTables(desired.tables, actual.tables)];
  if (desired.dns !== undefined) {
    const checks = planHealthChecks(desired.dns.healthChecks, actual.healthChecks, actual.records);
    items.push(...checks, ...planRecords(desired.dns.records, actual.records, checks));
  }
  const plan: Plan = { environment: desired.environment, items };
  if (desired.routers !== undefined && actual.routers !== undefined) {
    items.push(...planRouters(desired.routers, actual.routers, actual.healthChecks));
    plan.notes = [controlTableNote(desired.routers)];
  }
  if (actual.hostedZone !== undefined) plan.hostedZone = actual.hostedZone;
  return plan;
}

/**
 * Where the routers' control record lives, said plainly: in one table in one AWS region (lost
 * with that region), or in a multi-Region strongly consistent table (issue 12, docs/issues.md) whose majority
 * outlives any one of its regions.
 */
function controlTableNote(routers: NonNullable<DesiredState["routers"]>): string {
  const table = routers.controlTable;
  if (table === undefined) {
    return "control record: in memory (store.kind memory), so each router has its own: deployed routers cannot agree on the active region";
  }
  if (table.replicaRegions.length === 1 && table.witnessRegion === undefined) {
    return (
      `control record: table ${table.name} in ${table.awsRegion} only; every router reads and compare-and-sets it there, ` +
      `so if ${table.awsRegion} fails as a whole no router can promote (control.replicas: three regions make it a multi-Region table)`
    );
  }
  const members = table.replicaRegions.length + (table.witnessRegion === undefined ? 0 : 1);
  const majority = Math.floor(members / 2) + 1;
  const witness = table.witnessRegion === undefined ? "" : ` and witness ${table.witnessRegion}`;
  return (
    `control record: table ${table.name}, multi-Region strongly consistent (MRSC), replicas ${table.replicaRegions.join(", ")}${witness}; ` +
    `each router reads and compare-and-sets the nearest replica that answers, and any ${majority} of the ${members} decide, ` +
    "so losing any one of these AWS regions leaves promotion working"
  );
}

export interface PlanSummary {
  create: number;
  update: number;
  replace: number;
  delete: number;
  unchanged: number;
  blockers: string[];
}

export function summarize(plan: Plan): PlanSummary {
  const count = (action: PlanAction) => plan.items.filter((i) => i.action === action).length;
  return {
    create: count("create"),
    update: count("update"),
    replace: count("replace"),
    delete: count("delete"),
    unchanged: count("no-op"),
    blockers: plan.items.flatMap((i) => (i.blocker === undefined ? [] : [`${i.address}: ${i.blocker}`])),
  };
}

export function hasChanges(plan: Plan): boolean {
  return plan.items.some((i) => i.action !== "no-op");
}
