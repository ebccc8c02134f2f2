import type { ReplicationConfig } from "../../config/schema.ts";
import type { Clock } from "../../core/clock.ts";
import type { InboundState } from "../replication/apply-batch.ts";
import type { OrphanedWrites } from "../replication/orphaned-writes.ts";
import type { StallState } from "../replication/replication-stall.ts";
import type { OutboundStatus, Replicator } from "../replication/replicator.ts";
import type { LogPosition, Store } from "../store/store.ts";
import type { ControlView, Role } from "./control-view.ts";
import type { LeaseState } from "./lease.ts";
import type { RegionMetrics } from "./region-metrics.ts";

export interface RegionStatus {
  name: string;
  role: Role | "unknown";
  epoch: number | null;
  activeRegion: string | null;
  storeReachable: boolean;
  /** The region's lease on the active role (lease.ts): held, waiting, expired, or none (standby). */
  lease: { state: LeaseState["kind"]; heldUntilMs?: number; servesFromMs?: number; expiredAtMs?: number };
  controlError?: string;
  head: LogPosition | null;
  replication: {
    mode: ReplicationConfig["mode"];
    /** Entries behind: unconfirmed by the standby (active) or not yet received (standby). */
    lagEntries: number;
    /** Active: age of the oldest unconfirmed write. Standby: time since the active region last sent. */
    lagMs: number;
    outbound?: OutboundStatus;
    orphanedWrites: number;
    /** Sync mode only: writes are being acknowledged without the standby (it is unreachable). */
    degraded: boolean;
    /**
     * Active only: the standby is reachable but does not apply batches (replication-stall.ts):
     * since when, how many failures, the last error. Sync mode acknowledges no write meanwhile.
     */
    stalled?: StallState;
  };
}

export interface StatusDeps {
  regionName: string;
  store: Store;
  controlView: ControlView;
  replicator: Replicator;
  inbound: InboundState;
  orphans: OrphanedWrites;
  replication: ReplicationConfig;
  metrics: RegionMetrics;
  clock: Clock;
}

/** What /region and /readyz report; also updates the lag gauges. */
export async function readRegionStatus(deps: StatusDeps): Promise<RegionStatus> {
  let head: LogPosition | null = null;
  try {
    head = await deps.store.head();
  } catch {
    head = null;
  }
  // The lease's last read, renewed on a timer: status costs no round trip to the control plane
  // unless what the region knows is older than one lease (or it has not started renewing).
  // A failed renewal is reported, but what the region knows counts until it is one lease old.
  let stale = false;
  const renewedAtMs = deps.controlView.lastRenewedMs();
  if (renewedAtMs === undefined || deps.clock.nowMs() - renewedAtMs >= deps.controlView.leaseMs) {
    try {
      await deps.controlView.read();
    } catch {
      stale = true;
    }
  }
  const { record, error: controlError } = deps.controlView.snapshot();
  const role = stale || !record ? "unknown" : deps.controlView.roleIn(record);
  const lease = deps.controlView.leaseState();
  let lagEntries = 0;
  let lagMs = 0;
  let outbound: OutboundStatus | undefined;
  if (role === "active" && head) {
    outbound = deps.replicator.status(head.seq);
    lagEntries = outbound.lagEntries;
    lagMs = outbound.lagMs;
  } else if (role === "standby" && head && deps.inbound.senderHead) {
    lagEntries = Math.max(0, deps.inbound.senderHead.seq - head.seq);
    lagMs = deps.clock.nowMs() - (deps.inbound.lastReceivedAtMs ?? deps.clock.nowMs());
  }
  deps.metrics.lagEntries.set(lagEntries);
  deps.metrics.lagMs.set(lagMs);
  deps.metrics.orphanedWrites.set(deps.orphans.count);
  const status: RegionStatus = {
    name: deps.regionName,
    role,
    epoch: record?.epoch ?? null,
    activeRegion: record?.activeRegion ?? null,
    storeReachable: head !== null,
    lease: leaseSummary(lease),
    head,
    replication: {
      mode: deps.replication.mode,
      lagEntries,
      lagMs,
      orphanedWrites: deps.orphans.count,
      degraded: role === "active" && deps.replicator.isDegraded(),
    },
  };
  if (outbound) status.replication.outbound = outbound;
  const stalled = role === "active" ? deps.replicator.stall.state : undefined;
  if (stalled) status.replication.stalled = { ...stalled };
  if (controlError) status.controlError = controlError;
  return status;
}

function leaseSummary(lease: LeaseState): RegionStatus["lease"] {
  switch (lease.kind) {
    case "held":
      return { state: "held", heldUntilMs: lease.heldUntilMs };
    case "waiting":
      return { state: "waiting", servesFromMs: lease.servesFromMs };
    case "expired":
      return { state: "expired", expiredAtMs: lease.expiredAtMs };
    default:
      return { state: lease.kind };
  }
}
