import { hasChanges, summarize } from "./compute-plan.ts";
import type { Plan } from "./plan-types.ts";

/**
 * A plan for machines (`--json`): the same items as the text, without the read-back AWS state
 * they were computed from. Stable field names; `format` changes if they ever do.
 */
export function planJson(plan: Plan): string {
  const summary = summarize(plan);
  return `${JSON.stringify(
    {
      format: "failover-plan/1",
      environment: plan.environment,
      hostedZone: plan.hostedZone ?? null,
      notes: plan.notes ?? [],
      hasChanges: hasChanges(plan),
      summary: {
        create: summary.create,
        update: summary.update,
        replace: summary.replace,
        delete: summary.delete,
        unchanged: summary.unchanged,
      },
      blockers: summary.blockers,
      items: plan.items.map((i) => ({
        address: i.address,
        kind: i.kind,
        action: i.action,
        changes: i.changes.map((c) => ({ field: c.field, from: c.from ?? null, to: c.to ?? null })),
        notes: i.notes,
        blocker: i.blocker ?? null,
      })),
    },
    null,
    2,
  )}\n`;
}
