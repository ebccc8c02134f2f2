import type { ReplicationConfig } from "../../config/schema.ts";
import type { Clock, TimerHandle } from "../../core/clock.ts";
import { isRawCapable, rawOnlyRequest } from "../../core/raw-exchange.ts";
import type { Transport } from "../../core/transport.ts";
import type { ControlView } from "../service/control-view.ts";
import type { LogEntry, LogPosition, Store } from "../store/store.ts";
import type { RequestSigner } from "./auth/request-signer.ts";
import { findBranchSeq } from "./find-branch.ts";
import { REPLICATION_PATH, type ReplicationBatch } from "./protocol.ts";
import { ReplicationRefused, ReplicationStall, replyOf } from "./replication-stall.ts";
import type { SyncStandbyRecord } from "./sync-standby.ts";

export interface ReplicatorDeps {
  regionName: string;
  peerName: string;
  store: Store;
  controlView: ControlView;
  clock: Clock;
  transport: Transport;
  config: ReplicationConfig;
  connectTimeoutMs: number;
  /** The control record's synchronous standby, which sync mode must change before degrading. */
  syncStandby: SyncStandbyRecord;
  /** Signs each batch for the peer's replication listener (auth/request-signer.ts). */
  signer: RequestSigner;
  /** Reports a standby that is reachable but does not apply batches (replication-stall.ts). */
  stall?: ReplicationStall;
}

export interface OutboundStatus {
  peer: string;
  peerHead: LogPosition | undefined;
  lagEntries: number;
  lagMs: number;
  lastContactMs: number | undefined;
  lastError: string | undefined;
}

/** How a sync-mode write ended: the standby has it, or it was not confirmed in time. */
export type SyncOutcome = "replicated" | "degraded" | "timeout";

interface Waiter {
  seq: number;
  resolve(outcome: SyncOutcome): void;
  timer: TimerHandle;
}

/**
 * The active region's side of replication: ships its log to the standby in order, in batches,
 * on an interval and as soon as a write commits. Runs in every region but only ships while the
 * control record names this region active. In sync mode a write waits on `waitFor(seq)`.
 */
export class Replicator {
  /** The standby's head as last reported; cleared to force a handshake after a failure. */
  private peerHead: LogPosition | undefined;
  /**
   * The standby's head as last confirmed, kept across failures so lag stays the entries it
   * really lacks (not the whole log) while it is unreachable; reset only by a new report.
   */
  private confirmedHead: LogPosition | undefined;
  private oldestUnackedAtMs: number | undefined;
  private lastContactMs: number | undefined;
  private lastError: string | undefined;
  private timer: TimerHandle | undefined;
  private running = false;
  private again = false;
  private stopped = true;
  private waiters: Waiter[] = [];
  /** A release of the sync standby in flight (one at a time; waiters share its outcome). */
  private releasing: Promise<boolean> | undefined;
  /**
   * Set while this region records its standby as synchronous again: writes then wait for the
   * standby instead of being acknowledged without it, so none slips in unconfirmed between the
   * caught-up check and the record naming the standby.
   */
  private rejoining = false;

  private readonly rawTransport: boolean;
  readonly stall: ReplicationStall;

  constructor(private readonly deps: ReplicatorDeps) {
    this.rawTransport = isRawCapable(deps.transport);
    this.stall = deps.stall ?? new ReplicationStall(deps.clock);
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    for (const waiter of this.waiters.splice(0)) {
      waiter.timer.cancel();
      waiter.resolve("timeout");
    }
  }

  /** A write committed at `entry`: ship it now rather than at the next interval. */
  notify(entry: LogEntry): void {
    this.oldestUnackedAtMs ??= entry.atMs;
    if (this.running) this.again = true;
    else if (!this.stopped) void this.tick();
  }

  /**
   * Resolves "replicated" once the standby holds `seq`. Otherwise, with degrade-to-async,
   * "degraded" only once the control record says there is no synchronous standby (this region
   * recorded it by compare-and-set, sync-standby.ts), and "timeout" if it could not record that
   * (it has been fenced) or with refuse-writes: such a write is not acknowledged.
   */
  waitFor(seq: number, timeoutMs: number): Promise<SyncOutcome> {
    if (this.confirmedHead && this.confirmedHead.seq >= seq) return Promise.resolve("replicated");
    if (this.canDegrade() && !this.rejoining && this.deps.syncStandby.released()) {
      return Promise.resolve("degraded");
    }
    return new Promise((resolve) => {
      const waiter: Waiter = {
        seq,
        resolve,
        timer: this.deps.clock.setTimer(timeoutMs, () => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          // A standby that cannot confirm, unreachable or stalled (reachable but not applying, which
          // is reported loudly: replication-stall.ts), is removed from the record first; only then
          // is the write acknowledged, marked degraded. No router then promotes that standby.
          if (!this.canDegrade()) {
            resolve("timeout");
            return;
          }
          void this.release().then((released) => resolve(released ? "degraded" : "timeout"));
        }),
      };
      this.waiters.push(waiter);
    });
  }

  /** True while sync-mode writes are acknowledged without the standby (metric and /region). */
  isDegraded(): boolean {
    return this.deps.config.mode === "sync" && this.canDegrade() && this.deps.syncStandby.released();
  }

  private canDegrade(): boolean {
    return this.deps.config.onStandbyUnreachable === "degrade-to-async";
  }

  /** Records "no synchronous standby" (once for all who ask at the same time). */
  private release(): Promise<boolean> {
    if (this.deps.syncStandby.released()) return Promise.resolve(true);
    const epoch = this.deps.controlView.current()?.epoch;
    if (epoch === undefined) return Promise.resolve(false);
    this.releasing ??= this.deps.syncStandby.release(epoch).finally(() => {
      this.releasing = undefined;
    });
    return this.releasing;
  }

  /**
   * The standby is unreachable: record that there is no synchronous standby now, so waiting
   * writes are acknowledged (degrade-to-async) rather than time out one by one. If the record
   * cannot be changed, they keep waiting and time out unacknowledged.
   */
  private enterDegraded(): void {
    // A stopped replicator (its service shutting down) changes nothing in the control record.
    if (this.stopped || this.deps.config.mode !== "sync" || !this.canDegrade()) return;
    void this.release().then((released) => {
      if (!released) return;
      for (const waiter of this.waiters.splice(0)) {
        waiter.timer.cancel();
        waiter.resolve("degraded");
      }
    });
  }

  /**
   * The standby has confirmed every entry: name it the synchronous standby again. `rejoining` is
   * set before the head is read, so any write acknowledged without the standby has a seq at or
   * below that head, and the standby holds it when the record names it.
   */
  private async rejoin(): Promise<void> {
    if (this.deps.config.mode !== "sync" || this.rejoining || !this.deps.syncStandby.released()) return;
    const epoch = this.deps.controlView.current()?.epoch;
    if (epoch === undefined) return;
    this.rejoining = true;
    try {
      const head = await this.deps.store.head();
      if ((this.confirmedHead?.seq ?? 0) < head.seq) return;
      await this.deps.syncStandby.rejoin(epoch);
    } finally {
      this.rejoining = false;
    }
  }

  status(headSeq: number): OutboundStatus {
    const acked = this.confirmedHead?.seq ?? 0;
    const lagEntries = Math.max(0, headSeq - acked);
    const lagMs =
      lagEntries > 0 && this.oldestUnackedAtMs !== undefined
        ? this.deps.clock.nowMs() - this.oldestUnackedAtMs
        : 0;
    return {
      peer: this.deps.peerName,
      peerHead: this.confirmedHead,
      lagEntries,
      lagMs,
      lastContactMs: this.lastContactMs,
      lastError: this.lastError,
    };
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer?.cancel();
    this.timer = this.deps.clock.setTimer(delayMs, () => void this.tick());
  }

  private async tick(): Promise<void> {
    if (this.stopped || this.running) return;
    this.running = true;
    let backlog = false;
    try {
      backlog = await this.shipOnce();
      this.lastError = undefined;
      this.stall.recovered(this.deps.peerName);
    } catch (error) {
      this.lastError = (error as Error).message;
      // The standby may have restarted or diverged: ask for its head again next time.
      this.peerHead = undefined;
      const failure = this.stall.failed(error, this.deps.peerName);
      // Only the standby's failure to confirm releases it from the record: unreachable, or
      // reachable and refusing batches. Not a failure of this region's own store, and not a
      // refusal that says this region has been fenced.
      if (failure === "unreachable" || (failure === "stalled" && error instanceof ReplicationRefused)) {
        this.enterDegraded();
      }
    } finally {
      this.running = false;
    }
    const soon = backlog || this.again;
    this.again = false;
    this.schedule(soon && !this.lastError ? 0 : this.deps.config.intervalMs);
  }

  /** Ships one batch; returns true if more entries are waiting. */
  private async shipOnce(): Promise<boolean> {
    const { store, controlView, config } = this.deps;
    // The lease's record, renewed on its own timer: shipping costs no control-plane round trip.
    const record = controlView.current() ?? (await controlView.read());
    if (controlView.roleIn(record) !== "active") {
      this.peerHead = undefined;
      this.confirmedHead = undefined;
      this.oldestUnackedAtMs = undefined;
      return false;
    }
    const head = await store.head();
    const base = { from: this.deps.regionName, epoch: record.epoch, senderHead: head };
    if (!this.peerHead) this.peerHead = await this.send({ ...base, prev: null, entries: [] });
    if (await this.hasDiverged(this.peerHead, head)) {
      const branchSeq = await findBranchSeq(store, this.peerHead);
      this.peerHead = await this.send({ ...base, prev: null, entries: [], resyncAfterSeq: branchSeq });
    }
    const entries = await store.readLog(this.peerHead.seq, config.batchMax);
    if (entries.length > 0) this.peerHead = await this.send({ ...base, prev: this.peerHead, entries });
    await this.afterAck(head);
    return this.peerHead.seq < (await store.head()).seq;
  }

  /** The standby's head must be an entry of our own log, or its tail diverged from ours. */
  private async hasDiverged(peerHead: LogPosition, head: LogPosition): Promise<boolean> {
    if (peerHead.seq === 0) return false;
    if (peerHead.seq > head.seq) return true;
    const [ours] = await this.deps.store.readLog(peerHead.seq - 1, 1);
    return ours?.epoch !== peerHead.epoch;
  }

  private async afterAck(head: LogPosition): Promise<void> {
    this.confirmedHead = this.peerHead;
    const acked = this.peerHead?.seq ?? 0;
    const caughtUp = acked >= head.seq;
    if (caughtUp) {
      this.oldestUnackedAtMs = undefined;
    } else {
      const [next] = await this.deps.store.readLog(acked, 1);
      this.oldestUnackedAtMs = next?.atMs;
    }
    const ready = this.waiters.filter((w) => w.seq <= acked);
    this.waiters = this.waiters.filter((w) => w.seq > acked);
    for (const waiter of ready) {
      waiter.timer.cancel();
      waiter.resolve("replicated");
    }
    // Caught up: synchronous again, once the record names the standby.
    if (caughtUp) void this.rejoin();
  }

  private async send(batch: ReplicationBatch): Promise<LogPosition> {
    const request = this.batchRequest(JSON.stringify(batch), batch.epoch);
    const response = await this.deps.transport(this.deps.peerName, request, {
      connectTimeoutMs: this.deps.connectTimeoutMs,
      responseTimeoutMs: this.deps.config.syncTimeoutMs,
    });
    const reply = await replyOf(response);
    this.lastContactMs = this.deps.clock.nowMs();
    if (reply.ok) return reply.head;
    if (reply.error === "gap" && reply.head) return reply.head;
    throw new ReplicationRefused(
      response.status,
      reply.error,
      `${this.deps.peerName} refused replication (${response.status}): ${reply.error}: ${reply.detail}`,
    );
  }

  /**
   * A raw-capable transport (the router's HTTP transport, the simulator's network) takes the
   * plain parts, as the router's forwarding does: an undici Request and its body stream are
   * costly to build and to read, per batch (see core/raw-exchange.ts).
   */
  private batchRequest(json: string, epoch: number): Request {
    const url = `http://${this.deps.peerName}${REPLICATION_PATH}`;
    const body = utf8.encode(json);
    const headers = { "content-type": "application/json", ...this.deps.signer.headers(body, epoch) };
    if (this.rawTransport) return rawOnlyRequest(url, "POST", { headers, body });
    return new Request(url, { method: "POST", headers, body });
  }
}

const utf8 = new TextEncoder();
