import type { EnvironmentConfig } from "../../config/schema.ts";
import type { AwsClients } from "../aws/clients.ts";
import { checkCredentials } from "../aws/credentials.ts";
import { updateHealthCheck } from "../aws/route53-health-checks.ts";
import { type MoveRequest, planTrafficMove, type TrafficMove } from "./plan-traffic-move.ts";
import { type DnsState, readDnsState, requireRegion } from "./read-dns-state.ts";
import { renderDnsStatus } from "./render-dns-status.ts";

export async function dnsStatus(
  config: EnvironmentConfig,
  clients: AwsClients,
  out: (text: string) => void,
): Promise<DnsState> {
  await checkCredentials(clients.credentials, clients.source);
  const state = await readDnsState(config, clients);
  out(renderDnsStatus(state));
  return state;
}

export interface MoveOptions {
  out: (text: string) => void;
  confirm: (move: TrafficMove) => Promise<boolean>;
}

/**
 * `failover dns failover --to R` and `failback`. Every refusal (unknown region, nothing
 * deployed, unhealthy target) happens before the one write. Says which plane each step uses.
 */
export async function moveTraffic(
  config: EnvironmentConfig,
  clients: AwsClients,
  request: MoveRequest,
  options: MoveOptions,
): Promise<{ move: TrafficMove; applied: boolean }> {
  const { out } = options;
  if (request.kind === "failover") requireRegion(config, request.to);
  await checkCredentials(clients.credentials, clients.source);
  const state = await readDnsState(config, clients);
  const move = planTrafficMove(state, request);
  for (const message of move.messages) out(`${message}\n`);
  if (move.changes.length === 0) return { move, applied: false };
  for (const change of move.changes) {
    out(`UpdateHealthCheck ${change.checkId} (${change.region}): ${change.describe.join(", ")}\n`);
  }
  out(planeExplanation(config, state, move));
  if (!(await options.confirm(move))) {
    out("Not applied: nothing was changed.\n");
    return { move, applied: false };
  }
  for (const change of move.changes) {
    await updateHealthCheck(clients.route53, change.checkId, change.version, change.update);
    out(`  done: ${change.region}'s health check ${change.checkId} updated (control plane)\n`);
  }
  out(
    `Route 53 will answer ${move.expectedRegion} once it has re-evaluated; check with \`failover dns status\`.\n`,
  );
  return { move, applied: true };
}

function planeExplanation(config: EnvironmentConfig, state: DnsState, move: TrafficMove): string {
  const primary = state.regions.find((r) => r.role === "PRIMARY");
  const intervalS = primary?.check?.requestIntervalS ?? config.dns?.healthCheck.requestIntervalS ?? 30;
  const ttlS = primary?.record?.ttlS ?? config.dns?.ttlS ?? 60;
  const url = `${primary?.check?.type === "HTTP" ? "http" : "https"}://${primary?.check?.fqdn ?? "?"}${primary?.check?.resourcePath ?? ""}`;
  const failingOver = move.expectedRegion !== primary?.region;
  const lines = [
    "  plane: CONTROL. UpdateHealthCheck is a Route 53 control-plane call (its API runs in us-east-1 only).",
    "         It changes a health check created in advance by `failover deploy`; no DNS record is edited.",
    `  then:  DATA plane. Route 53's checkers and name servers re-evaluate the check and answer ${move.expectedRegion};`,
    `         allow about one request interval (${intervalS} s) plus the record TTL (${ttlS} s) for resolvers' caches.`,
  ];
  if (failingOver) {
    lines.push(
      "  REL11-BP04 (AWS Well-Architected): recovery should not need the control plane at all. The data-plane ways",
      `         are to make ${url} fail from inside the region (Route 53's checkers then fail over on their own)`,
      "         or Route 53 ARC routing controls. Use this command when the control plane is up.",
    );
  }
  return `${lines.join("\n")}\n`;
}
