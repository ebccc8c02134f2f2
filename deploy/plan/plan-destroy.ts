import type { Plan, PlanItem } from "./plan-types.ts";

/** Deletion order, the reverse of creation: what points at something goes before it. */
const DELETE_RANK: Record<PlanItem["kind"], number> = {
  route53_record: 0,
  route53_latency_record: 0,
  route53_health_check: 1,
  lambda_function_url: 2,
  lambda_function: 3,
  iam_role: 4,
  dynamodb_table: 5,
};

/**
 * `failover deploy destroy`: from the deploy plan (which read everything this environment's
 * deploy manages), a plan that deletes every resource that exists, in the order it is deleted,
 * and leaves out those that do not. A table that holds items is kept unless `deleteData`: losing data takes typing it.
 */
export function planDestroy(plan: Plan, tablesWithItems: Set<string>, deleteData: boolean): Plan {
  const items: PlanItem[] = [];
  for (const item of plan.items) {
    if (item.actual === undefined) continue;
    const base = { ...item, changes: [], notes: [] as string[] };
    delete base.blocker;
    if (item.kind === "dynamodb_table" && tablesWithItems.has(item.address) && !deleteData) {
      base.action = "no-op";
      base.notes.push("kept: it holds items; `--delete-data` deletes the table and its items");
      items.push(base as PlanItem);
      continue;
    }
    base.action = "delete";
    if (item.kind === "dynamodb_table" && tablesWithItems.has(item.address)) {
      base.notes.push("holds items: they are deleted with it (--delete-data)");
    }
    items.push(base as PlanItem);
  }
  // Array.prototype.sort is stable: within a rank the deploy plan's order stays.
  items.sort((a, b) => DELETE_RANK[a.kind] - DELETE_RANK[b.kind]);
  const destroy: Plan = { environment: plan.environment, items };
  if (plan.hostedZone !== undefined) {
    destroy.hostedZone = plan.hostedZone;
    destroy.notes = [`the hosted zone ${plan.hostedZone.name} is not deploy's and stays`];
  }
  return destroy;
}
