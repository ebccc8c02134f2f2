import type { Clock } from "../../core/clock.ts";
import type { ControlView } from "../service/control-view.ts";
import type { LogPosition, Store } from "../store/store.ts";
import type { OrphanedWrites } from "./orphaned-writes.ts";
import type { ReplicationBatch, ReplicationReply } from "./protocol.ts";

/** What the standby knows about the active region's progress, for its lag on /region. */
export interface InboundState {
  senderHead: LogPosition | undefined;
  lastReceivedAtMs: number | undefined;
}

export interface ApplyDeps {
  regionName: string;
  store: Store;
  controlView: ControlView;
  orphans: OrphanedWrites;
  inbound: InboundState;
  clock: Clock;
}

/**
 * The standby's side of replication. Fencing first: only the region the control record names
 * as active, in the current epoch, may replicate here, and an active region refuses to be
 * replicated to. Then entries are committed in seq order; an entry already held is skipped, so
 * a batch delivered twice changes nothing.
 */
export async function applyBatch(deps: ApplyDeps, batch: ReplicationBatch): Promise<ReplicationReply> {
  // The lease's record; a batch from a newer epoch than it knows means a promotion it has not
  // read yet, so it reads the record before deciding.
  const known = deps.controlView.current();
  const record = known === undefined || batch.epoch > known.epoch ? await deps.controlView.read() : known;
  if (record.activeRegion === deps.regionName) {
    return {
      ok: false,
      error: "not_standby",
      detail: `${deps.regionName} is active in epoch ${record.epoch}`,
      epoch: record.epoch,
    };
  }
  if (batch.from !== record.activeRegion || batch.epoch !== record.epoch) {
    return {
      ok: false,
      error: "stale_epoch",
      detail: `${batch.from} in epoch ${batch.epoch} is not active; ${record.activeRegion} is, in epoch ${record.epoch}`,
      epoch: record.epoch,
    };
  }
  deps.inbound.senderHead = batch.senderHead;
  deps.inbound.lastReceivedAtMs = deps.clock.nowMs();

  if (batch.resyncAfterSeq !== undefined) {
    const diverged = await deps.store.readLog(batch.resyncAfterSeq, Number.MAX_SAFE_INTEGER);
    // Durable first: once clear() has run, the orphans' data exists nowhere else.
    await deps.orphans.record(diverged);
    await deps.store.clear();
    return { ok: true, head: { seq: 0, epoch: 0 } };
  }

  let head = await deps.store.head();
  for (const entry of batch.entries) {
    if (entry.seq <= head.seq) continue;
    if (entry.seq !== head.seq + 1) {
      return { ok: false, error: "gap", detail: `expected seq ${head.seq + 1}, got ${entry.seq}`, head };
    }
    const result = await deps.store.commit(entry);
    if (!result.ok) {
      const detail =
        result.reason === "seq_conflict" ? `store head moved to ${result.headSeq}` : "idempotency key held";
      return {
        ok: false,
        error: "gap",
        detail: `entry ${entry.seq} not applied: ${detail}`,
        head: await deps.store.head(),
      };
    }
    head = { seq: entry.seq, epoch: entry.epoch };
  }
  return { ok: true, head };
}
