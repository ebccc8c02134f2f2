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
 * Where the routers' control record lives, said plainly: today one table in one AWS region
 * (issue 12 (docs/issues.md) moves it to a multi-region strongly consistent table; not done here).
 */
function controlTableNote(routers: NonNullable<DesiredState["routers"]>): string {
  const table = routers.controlTable;
  if (table === undefined) {
    return "control record: in memory (store.kind memory), so each router has its own: deployed routers cannot agree on the active region";
  }
  return (
    `control record: table ${table.name} in ${table.awsRegion} only; every router reads and compare-and-sets it there, ` +
    `so if ${table.awsRegion} fails as a whole no router can promote (a multi-region control table is issue 12's work)`
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
