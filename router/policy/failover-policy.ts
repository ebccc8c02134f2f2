import type { RouterPolicy } from "../../config/router-policy-schema.ts";
import type { ControlRecord } from "../../core/control.ts";

/** What the policy knows about one region at the moment of a decision. */
export interface RegionView {
  name: string;
  /** Active health checks (rise/fall). */
  health: "up" | "down";
  /** Failed probes since the last pass: a standby whose last probe failed is not promoted into. */
  consecutiveProbeFailures: number;
  /** When active checks last saw it become healthy; undefined while only presumed healthy. */
  upSinceMs: number | undefined;
  /** Set when passive signals from real traffic tripped, with the reason. */
  passiveTrip: string | undefined;
  /** An operator drained it: it gets no traffic and is never promoted automatically. */
  drained: boolean;
  /** Why active checks marked it down, if they did. */
  downReason: string | undefined;
  /** From its last probe: log entries its standby has not confirmed (undefined: not reported). */
  replicationLagEntries?: number | undefined;
}

export interface PolicyInput {
  nowMs: number;
  record: ControlRecord;
  regions: readonly RegionView[];
  /** The region failback returns to: the environment's initialActive. */
  preferred: string;
  failback: RouterPolicy["failback"];
  minPromotionIntervalMs: number;
  /** When this router last saw the active region change (its promotion or another router's). */
  lastPromotionAtMs: number | undefined;
  /**
   * Synchronous replication only: the standby the control record names as holding every
   * acknowledged write (null: none). Only that region may be promoted automatically (Patroni's
   * synchronous mode; docs/patroni-sync-mode.md); absent in async mode.
   */
  sync?: { standby: string | null };
}

export type PromotionCause = "failover" | "failback" | "drain";

export type PolicyDecision =
  | { kind: "stay"; blocked?: string }
  | { kind: "promote"; target: string; cause: PromotionCause; reason: string };

/**
 * Decides whether to move the active role, and where. Pure: the same input gives the same
 * decision, so the simulator and unit tests can check it at exact virtual times.
 *
 * - Failover: the active region is down by active checks or tripped by passive signals, and the
 *   other region is up, not tripped, not drained and passed its last probe.
 * - Flap damping: no automatic promotion within minPromotionIntervalMs of the previous one.
 * - Failback: manual by default (an operator calls /_router/failback); in automatic mode the
 *   preferred region returns once it has been up for failback.holdDownMs.
 * - Drain: a drained active region hands over to a healthy peer, without damping (an operator asked).
 */
export function decide(input: PolicyInput): PolicyDecision {
  const active = input.regions.find((r) => r.name === input.record.activeRegion);
  const other = input.regions.find((r) => r.name !== input.record.activeRegion);
  if (!active || !other)
    return { kind: "stay", blocked: `unknown active region "${input.record.activeRegion}"` };

  if (active.drained) {
    if (!eligible(other))
      return { kind: "stay", blocked: `${active.name} is drained but ${other.name} is not healthy` };
    const unsynced = notInSync(input, other.name);
    if (unsynced !== undefined) return { kind: "stay", blocked: `${active.name} is drained but ${unsynced}` };
    return {
      kind: "promote",
      target: other.name,
      cause: "drain",
      reason: `${active.name} drained by an operator`,
    };
  }

  const trouble = unhealthyReason(active);
  if (trouble !== undefined) {
    if (!eligible(other)) {
      return {
        kind: "stay",
        blocked: `${active.name} unhealthy (${trouble}) but ${other.name} is not healthy`,
      };
    }
    const unsynced = notInSync(input, other.name);
    if (unsynced !== undefined)
      return { kind: "stay", blocked: `${active.name} unhealthy (${trouble}) but ${unsynced}` };
    const damped = dampedFor(input);
    if (damped !== undefined)
      return { kind: "stay", blocked: `${active.name} unhealthy (${trouble}); ${damped}` };
    return {
      kind: "promote",
      target: other.name,
      cause: "failover",
      reason: `${active.name} unhealthy: ${trouble}`,
    };
  }

  return decideFailback(input, active, other);
}

function decideFailback(input: PolicyInput, active: RegionView, other: RegionView): PolicyDecision {
  if (
    input.failback.mode !== "automatic" ||
    active.name === input.preferred ||
    other.name !== input.preferred
  ) {
    return { kind: "stay" };
  }
  if (!eligible(other) || other.upSinceMs === undefined) return { kind: "stay" };
  const healthyForMs = input.nowMs - other.upSinceMs;
  if (healthyForMs < input.failback.holdDownMs) return { kind: "stay" };
  // Failing back before the old primary has every write of this epoch would discard them.
  if (active.replicationLagEntries !== 0) {
    const lag =
      active.replicationLagEntries === undefined ? "unknown" : `${active.replicationLagEntries} entries`;
    return {
      kind: "stay",
      blocked: `failback to ${other.name} waits: ${other.name} has not caught up (lag ${lag})`,
    };
  }
  const unsynced = notInSync(input, other.name);
  if (unsynced !== undefined)
    return { kind: "stay", blocked: `failback to ${other.name} waits: ${unsynced}` };
  const damped = dampedFor(input);
  if (damped !== undefined) return { kind: "stay", blocked: `failback to ${other.name} waits: ${damped}` };
  return {
    kind: "promote",
    target: other.name,
    cause: "failback",
    reason: `${other.name} healthy for ${healthyForMs} ms (hold-down ${input.failback.holdDownMs} ms)`,
  };
}

function unhealthyReason(region: RegionView): string | undefined {
  if (region.health === "down") return region.downReason ?? "active checks failed";
  return region.passiveTrip;
}

/** A region the active role may move to. */
export function eligible(region: RegionView): boolean {
  return ineligibleBecause(region) === undefined;
}

/** Why the active role may not move to `region`, in words; undefined if it may. */
export function ineligibleBecause(region: RegionView): string | undefined {
  if (region.drained) return "it is drained";
  if (region.health === "down") return `it is down (${region.downReason ?? "active checks failed"})`;
  if (region.consecutiveProbeFailures > 0)
    return `its last ${region.consecutiveProbeFailures} probe(s) failed`;
  if (region.passiveTrip !== undefined) return `traffic to it is failing (${region.passiveTrip})`;
  return undefined;
}

function dampedFor(input: PolicyInput): string | undefined {
  if (input.lastPromotionAtMs === undefined) return undefined;
  const sinceMs = input.nowMs - input.lastPromotionAtMs;
  if (sinceMs >= input.minPromotionIntervalMs) return undefined;
  return `flap damping: last promotion ${sinceMs} ms ago (minimum ${input.minPromotionIntervalMs} ms)`;
}

/**
 * Sync mode: why `target` may not be promoted automatically (it is not the recorded synchronous
 * standby, so it may lack acknowledged writes); undefined if it may, or in async mode.
 */
export function notInSync(input: Pick<PolicyInput, "sync" | "record">, target: string): string | undefined {
  if (input.sync === undefined || input.sync.standby === target) return undefined;
  return (
    `${target} is not recorded as the synchronous standby (${input.record.activeRegion} has acknowledged writes without it), ` +
    `so promoting it could lose them; sync mode waits for ${input.record.activeRegion} instead ` +
    `(an operator can accept the loss: failover promote ${target} --accept-data-loss)`
  );
}
