import { planHealthChecks } from "./plan-health-checks.ts";
import { planRecords } from "./plan-records.ts";
import { planTables } from "./plan-tables.ts";
import type { ActualState, DesiredState, Plan, PlanAction, PlanItem } from "./plan-types.ts";

/**
 * The plan: what to do to turn `actual` into `desired`. Pure: the same two states always give
 * the same plan, and applying a plan then planning again gives only no-ops.
 * Order is the order of application: tables, then health checks, then the records that point
 * at them.
 */
export function computePlan(desired: DesiredState, actual: ActualState): Plan {
  const items: PlanItem[] = [...planTables(desired.tables, actual.tables)];
  if (desired.dns !== undefined) {
    const checks = planHealthChecks(desired.dns.healthChecks, actual.healthChecks, actual.records);
    items.push(...checks, ...planRecords(desired.dns.records, actual.records, checks));
  }
  const plan: Plan = { environment: desired.environment, items };
  if (actual.hostedZone !== undefined) plan.hostedZone = actual.hostedZone;
  return plan;
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
