import { fqdn } from "./dns-name.ts";
import {
  type FieldChange,
  type FieldValue,
  type HealthCheckItem,
  KNOWN_AFTER_APPLY,
  type RecordActual,
  type RecordItem,
  type RecordSpec,
} from "./plan-types.ts";
import { recordFields } from "./record-fields.ts";

/**
 * The failover pair at the service's name: one CNAME per region, told apart by SetIdentifier.
 * Applied with UPSERT, so an existing record is changed in place, never duplicated. Anything
 * else at that name either goes (a failover CNAME of a region no longer in config) or blocks
 * the plan (a record Route 53 will not let a CNAME sit beside).
 */
export function planRecords(
  specs: RecordSpec[],
  actual: RecordActual[],
  checks: HealthCheckItem[],
): RecordItem[] {
  const items: RecordItem[] = specs.map((spec) => planOne(spec, findRecord(spec, actual), checks));
  const wanted = new Set(specs.map((s) => s.setIdentifier));
  const name = specs[0]?.name;
  for (const record of actual) {
    if (name === undefined || fqdn(record.name) !== name) continue;
    if (record.type === "CNAME" && record.setIdentifier !== undefined && wanted.has(record.setIdentifier))
      continue;
    items.push(otherRecordItem(record));
  }
  return items;
}

function findRecord(spec: RecordSpec, actual: RecordActual[]): RecordActual | undefined {
  return actual.find(
    (r) => fqdn(r.name) === spec.name && r.type === spec.type && r.setIdentifier === spec.setIdentifier,
  );
}

/** The health check id the record should carry: unknown until a new check exists. */
function healthCheckIdFor(spec: RecordSpec, checks: HealthCheckItem[]): string {
  const item = checks.find((c) => c.desired?.region === spec.healthCheckRegion && c.action !== "delete");
  if (
    item === undefined ||
    item.actual === undefined ||
    item.action === "create" ||
    item.action === "replace"
  ) {
    return KNOWN_AFTER_APPLY;
  }
  return item.actual.id;
}

function desiredFields(spec: RecordSpec, healthCheckId: string): Record<string, FieldValue> {
  return recordFields(spec, { set_identifier: spec.setIdentifier, failover: spec.failover }, healthCheckId);
}

function planOne(spec: RecordSpec, actual: RecordActual | undefined, checks: HealthCheckItem[]): RecordItem {
  const item = {
    kind: "route53_record" as const,
    address: `route53_record.${spec.name}[${spec.setIdentifier}]`,
  };
  const desired = desiredFields(spec, healthCheckIdFor(spec, checks));
  if (actual === undefined) {
    const changes = Object.entries(desired).map(([field, to]) => ({ field, from: undefined, to }));
    return { ...item, action: "create", changes, notes: [], desired: spec };
  }
  const current = recordFields(
    {
      type: actual.type,
      ttlS: actual.ttlS,
      value: actual.values.map((v) => v.toLowerCase().replace(/\.$/, "")).join(", ") || undefined,
    },
    { set_identifier: actual.setIdentifier, failover: actual.failover },
    actual.healthCheckId,
  );
  const changes: FieldChange[] = [];
  for (const [field, to] of Object.entries(desired)) {
    if (current[field] !== to) changes.push({ field, from: current[field], to });
  }
  if (actual.aliasTarget !== undefined)
    changes.push({ field: "alias_target", from: actual.aliasTarget, to: undefined });
  return {
    ...item,
    action: changes.length > 0 ? "update" : "no-op",
    changes,
    notes: [],
    desired: spec,
    actual,
  };
}

function otherRecordItem(record: RecordActual): RecordItem {
  const label = record.setIdentifier ?? record.type;
  const address = `route53_record.${fqdn(record.name)}[${label}]`;
  if (record.type === "CNAME" && record.setIdentifier !== undefined && record.failover !== undefined) {
    return {
      kind: "route53_record",
      address,
      action: "delete",
      changes: [],
      notes: [
        `a ${record.failover} failover record for "${record.setIdentifier}", which is not a region in the config`,
      ],
      actual: record,
    };
  }
  const what =
    record.setIdentifier === undefined
      ? `a simple ${record.type} record`
      : `a ${record.type} record with another routing policy`;
  return {
    kind: "route53_record",
    address,
    action: "no-op",
    changes: [],
    notes: [],
    actual: record,
    blocker:
      `${fqdn(record.name)} already has ${what}; Route 53 cannot put a CNAME failover pair beside it ` +
      "(RFC 1034 section 3.6.2: a CNAME is the only record at its name). Remove it, or choose another dns.recordName",
  };
}
