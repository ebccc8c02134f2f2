import type { History, HistoryOp } from "./history.ts";

export interface MonotonicViolation {
  client: number;
  key: string;
  /** The value the client had read... */
  saw: number;
  /** ...and the value it read later: one whose put was acknowledged before `saw`'s put began. */
  later: number;
}

/**
 * Monotonic reads, per client and item (Jepsen's session model): once a client has read a value,
 * it never later reads one that real time orders before it. "Before" is certain only when the
 * later-read value's put was acknowledged before the earlier-read value's put was even sent, so
 * only such pairs are reported. Linearizability implies this; this says which weaker promise a
 * non-linearizable history (async mode across a failover) still keeps or not.
 */
export function monotonicReadViolations(history: History): MonotonicViolation[] {
  const puts = new Map<string, HistoryOp>();
  for (const op of history.ops) if (op.op === "put") puts.set(`${op.key}|${op.value}`, op);
  const last = new Map<string, HistoryOp>();
  const found: MonotonicViolation[] = [];
  const gets = history.ops.filter((o) => o.op === "get").sort((a, b) => a.callUs - b.callUs);
  for (const get of gets) {
    const session = `${get.client}|${get.key}`;
    const before = last.get(session);
    last.set(session, get);
    if (before?.value == null || get.value === null) continue;
    const earlier = puts.get(`${get.key}|${get.value}`);
    const seen = puts.get(`${get.key}|${before.value}`);
    if (earlier?.returnUs != null && seen && earlier.returnUs < seen.callUs) {
      found.push({ client: get.client, key: get.key, saw: before.value, later: get.value });
    }
  }
  return found;
}
