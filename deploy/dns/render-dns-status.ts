import { bareName } from "../plan/dns-name.ts";
import type { DnsState, RegionDns } from "./read-dns-state.ts";

/** `failover dns status` as text: one block per region, then who answers and how we know. */
export function renderDnsStatus(state: DnsState): string {
  const lines = [
    `DNS failover for ${state.recordName} in hosted zone ${state.zone.name} (${state.zone.id})`,
    "  plane: these are reads from the Route 53 control plane (ListResourceRecordSets, GetHealthCheck,",
    "         GetHealthCheckStatus, TestDNSAnswer); DNS answers themselves come from the data plane.",
    "",
  ];
  for (const region of state.regions) lines.push(...renderRegion(region), "");
  const answer = state.answer;
  if (answer === undefined) {
    lines.push("Answering: nothing (no failover records; run `failover deploy`)");
  } else {
    lines.push(`Answering: ${answer.region} (${answer.role}): ${answer.reason}`);
    lines.push(
      answer.source === "TestDNSAnswer"
        ? "  source: Route 53 TestDNSAnswer"
        : "  source: derived from the health checks above (TestDNSAnswer is not available on this endpoint)",
    );
  }
  const traps = state.regions.filter((r) => r.verdict?.disabledTrap);
  for (const trap of traps) {
    lines.push(
      `WARNING: ${trap.region}'s health check is DISABLED, so Route 53 counts it as healthy even when the region is down. ` +
        "Run `failover deploy` (or `failover dns failover/failback`) to re-enable it.",
    );
  }
  return `${lines.join("\n")}\n`;
}

function renderRegion(region: RegionDns): string[] {
  if (region.record === undefined) return [`  ${region.region}: no record (not deployed)`];
  const value = region.record.values.map(bareName).join(", ") || region.record.aliasTarget || "?";
  const head = `  ${region.region.padEnd(10)} ${(region.role ?? "no failover role").padEnd(10)} -> ${value}  TTL ${region.record.ttlS ?? "-"} s`;
  const check = region.check;
  if (check === undefined)
    return [head, "    health check: none (Route 53 counts the record as always healthy)"];
  const target = `${check.type} ${check.fqdn ?? ""}:${check.port ?? ""}${check.resourcePath ?? ""}`;
  return [
    head,
    `    health check ${check.id}: ${target}, every ${check.requestIntervalS} s, failure threshold ${check.failureThreshold}`,
    `    status: ${region.verdict?.healthy ? "HEALTHY" : "UNHEALTHY"}: ${region.verdict?.reason ?? "unknown"}`,
  ];
}
