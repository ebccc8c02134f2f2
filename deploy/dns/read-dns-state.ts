import type { EnvironmentConfig } from "../../config/schema.ts";
import type { AwsClients } from "../aws/clients.ts";
import { readHealthCheck, readHealthCheckObservations } from "../aws/route53-health-checks.ts";
import { readRecordsAt, testDnsAnswer } from "../aws/route53-records.ts";
import { findHostedZone } from "../aws/route53-zone.ts";
import { DeployError } from "../deploy-error.ts";
import { bareName, fqdn } from "../plan/dns-name.ts";
import type { FailoverRole, HealthCheckActual, HostedZone, RecordActual } from "../plan/plan-types.ts";
import { type CheckerSummary, type HealthVerdict, summarizeCheckers, verdict } from "./health-verdict.ts";
import { type Answer, whoAnswers } from "./who-answers.ts";

export interface RegionDns {
  region: string;
  record?: RecordActual;
  role?: FailoverRole;
  /** The check the record carries: the one Route 53 actually consults. */
  check?: HealthCheckActual;
  checkers?: CheckerSummary;
  verdict?: HealthVerdict;
}

export interface DnsState {
  zone: HostedZone;
  recordName: string;
  regions: RegionDns[];
  answer?: Answer & { source: "TestDNSAnswer" | "health-check status" };
}

/** Reads the failover pair, its health checks and their checker reports (all control-plane reads). */
export async function readDnsState(config: EnvironmentConfig, clients: AwsClients): Promise<DnsState> {
  const dns = config.dns;
  if (dns === undefined) {
    throw new DeployError(
      `environment ${config.name} has no dns section: there is no DNS failover to operate`,
    );
  }
  const zone = await findHostedZone(clients.route53, dns.hostedZoneName);
  const records = await readRecordsAt(clients.route53, zone.id, dns.recordName);
  const regions: RegionDns[] = [];
  for (const region of config.regions) {
    const record = records.find((r) => r.type === "CNAME" && r.setIdentifier === region.name);
    const entry: RegionDns = { region: region.name };
    if (record !== undefined) {
      entry.record = record;
      if (record.failover === "PRIMARY" || record.failover === "SECONDARY") entry.role = record.failover;
      if (record.healthCheckId !== undefined) await addHealth(entry, record.healthCheckId, clients);
    }
    regions.push(entry);
  }
  const state: DnsState = { zone, recordName: fqdn(dns.recordName), regions };
  const answer = await answerOf(state, clients);
  if (answer !== undefined) state.answer = answer;
  return state;
}

async function addHealth(entry: RegionDns, healthCheckId: string, clients: AwsClients): Promise<void> {
  const check = await readHealthCheck(clients.route53, healthCheckId);
  const observations = await readHealthCheckObservations(clients.route53, healthCheckId);
  entry.check = check;
  entry.checkers = summarizeCheckers(
    observations.map((o) => ({
      status: o.StatusReport?.Status ?? "",
      ...(o.Region ? { checkerRegion: o.Region } : {}),
    })),
  );
  entry.verdict = verdict(entry.checkers, check);
}

/** TestDNSAnswer where the endpoint supports it; otherwise derived from the checks' status. */
async function answerOf(state: DnsState, clients: AwsClients): Promise<DnsState["answer"]> {
  const members = state.regions.flatMap((r) =>
    r.role === undefined ? [] : [{ region: r.region, role: r.role, healthy: r.verdict?.healthy }],
  );
  const derived = whoAnswers(members);
  const data = await testDnsAnswer(clients.route53, state.zone.id, state.recordName, "CNAME");
  const value = data?.[0];
  if (value !== undefined) {
    const hit = state.regions.find((r) => r.record?.values.some((v) => bareName(v) === bareName(value)));
    if (hit?.role !== undefined) {
      return {
        region: hit.region,
        role: hit.role,
        reason: `Route 53 answers ${bareName(value)}`,
        source: "TestDNSAnswer",
      };
    }
  }
  return derived && { ...derived, source: "health-check status" };
}

/** The region named `name`, or a DeployError listing the regions the config has. */
export function requireRegion(config: EnvironmentConfig, name: string): void {
  if (config.regions.some((r) => r.name === name)) return;
  throw new DeployError(
    `"${name}" is not a region of environment ${config.name} (its regions are ${config.regions.map((r) => r.name).join(", ")}). Nothing was changed.`,
    "usage",
  );
}
