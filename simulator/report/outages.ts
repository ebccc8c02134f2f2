import type { PlannedFault } from "../scenario/resolved-scenario.ts";
import type { Promotion, PromotionCause } from "./promotions.ts";

/**
 * A successful request answered this long after it was sent was held by the outage (the router
 * waiting to detect, to promote, for the new active's lease), not served: it counts in the RTO
 * like a failed one. Ten times the slowest normal round trip in the latency tables (~130 ms,
 * California to Ireland is not a client path; see simulator/latency/) and half the lease.
 */
export const HELD_MS = 1000;

/** One request users saw disrupted: it failed, or it was held past HELD_MS. */
export interface Disruption {
  sendMs: number;
  answerMs: number;
  failed: boolean;
}

/** A run of disruptions in one cell with no gap of `quietMs` between sends. */
export interface Outage {
  cell: number;
  firstSendMs: number;
  /** The earliest answer in it: a request sent just before a fault and failed by it is the fault's. */
  firstAnswerMs: number;
  lastSendMs: number;
  /** The last disrupted request's answer: service restored after it. */
  lastAnswerMs: number;
  failed: number;
  held: number;
  cause: OutageCause;
}

export type OutageCause =
  | { kind: "fault"; fault: number }
  | { kind: PromotionCause; atMs: number }
  | { kind: "unattributed" };

/**
 * Groups each cell's disruptions into outages and names what caused each one: the fault whose
 * window (start to end + quietMs) holds its first request, else the change of active region
 * (a failback, a drain, an operator's promotion) that happened during it. A run of disruptions is
 * cut at every such change and at every fault's start, so a failback's outage is its own even
 * when it follows the fault's, and a fault that starts during another's outage gets its own RTO.
 */
export function findOutages(
  disruptionsByCell: readonly (readonly Disruption[])[],
  faults: readonly PlannedFault[],
  promotions: readonly Promotion[],
  quietMs: number,
): Outage[] {
  const outages: Outage[] = [];
  disruptionsByCell.forEach((disruptions, cell) => {
    const sorted = [...disruptions].sort((a, b) => a.sendMs - b.sendMs);
    const changes = [
      ...promotions
        .filter((p) => p.cell === cell && p.cause !== "failover" && p.cause !== "dns")
        .map((p) => p.atMs),
      ...faults.map((f) => f.startMs),
    ];
    let current: Outage | undefined;
    for (const d of sorted) {
      // Cut where the answers cross a change: a request in flight when a fault began is the fault's.
      const cutByChange =
        current !== undefined && changes.some((at) => current!.lastAnswerMs < at && at <= d.answerMs);
      if (!current || d.sendMs - current.lastSendMs >= quietMs || cutByChange) {
        current = {
          cell,
          firstSendMs: d.sendMs,
          firstAnswerMs: d.answerMs,
          lastSendMs: d.sendMs,
          lastAnswerMs: d.answerMs,
          failed: 0,
          held: 0,
          cause: { kind: "unattributed" },
        };
        outages.push(current);
      }
      current.lastSendMs = d.sendMs;
      current.lastAnswerMs = Math.max(current.lastAnswerMs, d.answerMs);
      current.firstAnswerMs = Math.min(current.firstAnswerMs, d.answerMs);
      if (d.failed) current.failed++;
      else current.held++;
    }
  });
  for (const o of outages) o.cause = causeOf(o, faults, promotions, quietMs);
  return outages;
}

function causeOf(
  outage: Outage,
  faults: readonly PlannedFault[],
  promotions: readonly Promotion[],
  quietMs: number,
): OutageCause {
  const change = promotions.find(
    (p) =>
      p.cell === outage.cell &&
      p.cause !== "failover" &&
      p.cause !== "dns" &&
      p.atMs <= outage.firstAnswerMs &&
      outage.firstSendMs < p.atMs + quietMs,
  );
  if (change) return { kind: change.cause, atMs: change.atMs };
  // The latest fault that had started: overlapping faults blame the newer one.
  let fault: PlannedFault | undefined;
  for (const f of faults) {
    if (f.startMs <= outage.firstAnswerMs && outage.firstSendMs <= f.endMs + quietMs) {
      if (!fault || f.startMs >= fault.startMs) fault = f;
    }
  }
  if (fault) return { kind: "fault", fault: fault.index };
  const during = promotions.find(
    (p) =>
      p.cell === outage.cell &&
      p.cause !== "failover" &&
      p.cause !== "dns" &&
      outage.firstSendMs - quietMs <= p.atMs &&
      p.atMs <= outage.lastAnswerMs,
  );
  return during ? { kind: during.cause, atMs: during.atMs } : { kind: "unattributed" };
}
