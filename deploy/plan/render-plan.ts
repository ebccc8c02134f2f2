import { hasChanges, summarize } from "./compute-plan.ts";
import type { FieldChange, FieldValue, Plan, PlanAction, PlanItem } from "./plan-types.ts";

/**
 * A plan as text, in the shape operators know from `tofu plan`: a symbol per resource
 * (+ create, ~ update in place, -/+ replace, - delete, = unchanged), the fields that change
 * (`from -> to`), then one summary line. No colour: it goes to logs and CI output as is.
 */
const SYMBOL: Record<PlanAction, string> = {
  create: "+",
  update: "~",
  replace: "-/+",
  delete: "-",
  "no-op": "=",
};
const VERB: Record<PlanAction, string> = {
  create: "will be created",
  update: "will be updated in place",
  replace: "must be replaced",
  delete: "will be deleted",
  "no-op": "is unchanged",
};

export function renderPlan(plan: Plan): string {
  const lines: string[] = [];
  const zone =
    plan.hostedZone === undefined ? "" : `, hosted zone ${plan.hostedZone.name} (${plan.hostedZone.id})`;
  lines.push(`Plan for environment ${plan.environment}${zone}:`, "");
  for (const note of plan.notes ?? []) lines.push(`  note: ${note}`);
  if ((plan.notes ?? []).length > 0) lines.push("");
  for (const item of plan.items) lines.push(...renderItem(item));
  if (plan.items.length === 0) lines.push("  (nothing to manage: no dns section and an in-memory store)");
  if (lines.at(-1) !== "") lines.push("");
  lines.push(summaryLine(plan));
  if (!hasChanges(plan)) lines.push("No changes: AWS already matches the configuration.");
  const { blockers } = summarize(plan);
  if (blockers.length > 0) {
    lines.push(
      "",
      `This plan cannot be applied (${blockers.length} problem${blockers.length === 1 ? "" : "s"}):`,
    );
    for (const blocker of blockers) lines.push(`  ! ${blocker}`);
  }
  return `${lines.join("\n")}\n`;
}

/** e.g. "Plan: 2 to create, 1 to change, 3 unchanged." (replace and delete only when there are any). */
export function summaryLine(plan: Plan): string {
  const s = summarize(plan);
  const parts = [`${s.create} to create`, `${s.update} to change`];
  if (s.replace > 0) parts.push(`${s.replace} to replace`);
  if (s.delete > 0) parts.push(`${s.delete} to delete`);
  parts.push(`${s.unchanged} unchanged`);
  return `Plan: ${parts.join(", ")}.`;
}

function renderItem(item: PlanItem): string[] {
  const notes = item.notes.map((n) => `    note: ${n}`);
  if (item.blocker !== undefined) notes.push(`    ! cannot apply: ${item.blocker}`);
  if (item.action === "no-op" && item.changes.length === 0) {
    return [`  = ${item.address} (unchanged)`, ...notes, ...(notes.length > 0 ? [""] : [])];
  }
  const symbol = SYMBOL[item.action].padStart(3);
  const lines = [
    `  # ${item.address} ${VERB[item.action]}`,
    `${symbol} ${item.address}${item.changes.length ? " {" : ""}`,
  ];
  const width = Math.max(0, ...item.changes.map((c) => c.field.length));
  for (const change of item.changes) lines.push(`      ${renderChange(item.action, change, width)}`);
  if (item.changes.length) lines.push("    }");
  return [...lines, ...notes, ""];
}

function renderChange(action: PlanAction, change: FieldChange, width: number): string {
  const field = change.field.padEnd(width);
  const tail = change.forcesReplacement ? " # forces replacement" : "";
  if (action === "create") return `+ ${field} = ${show(change.to)}`;
  if (change.from === change.to) return `  ${field} = ${show(change.to)}`;
  return `~ ${field} = ${show(change.from)} -> ${show(change.to)}${tail}`;
}

export function show(value: FieldValue): string {
  if (value === undefined) return "(none)";
  if (typeof value === "string") return value.startsWith("(") ? value : JSON.stringify(value);
  return String(value);
}
