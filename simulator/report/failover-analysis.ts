import type { DnsEvent } from "../dns/route53-model.ts";
import type { PlannedFault, ResolvedScenario } from "../scenario/resolved-scenario.ts";
import type { Promotion } from "./promotions.ts";
import { isDetection, type ObservedDecision } from "./router-observer.ts";

export interface CellFailover {
  cell: number;
  /** The region active in this cell when the fault started. */
  activeAtStart: string;
  /** The fault hit the active region in a way the policy should fail over from. */
  failoverWarranted: boolean;
  /** The region detection is measured for: the active one if the fault hit it, else the one it hit (none if it warrants no failover). */
  watchedRegion: string | undefined;
  /** Fault start to the first router (or Route 53) marking the watched region unhealthy. */
  detectS: number | undefined;
  detectedBy: string | undefined;
  /** Fault start to the control record naming another region. */
  promoteS: number | undefined;
  promotedTo: string | undefined;
  /** Fault start to the last failed client request before restoredForS without one; 0 if none failed. */
  rtoS: number;
  /** False when failures went on until clients stopped (service not restored within the run). */
  restored: boolean;
  failedRequests: number;
  /**
   * A warranted failover that did not happen while the fault lasted: the routers' first reason
   * during the fault (a control-plane call that failed, or the policy's blocked reason), from
   * their decision logs.
   */
  notPromotedBecause?: string;
}

export interface FaultOutcome {
  fault: number;
  kind: string;
  label: string;
  startS: number;
  endS: number;
  warrantsFailoverFrom: string[];
  /** What the fault took down: "AWS us-east-1: prod-us and its store, control-us-east-1, ...". */
  domain?: string;
  cells: CellFailover[];
}

export interface FalseFailover {
  atS: number;
  cell: number;
  from: string;
  to: string;
  reason: string;
}

/** How long after a fault a promotion may still be its consequence (the policy's detection bound). */
export function detectionLookbackMs(scenario: ResolvedScenario): number {
  if (scenario.failoverBy === "dns") {
    const { requestIntervalS, failureThreshold, promoteDelayS } = scenario.dns;
    return (requestIntervalS * (failureThreshold + 1) + 6 + promoteDelayS) * 1000;
  }
  const { healthCheck, passive } = scenario.config.router;
  return (
    healthCheck.intervalMs * (healthCheck.fallCount + 1) + healthCheck.timeoutMs + passive.errorRateWindowMs
  );
}

/** Time to detect, to promote and to restore service (RTO), per fault and cell. */
export function analyseFaults(
  scenario: ResolvedScenario,
  faults: readonly PlannedFault[],
  decisions: readonly ObservedDecision[],
  dnsEvents: readonly DnsEvent[],
  promotions: readonly Promotion[],
  failuresByCell: readonly number[][],
  activeAt: (cell: number, atMs: number) => string,
): FaultOutcome[] {
  const sortedFailures = failuresByCell.map((f) => Float64Array.from(f).sort());
  const stopMs = scenario.durationS * 1000;
  const quietMs = scenario.report.restoredForS * 1000;
  return faults.map((fault) => ({
    fault: fault.index,
    kind: fault.kind,
    label: fault.label,
    startS: fault.startMs / 1000,
    endS: fault.endMs / 1000,
    warrantsFailoverFrom: fault.warrantsFailoverFrom,
    ...(fault.domain !== undefined ? { domain: fault.domain } : {}),
    cells: sortedFailures.map((failures, cell) => {
      const activeAtStart = activeAt(cell, fault.startMs);
      const warranted = fault.warrantsFailoverFrom.includes(activeAtStart);
      // A fault that warrants no failover (a small brownout, a paused replication) has nothing to detect.
      const watchedRegion = warranted ? activeAtStart : fault.warrantsFailoverFrom[0];
      const detection = watchedRegion
        ? firstDetection(fault, cell, watchedRegion, decisions, dnsEvents)
        : undefined;
      const promotion = warranted
        ? promotions.find((p) => p.cell === cell && p.atMs >= fault.startMs && p.from === activeAtStart)
        : undefined;
      const rto = rtoOf(failures, fault, quietMs, stopMs);
      return {
        cell,
        activeAtStart,
        failoverWarranted: warranted,
        watchedRegion,
        detectS: detection ? round3((detection.atMs - fault.startMs) / 1000) : undefined,
        detectedBy: detection?.by,
        promoteS: promotion ? round3((promotion.atMs - fault.startMs) / 1000) : undefined,
        promotedTo: promotion?.to,
        rtoS: round3(rto.rtoMs / 1000),
        restored: rto.restored,
        failedRequests: rto.failed,
        ...(warranted && !(promotion && promotion.atMs < fault.endMs)
          ? whyNotPromoted(fault, cell, decisions)
          : {}),
      };
    }),
  }));
}

/**
 * The first control-plane error, blocked decision or lost compare-and-set (its condition on the
 * epoch or the sync standby failed) a router of the cell logged during the fault.
 */
function whyNotPromoted(
  fault: PlannedFault,
  cell: number,
  decisions: readonly ObservedDecision[],
): { notPromotedBecause?: string } {
  const found = earliest(
    decisions.filter(
      (d) =>
        d.cell === cell &&
        d.atMs >= fault.startMs &&
        d.atMs < fault.endMs &&
        (d.kind === "control-error" || d.kind === "blocked" || d.kind === "conflict"),
    ),
  );
  return found ? { notPromotedBecause: `${found.routerId} (${found.kind}): ${found.reason}` } : {};
}

function firstDetection(
  fault: PlannedFault,
  cell: number,
  region: string,
  decisions: readonly ObservedDecision[],
  dnsEvents: readonly DnsEvent[],
): { atMs: number; by: string } | undefined {
  // Router timestamps are whole ms: a decision in the fault's first millisecond counts.
  const fromMs = Math.floor(fault.startMs);
  const decision = earliest(
    decisions.filter((d) => d.cell === cell && d.region === region && d.atMs >= fromMs && isDetection(d)),
  );
  const dns = earliest(
    dnsEvents.filter(
      (e) => e.cell === cell && e.region === region && e.kind === "unhealthy" && e.atMs >= fromMs,
    ),
  );
  if (decision && (!dns || decision.atMs <= dns.atMs)) {
    return {
      atMs: Math.max(decision.atMs, fault.startMs),
      by: `${decision.routerId} (${decision.kind}: ${decision.reason})`,
    };
  }
  if (dns) return { atMs: dns.atMs, by: "route53 health checks" };
  return undefined;
}

function earliest<T extends { atMs: number }>(items: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const item of items) if (!best || item.atMs < best.atMs) best = item;
  return best;
}

/**
 * RTO as users see it: from the fault's start to the last failed request (by send time) of the
 * run of failures it caused, a run ending at the first gap of quietMs with no failure.
 */
function rtoOf(
  failures: Float64Array,
  fault: PlannedFault,
  quietMs: number,
  stopMs: number,
): { rtoMs: number; restored: boolean; failed: number } {
  let i = lowerBound(failures, fault.startMs);
  if (i >= failures.length || failures[i]! > fault.endMs + quietMs)
    return { rtoMs: 0, restored: true, failed: 0 };
  let last = failures[i]!;
  let failed = 1;
  for (i++; i < failures.length && failures[i]! - last < quietMs; i++) {
    last = failures[i]!;
    failed++;
  }
  return { rtoMs: last - fault.startMs, restored: last + quietMs <= stopMs, failed };
}

function lowerBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Failovers no fault warranted: the policy moved traffic away from a region that was fine. */
export function falseFailovers(
  promotions: readonly Promotion[],
  faults: readonly PlannedFault[],
  lookbackMs: number,
): FalseFailover[] {
  return promotions
    .filter((p) => p.cause === "failover" || p.cause === "dns")
    .filter(
      (p) =>
        !faults.some(
          (f) =>
            f.warrantsFailoverFrom.includes(p.from) && f.startMs <= p.atMs && p.atMs <= f.endMs + lookbackMs,
        ),
    )
    .map((p) => ({ atS: round3(p.atMs / 1000), cell: p.cell, from: p.from, to: p.to, reason: p.reason }));
}

export function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
