import type { SafeHealthCheckUpdate } from "../aws/health-check-update.ts";
import { DeployError } from "../deploy-error.ts";
import type { DnsState, RegionDns } from "./read-dns-state.ts";

/**
 * What `failover dns failover` and `failback` change, decided from the state alone (pure):
 * - failover to the SECONDARY: invert the PRIMARY's health check, so Route 53 counts it as
 *   unhealthy and answers the SECONDARY. AWS documents Inverted as the way to stop routing to a
 *   resource (UpdateHealthCheck API reference, Disabled);
 * - failback: turn the inversion off again.
 * Never Disabled = true: a disabled check counts as healthy, so it would pin traffic to the
 * PRIMARY. Any disabled check of the pair is re-enabled in the same call, with a warning.
 */
export interface HealthCheckChange {
  region: string;
  checkId: string;
  version: number | undefined;
  update: SafeHealthCheckUpdate;
  /** e.g. ["Inverted false -> true", "Disabled true -> false"]. */
  describe: string[];
}

export interface TrafficMove {
  changes: HealthCheckChange[];
  /** Said before anything is changed (warnings, "already done"). */
  messages: string[];
  /** The region that should answer once Route 53 has re-evaluated. */
  expectedRegion: string;
}

export type MoveRequest =
  | { kind: "failover"; to: string; force: boolean }
  | { kind: "failback"; force: boolean };

export function planTrafficMove(state: DnsState, request: MoveRequest): TrafficMove {
  const primary = state.regions.find((r) => r.role === "PRIMARY");
  const secondary = state.regions.find((r) => r.role === "SECONDARY");
  if (primary?.check === undefined || secondary === undefined) {
    throw new DeployError(
      `${state.recordName} has no deployed failover pair with a health check on the PRIMARY; run \`failover deploy\` first. Nothing was changed.`,
    );
  }
  const wantInverted = request.kind === "failover" && request.to !== primary.region;
  const messages: string[] = [];
  if (request.kind === "failover" && request.to === primary.region) {
    messages.push(`${primary.region} is the PRIMARY: sending traffic to it is a failback.`);
  }
  if (wantInverted) refuseIfTargetUnhealthy(secondary, primary, request.force);
  if (!wantInverted && primary.verdict !== undefined && primary.checkers?.observedHealthy === false) {
    messages.push(
      `warning: ${primary.region}'s checkers report it unhealthy, so Route 53 keeps answering ${secondary.region} until it recovers.`,
    );
  }
  const changes: HealthCheckChange[] = [];
  const primaryChange = changeFor(primary, { inverted: wantInverted }, messages);
  if (primaryChange !== undefined) changes.push(primaryChange);
  const secondaryChange = changeFor(secondary, {}, messages);
  if (secondaryChange !== undefined) changes.push(secondaryChange);
  if (changes.length === 0) {
    messages.push(
      wantInverted
        ? `already failed over: ${primary.region}'s check is inverted. Nothing to change.`
        : `already failed back: ${primary.region}'s check is not inverted. Nothing to change.`,
    );
  }
  return { changes, messages, expectedRegion: wantInverted ? secondary.region : primary.region };
}

function refuseIfTargetUnhealthy(secondary: RegionDns, primary: RegionDns, force: boolean): void {
  if (force || secondary.checkers?.observedHealthy !== false) return;
  throw new DeployError(
    `${secondary.region}'s health check reports it unhealthy (${secondary.checkers.healthy}/${secondary.checkers.reporting} checkers). ` +
      `With the SECONDARY unhealthy Route 53 answers the PRIMARY anyway, so traffic would stay on ${primary.region}. ` +
      "Fix the standby first, or pass --force. Nothing was changed.",
  );
}

function changeFor(
  entry: RegionDns,
  wanted: { inverted?: boolean },
  messages: string[],
): HealthCheckChange | undefined {
  const check = entry.check;
  if (check === undefined) return undefined;
  const update: SafeHealthCheckUpdate = {};
  const describe: string[] = [];
  if (wanted.inverted !== undefined && check.inverted !== wanted.inverted) {
    update.inverted = wanted.inverted;
    describe.push(`Inverted ${check.inverted} -> ${wanted.inverted}`);
  }
  if (check.disabled) {
    update.disabled = false;
    describe.push("Disabled true -> false");
    messages.push(
      `warning: ${entry.region}'s health check ${check.id} was DISABLED. Route 53 counts a disabled check as healthy, ` +
        "so it could never fail over (and inverting it would do nothing); re-enabling it in the same call.",
    );
  }
  if (describe.length === 0) return undefined;
  return { region: entry.region, checkId: check.id, version: check.version, update, describe };
}
