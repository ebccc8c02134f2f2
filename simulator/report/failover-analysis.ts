import type { DnsEvent } from "../dns/route53-model.ts";
import type { PlannedFault, ResolvedScenario } from "../scenario/resolved-scenario.ts";
import { type Disruption, findOutages, type Outage } from "./outages.ts";
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
  /**
   * RTO (README glossary): fault start to the answer of the last request its outage disrupted
   * (failed, or held past outages.ts HELD_MS); 0 if none was. Only for a fault that warranted a
   * failover in this cell: one that needed none has no RTO.
   */
  rtoS: number | undefined;
  /** False when the outage went on until clients stopped (service not restored within the run). */
  restored: boolean;
  /** Requests that failed in the outages this fault caused in this cell. */
  failedRequests: number;
  /** Requests answered, but more than HELD_MS after they were sent, in those outages. */
  heldRequests: number;
  /** Acknowledged writes lost by this fault's promotion, and its RPO (README glossary). */
  lostWrites: number;
  rpoMs: number | undefined;
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

/** What a promotion lost: its acknowledged writes the new active did not hold, and the RPO. */
export interface PromotionLoss {
  cell: number;
  atMs: number;
  lost: number;
  rpoMs: number;
}

/**
 * An outage no fault caused, attributed to what did (a failback, a drain, an operator's
 * promotion), or "unattributed".
 */
export interface OtherOutage {
  cause: string;
  /** When the change of active region that caused it happened, if one did. */
  atS: number | undefined;
  cell: number;
  fromS: number;
  toS: number;
  failedRequests: number;
  heldRequests: number;
}

/** Time to detect, to promote and to restore service (RTO), per fault and cell. */
export function analyseFaults(
  scenario: ResolvedScenario,
  faults: readonly PlannedFault[],
  decisions: readonly ObservedDecision[],
  dnsEvents: readonly DnsEvent[],
  promotions: readonly Promotion[],
  disruptionsByCell: readonly (readonly Disruption[])[],
  activeAt: (cell: number, atMs: number) => string,
  losses: readonly PromotionLoss[] = [],
): { faults: FaultOutcome[]; otherOutages: OtherOutage[] } {
  const stopMs = scenario.durationS * 1000;
  const quietMs = scenario.report.restoredForS * 1000;
  const outages = findOutages(disruptionsByCell, faults, promotions, quietMs);
  const otherOutages = outages
    .filter((o) => o.cause.kind !== "fault")
    .map((o) => ({
      cause: o.cause.kind,
      atS: "atMs" in o.cause ? round3(o.cause.atMs / 1000) : undefined,
      cell: o.cell,
      fromS: round3(o.firstSendMs / 1000),
      toS: round3(o.lastAnswerMs / 1000),
      failedRequests: o.failed,
      heldRequests: o.held,
    }));
  return { faults: analyseEach(faults, disruptionsByCell.length, outages, stopMs, quietMs), otherOutages };

  function analyseEach(
    faults: readonly PlannedFault[],
    cells: number,
    outages: readonly Outage[],
    stopMs: number,
    quietMs: number,
  ): FaultOutcome[] {
    return faults.map((fault) => ({
      fault: fault.index,
      kind: fault.kind,
      label: fault.label,
      startS: fault.startMs / 1000,
      endS: fault.endMs / 1000,
      warrantsFailoverFrom: fault.warrantsFailoverFrom,
      ...(fault.domain !== undefined ? { domain: fault.domain } : {}),
      cells: Array.from({ length: cells }, (_, cell) => {
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
        const own = outages.filter(
          (o) => o.cell === cell && o.cause.kind === "fault" && o.cause.fault === fault.index,
        );
        const first = own[0];
        const loss = promotion ? losses.find((l) => l.cell === cell && l.atMs === promotion.atMs) : undefined;
        return {
          cell,
          activeAtStart,
          failoverWarranted: warranted,
          watchedRegion,
          detectS: detection ? round3((detection.atMs - fault.startMs) / 1000) : undefined,
          detectedBy: detection?.by,
          promoteS: promotion ? round3((promotion.atMs - fault.startMs) / 1000) : undefined,
          promotedTo: promotion?.to,
          rtoS: !warranted ? undefined : first ? round3((first.lastAnswerMs - fault.startMs) / 1000) : 0,
          restored: !first || first.lastSendMs + quietMs <= stopMs,
          failedRequests: own.reduce((n, o) => n + o.failed, 0),
          heldRequests: own.reduce((n, o) => n + o.held, 0),
          lostWrites: loss?.lost ?? 0,
          rpoMs: loss?.rpoMs,
          ...(warranted && !(promotion && promotion.atMs < fault.endMs)
            ? whyNotPromoted(fault, cell, decisions)
            : {}),
        };
      }),
    }));
  }
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
