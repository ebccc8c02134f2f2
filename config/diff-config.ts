/**
 * Field-by-field difference between two configs, so a change is seen before it ships
 * (configuration pushes caused 31% of Google's outages, 2010-2017: docs/latency-table-11.md, Table 12).
 */
export interface FieldChange {
  field: string;
  kind: "added" | "removed" | "changed";
  from?: unknown;
  to?: unknown;
}

export function diffConfigs(a: unknown, b: unknown): FieldChange[] {
  const left = flatten(a);
  const right = flatten(b);
  const fields = [...new Set([...left.keys(), ...right.keys()])].sort(compareFieldPaths);
  const changes: FieldChange[] = [];
  for (const field of fields) {
    const inLeft = left.has(field);
    const inRight = right.has(field);
    if (inLeft && !inRight) changes.push({ field, kind: "removed", from: left.get(field) });
    else if (!inLeft && inRight) changes.push({ field, kind: "added", to: right.get(field) });
    else if (JSON.stringify(left.get(field)) !== JSON.stringify(right.get(field))) {
      changes.push({ field, kind: "changed", from: left.get(field), to: right.get(field) });
    }
  }
  return changes;
}

/** Leaf values by dotted path: `router.healthCheck.intervalMs`, `regions[0].endpoint`. */
function flatten(value: unknown, prefix = "", out = new Map<string, unknown>()): Map<string, unknown> {
  if (Array.isArray(value)) {
    if (value.length === 0) out.set(prefix, []);
    for (const [i, v] of value.entries()) flatten(v, `${prefix}[${i}]`, out);
  } else if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) out.set(prefix, {});
    for (const [k, v] of entries) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.set(prefix, value);
  }
  return out;
}

function compareFieldPaths(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}

export function formatChanges(changes: FieldChange[], labels: [string, string]): string {
  if (changes.length === 0) return `no differences between ${labels[0]} and ${labels[1]}\n`;
  const lines = [`--- ${labels[0]}`, `+++ ${labels[1]}`];
  for (const c of changes) {
    if (c.kind === "added") lines.push(`+ ${c.field}: ${show(c.to)}`);
    else if (c.kind === "removed") lines.push(`- ${c.field}: ${show(c.from)}`);
    else lines.push(`~ ${c.field}: ${show(c.from)} -> ${show(c.to)}`);
  }
  const count = (kind: FieldChange["kind"]) => changes.filter((c) => c.kind === kind).length;
  lines.push(
    `${changes.length} field(s): ${count("changed")} changed, ${count("added")} added, ${count("removed")} removed`,
  );
  return `${lines.join("\n")}\n`;
}

function show(value: unknown): string {
  return JSON.stringify(value);
}
