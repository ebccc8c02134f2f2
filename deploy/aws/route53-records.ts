import {
  type Change,
  ChangeResourceRecordSetsCommand,
  ListResourceRecordSetsCommand,
  type ListResourceRecordSetsCommandOutput,
  type ResourceRecordSet,
  type Route53Client,
  TestDNSAnswerCommand,
  waitUntilResourceRecordSetsChanged,
} from "@aws-sdk/client-route-53";
import { fqdn } from "../plan/dns-name.ts";
import type { RecordActual, RecordSpec } from "../plan/plan-types.ts";
import { shortId } from "./route53-zone.ts";

/** Every record set at `name` in the zone, whatever its type or routing policy. */
export async function readRecordsAt(
  route53: Route53Client,
  zoneId: string,
  name: string,
): Promise<RecordActual[]> {
  const wanted = fqdn(name);
  const records: RecordActual[] = [];
  let start: { name: string; type?: string; id?: string } | undefined = { name: wanted };
  // Record sets come back sorted by name starting at StartRecordName; stop once past it.
  for (let page = 0; page < 100 && start !== undefined; page++) {
    const out: ListResourceRecordSetsCommandOutput = await route53.send(
      new ListResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        StartRecordName: start.name,
        ...(start.type ? { StartRecordType: start.type as "CNAME" } : {}),
        ...(start.id ? { StartRecordIdentifier: start.id } : {}),
        MaxItems: 100,
      }),
    );
    const sets = out.ResourceRecordSets ?? [];
    for (const set of sets) if (fqdn(unescapeOctal(set.Name ?? "")) === wanted) records.push(toActual(set));
    if (!out.IsTruncated || sets.some((s) => fqdn(unescapeOctal(s.Name ?? "")) !== wanted)) break;
    start = { name: out.NextRecordName!, type: out.NextRecordType, id: out.NextRecordIdentifier };
  }
  return records;
}

/** Route 53 returns some characters octal-escaped (e.g. "*" as \052). */
function unescapeOctal(name: string): string {
  return name.replace(/\\(\d{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}

function toActual(set: ResourceRecordSet): RecordActual {
  return {
    name: fqdn(unescapeOctal(set.Name ?? "")),
    type: set.Type ?? "",
    setIdentifier: set.SetIdentifier,
    failover: set.Failover,
    ...(set.Region === undefined ? {} : { latencyRegion: set.Region }),
    ttlS: set.TTL,
    values: (set.ResourceRecords ?? []).map((r) => r.Value ?? ""),
    healthCheckId: set.HealthCheckId,
    aliasTarget: set.AliasTarget?.DNSName,
    stored: set,
  };
}

/** The record set Route 53 stores for `spec`: one CNAME of a failover pair. */
export function recordSet(spec: RecordSpec, healthCheckId: string): ResourceRecordSet {
  return {
    Name: spec.name,
    Type: spec.type,
    SetIdentifier: spec.setIdentifier,
    Failover: spec.failover,
    TTL: spec.ttlS,
    ResourceRecords: [{ Value: spec.value }],
    HealthCheckId: healthCheckId,
  };
}

/** A DELETE must repeat the record exactly as stored (ChangeResourceRecordSets API reference). */
export function storedRecordSet(record: RecordActual): ResourceRecordSet {
  if (record.stored !== undefined) return record.stored;
  return {
    Name: record.name,
    Type: record.type as "CNAME",
    SetIdentifier: record.setIdentifier,
    Failover: record.failover as "PRIMARY",
    TTL: record.ttlS,
    ResourceRecords: record.values.map((Value) => ({ Value })),
    HealthCheckId: record.healthCheckId,
  };
}

/**
 * Applies all record changes in one batch, which Route 53 applies atomically: the pair is never
 * seen half-updated. Waits until the change is INSYNC on Route 53's name servers.
 */
export async function changeRecords(
  route53: Route53Client,
  zoneId: string,
  changes: Change[],
  comment: string,
): Promise<string> {
  const out = await route53.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: zoneId,
      ChangeBatch: { Comment: comment, Changes: changes },
    }),
  );
  const changeId = shortId(out.ChangeInfo?.Id ?? "");
  if (out.ChangeInfo?.Status !== "INSYNC" && changeId !== "") {
    // Route 53 documents propagation "within 60 seconds" in normal conditions; allow five minutes.
    await waitUntilResourceRecordSetsChanged(
      { client: route53, maxWaitTime: 300, minDelay: 5 },
      { Id: changeId },
    );
  }
  return changeId;
}

/**
 * What Route 53 would answer now for the name, where the API supports it (TestDNSAnswer);
 * undefined where it does not (moto's server has no TestDNSAnswer), so callers fall back to
 * deriving the answer from health-check status.
 */
export async function testDnsAnswer(
  route53: Route53Client,
  zoneId: string,
  name: string,
  type: "CNAME",
): Promise<string[] | undefined> {
  try {
    const out = await route53.send(
      new TestDNSAnswerCommand({ HostedZoneId: zoneId, RecordName: fqdn(name), RecordType: type }),
    );
    return out.RecordData ?? [];
  } catch {
    return undefined;
  }
}
