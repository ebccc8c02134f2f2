import type { Decision } from "../router/decision-log.ts";

/** One router decision as `failover up` prints it. */
export interface DecisionEvent {
  time: string;
  /** detected, recovered, promoted, failback, fenced, adopted, conflict, blocked, control-error, admin */
  event: string;
  region?: string;
  epoch?: number;
  reason: string;
}

/**
 * What an operator watching `failover up` wants to read for each decision in the router's log
 * (router/decision-log.ts): the region marked down is "detected", a promotion is "promoted" (or
 * "failback" when it moves traffic home), and every new epoch fences the region that was active
 * in the last one (the write gate refuses its older epoch from then on).
 */
export function eventsOf(decision: Decision, previousActive: string | undefined): DecisionEvent[] {
  const time = new Date(decision.atMs).toISOString();
  const base = {
    time,
    ...(decision.region !== undefined ? { region: decision.region } : {}),
    ...(decision.epoch !== undefined ? { epoch: decision.epoch } : {}),
    reason: decision.reason,
  };
  switch (decision.kind) {
    case "health":
      return [{ ...base, event: decision.reason.startsWith("down") ? "detected" : "recovered" }];
    case "passive":
      return [{ ...base, event: "detected" }];
    case "promote":
    case "adopt": {
      const back = /^failback:/.test(decision.reason) || /: failback:/.test(decision.reason);
      const event = back ? "failback" : decision.kind === "promote" ? "promoted" : "adopted";
      const out: DecisionEvent[] = [{ ...base, event }];
      if (previousActive && previousActive !== decision.region && decision.epoch !== undefined) {
        out.push({
          time,
          event: "fenced",
          region: previousActive,
          epoch: decision.epoch - 1,
          reason: `epoch ${decision.epoch} began: ${previousActive}'s writes in older epochs are refused`,
        });
      }
      return out;
    }
    default:
      return [{ ...base, event: decision.kind }];
  }
}

/** `12:00:03.214Z detected  prod-us: down: 3 consecutive probes failed` */
export function formatEvent(e: DecisionEvent): string {
  const what = e.region ? `${e.region}${e.epoch !== undefined ? ` (epoch ${e.epoch})` : ""}: ` : "";
  return `${e.time.slice(11)} ${e.event.padEnd(9)} ${what}${e.reason}`;
}

/**
 * Polls the router's decision log and hands each new decision's events to `emit`, in order.
 * The router keeps its last 100 decisions; a poll every 200 ms sees each one (a router makes a
 * few a second at most, in a failover).
 */
export function watchDecisions(
  read: () => Promise<{ decisions: Decision[]; activeRegion: string | undefined }>,
  emit: (event: DecisionEvent) => void,
  intervalMs = 200,
): () => void {
  const seen = new WeakSet<Decision>();
  let active: string | undefined;
  let primed = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const poll = async () => {
    try {
      const { decisions, activeRegion } = await read();
      if (!primed) active = activeRegion;
      primed = true;
      for (const d of decisions) {
        if (seen.has(d)) continue;
        seen.add(d);
        // The log's entries from before the watch started (start-up) are printed too, once.
        for (const e of eventsOf(d, active)) emit(e);
        if ((d.kind === "promote" || d.kind === "adopt") && d.region) active = d.region;
      }
      active ??= activeRegion;
    } catch {
      // The router is being rebuilt (router-restart fault): read again on the next tick.
    }
    if (!stopped) timer = setTimeout(poll, intervalMs);
  };
  void poll();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
