import { type FaultPlanContext, faultKind, faultKindNames } from "../faults/index.ts";
import type { InputProblem } from "../input/input-error.ts";
import type { Locator } from "../input/locator.ts";
import { problemsFromZod } from "../input/zod-problems.ts";
import type { PlannedFault } from "./resolved-scenario.ts";

/** Validates each fault entry against its kind's schema and names, then plans its effects. */
export function planFaults(
  entries: readonly { kind: string }[],
  context: FaultPlanContext,
  durationS: number,
  locator: Locator,
): { faults: PlannedFault[]; problems: InputProblem[] } {
  const problems: InputProblem[] = [];
  const faults: PlannedFault[] = [];
  entries.forEach((entry, index) => {
    const at = (field: string) => {
      const path = ["faults", index, ...fieldPath(field)];
      return { file: locator.file, line: locator.lineOf(path), field: locator.fieldName(path) };
    };
    const kind = faultKind(entry.kind);
    if (!kind) {
      problems.push({
        ...at("kind"),
        reason: `unknown fault kind "${entry.kind}"; known kinds: ${faultKindNames().join(", ")}`,
      });
      return;
    }
    const parsed = kind.schema.safeParse(entry);
    if (!parsed.success) {
      problems.push(...problemsFromZod(locator, parsed.error, ["faults", index]));
      return;
    }
    const params = parsed.data as PlannedFault["params"];
    const named = kind.check(params, context);
    for (const p of named) problems.push({ ...at(p.field), reason: p.reason });
    if (named.length > 0) return;
    if (params.startS + params.durationS > durationS + 1e-9) {
      problems.push({
        ...at("durationS"),
        reason: `the fault ends at ${params.startS + params.durationS} s, after the scenario ends (durationS ${durationS})`,
      });
      return;
    }
    faults.push({
      index,
      kind: kind.kind,
      params,
      label: params.label ?? kind.describe(params),
      startMs: params.startS * 1000,
      endMs: (params.startS + params.durationS) * 1000,
      effects: kind.plan(params, context),
      warrantsFailoverFrom: kind.warrantsFailoverFrom(params, context),
      domain: kind.domain?.(params, context) ?? defaultDomain(params, context),
    });
  });
  return { faults, problems };
}

/** A fault on one service region takes only that service down, not its AWS region. */
function defaultDomain(params: Record<string, unknown>, context: FaultPlanContext): string | undefined {
  const region = context.domains.regions.find((r) => r.name === params.region);
  return region ? `${region.name} only (the service; AWS ${region.awsRegion} stays up)` : undefined;
}

/** "between[1]" -> ["between", 1] */
function fieldPath(field: string): PropertyKey[] {
  const parts: PropertyKey[] = [];
  for (const match of field.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    parts.push(match[2] !== undefined ? Number(match[2]) : match[1]!);
  }
  return parts;
}
