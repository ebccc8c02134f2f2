import type { Context } from "hono";
import type { ReplicationConfig } from "../../config/schema.ts";
import { jsonError } from "../../core/http-errors.ts";
import type { Replicator } from "../replication/replicator.ts";
import type { LogEntry } from "../store/store.ts";
import type { ControlView } from "./control-view.ts";

/**
 * Sync mode, wait point after-sync: a write becomes visible to readers only once the standby
 * holds it, so no reader sees a value that a failover can take back (issue 19 (docs/issues.md)). This is MySQL's
 * lossless semi-sync (`rpl_semi_sync_master_wait_point = AFTER_SYNC`: the replica's
 * acknowledgement comes before the commit is visible to other sessions), done as Raft's ReadIndex
 * does it: a read notes the last seq this region committed when it arrives, waits until the
 * standby has confirmed that seq (Replicator.waitFor), then reads the store. Whatever it then
 * reads is at least that fresh, and nothing in it is held by this region alone. A read of one
 * item waits only for the last write to that item: linearizability is per object and composes
 * (Herlihy and Wing's locality), so a read of a quiet item never waits for a busy one.
 *
 * The wait ends as a sync write's does: "replicated", or "degraded" when the standby is
 * unreachable under degrade-to-async (those writes were acknowledged without it, so readers see
 * what writers were told; issue 12's (docs/issues.md) synchronous-standby record is what keeps them from being
 * taken back), or "timeout" under refuse-writes: then the read is refused with a 503.
 *
 * Async mode, and the after-commit wait point, serve reads at once as before.
 */
export class ReadVisibility {
  /** The last seq this region committed as active (its own writes, not replicated ones). */
  private committedSeq = 0;
  /** Every entry up to here has been confirmed (or acknowledged degraded): reads need not wait. */
  private visibleSeq = 0;
  /** The last seq this region committed per item; entries at or below visibleSeq are pruned. */
  private readonly itemSeq = new Map<string, number>();

  constructor(
    private readonly replicator: Replicator,
    private readonly config: ReplicationConfig,
    private readonly controlView: ControlView,
  ) {}

  private get gated(): boolean {
    return this.config.mode === "sync" && this.config.syncWaitPoint === "after-sync";
  }

  /** This region committed its own write (in the write queue, so seqs only grow). */
  committed(entry: LogEntry): void {
    if (!this.gated) return;
    this.committedSeq = entry.seq;
    this.itemSeq.set(entry.op.kind === "put" ? entry.op.item.id : entry.op.id, entry.seq);
    if (this.itemSeq.size > PRUNE_AT) {
      for (const [id, seq] of this.itemSeq) if (seq <= this.visibleSeq) this.itemSeq.delete(id);
    }
  }

  /**
   * Call before reading the store for a client: with `itemId` for one item (GET, an idempotent
   * replay), without for a list. Resolves undefined when the read may go ahead, or the 503.
   */
  beforeRead(
    c: Context,
    retryAfterS: number,
    itemId?: string,
  ): Response | undefined | Promise<Response | undefined> {
    // Ungated (async mode, after-commit): nothing to wait for, and no promise to make.
    if (!this.gated) return undefined;
    return this.gatedRead(c, retryAfterS, itemId);
  }

  private async gatedRead(c: Context, retryAfterS: number, itemId?: string): Promise<Response | undefined> {
    const leased = await this.underLease(c, retryAfterS);
    if (leased !== undefined) return leased;
    const readIndex = itemId === undefined ? this.committedSeq : (this.itemSeq.get(itemId) ?? 0);
    if (readIndex <= this.visibleSeq) return undefined;
    const record = this.controlView.snapshot().record;
    if (record && this.controlView.roleIn(record) === "standby") {
      // A standby's data came from the active region, which holds it. What this region wrote
      // while it was active is either confirmed or orphaned (resync clears it): start afresh.
      this.committedSeq = 0;
      this.visibleSeq = 0;
      this.itemSeq.clear();
      return undefined;
    }
    const outcome = await this.replicator.waitFor(readIndex, this.config.syncTimeoutMs);
    if (outcome === "timeout") {
      c.header("Retry-After", String(retryAfterS));
      return jsonError(
        c,
        503,
        "read_unconfirmed",
        `the standby has not confirmed writes up to seq ${readIndex} within ${this.config.syncTimeoutMs} ms; ` +
          "reading now could show a value a failover would take back",
        { seq: readIndex },
      );
    }
    if (readIndex > this.visibleSeq) this.visibleSeq = readIndex;
    return undefined;
  }

  /**
   * A region that believes it is active reads only under its lease (regions/service/lease.ts):
   * a promoted region waits until its predecessor's lease has run out (before then the
   * predecessor may still acknowledge a write this region would not show), and a region whose
   * lease ran out (cut off from the control plane, perhaps deposed) refuses rather than serve
   * what may be stale. A standby serves as before (reads reach it only by `standbyReads`).
   */
  private async underLease(c: Context, retryAfterS: number): Promise<Response | undefined> {
    const lease = await this.controlView.settledLease();
    if (lease.kind !== "expired") return undefined;
    c.header("Retry-After", String(retryAfterS));
    return jsonError(
      c,
      503,
      "lease_expired",
      `this region could not renew its lease on epoch ${lease.record.epoch}; a read now could miss writes acknowledged elsewhere`,
      { epoch: lease.record.epoch },
    );
  }
}

/** Items tracked before confirmed ones are pruned (a pass over the map, amortised over writes). */
const PRUNE_AT = 4096;
