import type { ControlChange } from "../system/observed-control.ts";
import type { EpochRun } from "../system/observed-store.ts";

export type PromotionCause = "failover" | "failback" | "drain" | "admin" | "dns" | "other";

/** One change of the active region, with both regions' log heads at that instant (for RPO). */
export interface Promotion {
  atMs: number;
  cell: number;
  from: string;
  to: string;
  fromEpoch: number;
  toEpoch: number;
  cause: PromotionCause;
  reason: string;
  /** The new active region's log head when it was promoted. */
  newActiveHeadSeq: number;
  /** Its log's epochs then: a write it did not hold (seq, epoch) never reached it. */
  newActiveEpochRuns: EpochRun[];
  /** The old active region's log head then; the difference is the replication lag in entries. */
  oldActiveHeadSeq: number;
  /** When the old active region last accepted a client write (about when it was lost). */
  oldActiveLastAcceptMs: number | undefined;
}

/** The cause from the record's reason: routers write "router <id>: <cause>: <why>", DNS automation "dns automation: <cause>: ...". */
export function causeOf(reason: string): PromotionCause {
  const match = /: (failover|failback|drain|admin):/.exec(`${reason}:`);
  if (match) return match[1] as PromotionCause;
  return reason.startsWith("dns automation") ? "dns" : "other";
}

export function promotionFrom(
  change: ControlChange,
  cell: number,
  heads: { newHead: number; newRuns: EpochRun[]; oldHead: number; oldLastAcceptMs: number | undefined },
): Promotion | undefined {
  if (!change.from || change.from.activeRegion === change.to.activeRegion) return undefined;
  return {
    atMs: change.atMs,
    cell,
    from: change.from.activeRegion,
    to: change.to.activeRegion,
    fromEpoch: change.from.epoch,
    toEpoch: change.to.epoch,
    cause: causeOf(change.to.reason),
    reason: change.to.reason,
    newActiveHeadSeq: heads.newHead,
    newActiveEpochRuns: heads.newRuns,
    oldActiveHeadSeq: heads.oldHead,
    oldActiveLastAcceptMs: heads.oldLastAcceptMs,
  };
}
