import { belongsTo, TAG_ENVIRONMENT, TAG_REGION, TAG_SERVICE } from "./health-check-identity.ts";
import type {
  FieldChange,
  HealthCheckActual,
  HealthCheckItem,
  HealthCheckSpec,
  RecordActual,
} from "./plan-types.ts";

/**
 * One item per desired health check (create, update in place, replace, or no-op), plus a
 * delete for each extra check that carries the same identity but no record uses (left over
 * from a replace that stopped half-way).
 */
export function planHealthChecks(
  specs: HealthCheckSpec[],
  actual: HealthCheckActual[],
  records: RecordActual[],
): HealthCheckItem[] {
  const items: HealthCheckItem[] = [];
  const claimed = new Set<string>();
  for (const spec of specs) {
    const candidates = actual.filter((check) => belongsTo(check, identityOf(spec)));
    const chosen = chooseCandidate(spec, candidates, records);
    if (chosen !== undefined) claimed.add(chosen.id);
    items.push(planOne(spec, chosen));
    for (const extra of candidates) {
      if (extra === chosen || claimed.has(extra.id)) continue;
      claimed.add(extra.id);
      items.push(strayItem(spec.region, extra, records));
    }
  }
  return items;
}

function identityOf(spec: HealthCheckSpec) {
  return {
    environment: spec.tags[TAG_ENVIRONMENT]!,
    service: spec.tags[TAG_SERVICE]!,
    region: spec.tags[TAG_REGION]!,
  };
}

/** Prefer a check that needs no replacement, then one a record already uses. */
function chooseCandidate(
  spec: HealthCheckSpec,
  candidates: HealthCheckActual[],
  records: RecordActual[],
): HealthCheckActual | undefined {
  const score = (check: HealthCheckActual) =>
    (diffHealthCheck(spec, check).some((c) => c.forcesReplacement) ? 0 : 2) +
    (records.some((r) => r.healthCheckId === check.id) ? 1 : 0);
  return [...candidates].sort((a, b) => score(b) - score(a))[0];
}

function planOne(spec: HealthCheckSpec, actual: HealthCheckActual | undefined): HealthCheckItem {
  const address = `route53_health_check.${spec.region}`;
  if (actual === undefined) {
    return {
      kind: "route53_health_check",
      address,
      action: "create",
      changes: creationFields(spec),
      notes: [],
      desired: spec,
    };
  }
  const changes = diffHealthCheck(spec, actual);
  const action = changes.some((c) => c.forcesReplacement)
    ? "replace"
    : changes.length > 0
      ? "update"
      : "no-op";
  return {
    kind: "route53_health_check",
    address,
    action,
    changes: action === "replace" ? withReplacementFields(spec, changes) : changes,
    notes: notesFor(spec, actual, action),
    desired: spec,
    actual,
  };
}

function creationFields(spec: HealthCheckSpec): FieldChange[] {
  const fields = desiredFields(spec);
  return Object.entries(fields).map(([field, to]) => ({ field, from: undefined, to }));
}

function desiredFields(spec: HealthCheckSpec): Record<string, string | number | boolean> {
  const fields: Record<string, string | number | boolean> = {
    type: spec.type,
    fqdn: spec.fqdn,
    port: spec.port,
    resource_path: spec.resourcePath,
    request_interval_s: spec.requestIntervalS,
    failure_threshold: spec.failureThreshold,
    enable_sni: spec.enableSni,
    disabled: false,
  };
  for (const [key, value] of Object.entries(spec.tags)) fields[`tags.${key}`] = value;
  return fields;
}

/**
 * Route 53's UpdateHealthCheck cannot change Type or RequestInterval (UpdateHealthCheck API
 * reference: neither is a request field), so a change to either replaces the check.
 */
export function diffHealthCheck(spec: HealthCheckSpec, actual: HealthCheckActual): FieldChange[] {
  const current: Record<string, string | number | boolean | undefined> = {
    type: actual.type,
    fqdn: actual.fqdn?.toLowerCase(),
    port: actual.port,
    resource_path: actual.resourcePath,
    request_interval_s: actual.requestIntervalS,
    failure_threshold: actual.failureThreshold,
    enable_sni: actual.enableSni,
    disabled: actual.disabled,
  };
  for (const key of Object.keys(spec.tags)) current[`tags.${key}`] = actual.tags[key];
  const changes: FieldChange[] = [];
  for (const [field, to] of Object.entries(desiredFields(spec))) {
    const from = current[field];
    if (from === to) continue;
    const change: FieldChange = { field, from, to };
    if (field === "type" || field === "request_interval_s") change.forcesReplacement = true;
    changes.push(change);
  }
  return changes;
}

/** A replacement creates a whole new check: show every field, marking those that force it. */
function withReplacementFields(spec: HealthCheckSpec, changes: FieldChange[]): FieldChange[] {
  const changed = new Map(changes.map((c) => [c.field, c]));
  return Object.entries(desiredFields(spec))
    .filter(([field]) => !field.startsWith("tags.") || changed.has(field))
    .map(([field, to]) => changed.get(field) ?? { field, from: to, to });
}

function notesFor(spec: HealthCheckSpec, actual: HealthCheckActual, action: string): string[] {
  const notes: string[] = [];
  if (actual.disabled) {
    notes.push(
      "this check is DISABLED: Route 53 counts a disabled check as healthy, so it would never fail over; deploy re-enables it",
    );
  }
  if (actual.inverted) {
    notes.push(
      `this check is inverted (traffic moved off ${spec.region} by \`failover dns failover\`); ` +
        "deploy leaves that alone: run `failover dns failback` to undo it",
    );
  }
  if (action === "replace") {
    notes.push(
      "Route 53 cannot change a check's type or request interval in place: a new check is created, " +
        `the record is pointed at it, then ${actual.id} is deleted`,
    );
    if (actual.inverted) notes.push("the new check is created inverted too, so traffic stays where it is");
  }
  return notes;
}

function strayItem(region: string, check: HealthCheckActual, records: RecordActual[]): HealthCheckItem {
  const usedBy = records.find((r) => r.healthCheckId === check.id);
  const item: HealthCheckItem = {
    kind: "route53_health_check",
    address: `route53_health_check.${region}#${check.id}`,
    action: "delete",
    changes: [],
    notes: [`an extra health check for ${region} (left by an earlier run); no longer needed`],
    actual: check,
  };
  if (usedBy !== undefined) {
    // Never delete a check a record still points at: the record item is re-pointed first.
    item.notes.push(`record ${usedBy.setIdentifier ?? usedBy.name} uses it until this run re-points it`);
  }
  return item;
}
