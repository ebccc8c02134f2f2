import type { Logger } from "pino";
import { bootstrapSyncStandby, type EnvironmentConfig } from "../config/schema.ts";
import { type Clock, clockTimeout, type TimerHandle } from "../core/clock.ts";
import { type ControlRecord, type ControlStore, syncStandbyOf } from "../core/control.ts";
import type { Random } from "../core/random.ts";
import type { Transport, TransportErrorKind } from "../core/transport.ts";
import { Promoter } from "./control/promoter.ts";
import { raceSignal } from "./deadline.ts";
import type { Decision, DecisionLog } from "./decision-log.ts";
import { ActiveChecker, type HealthTransition, isStrongSignal } from "./health/active-checker.ts";
import { PassiveDetector } from "./health/passive-detector.ts";
import type { RequestOutcome } from "./health/request-outcome.ts";
import type { RouterMetrics } from "./metrics.ts";
import {
  decide,
  eligible,
  ineligibleBecause,
  notInSync,
  type PolicyDecision,
  type PromotionCause,
  type RegionView,
} from "./policy/failover-policy.ts";
import { regionUrl } from "./region-url.ts";

export interface CoordinatorDeps {
  config: EnvironmentConfig;
  routerId: string;
  clock: Clock;
  transport: Transport;
  control: ControlStore;
  logger: Logger;
  metrics: RouterMetrics;
  decisions: DecisionLog;
  /** Health-check phases and jitter (active-checker.ts); without it probes keep a fixed grid. */
  probeRandom?: Random;
}

export type ManualPromoteResult =
  | { kind: "promoted" | "unchanged"; record: ControlRecord }
  | { kind: "refused"; error: string; detail: string };

/**
 * The router's failover brain: it holds the control record it knows, feeds active and passive
 * health into the policy, and carries out promotions through the promoter. Everything runs on
 * the injected clock; nothing here touches a socket except through the transport.
 */
export class FailoverCoordinator {
  readonly checkers = new Map<string, ActiveChecker>();
  readonly passive = new Map<string, PassiveDetector>();
  private readonly promoter: Promoter;
  private readonly drained = new Set<string>();
  private record: ControlRecord | undefined;
  private controlError: string | undefined;
  private lastPromotionAtMs: number | undefined;
  private promotion: Promise<void> | undefined;
  private firstLoad: Promise<void> | undefined;
  private refreshTimer: TimerHandle | undefined;
  private running = false;
  private lastBlocked: string | undefined;

  constructor(private readonly deps: CoordinatorDeps) {
    const { config, clock, transport } = deps;
    this.promoter = new Promoter(deps.control, clock, deps.routerId);
    for (const region of config.regions) {
      const target = {
        region: region.name,
        url: regionUrl(region.endpoint, config.router.healthCheck.path),
        timeoutMs: config.router.healthCheck.timeoutMs,
        connectTimeoutMs: config.router.connectTimeoutMs,
      };
      const checker = new ActiveChecker({
        target,
        config: config.router.healthCheck,
        clock,
        transport,
        onTransition: (t) => this.onTransition(t),
        ...(deps.probeRandom ? { random: deps.probeRandom } : {}),
      });
      this.checkers.set(region.name, checker);
      this.passive.set(region.name, new PassiveDetector(config.router.passive));
      deps.metrics.health.labels(region.name).set(1);
    }
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.firstLoad = this.refresh().then(() => undefined);
    for (const checker of this.checkers.values()) checker.start();
    this.scheduleRefresh();
  }

  stop(): void {
    this.running = false;
    this.refreshTimer?.cancel();
    for (const checker of this.checkers.values()) checker.stop();
  }

  /** Resolves once the first read of the control record has finished (well or not). */
  ready(): Promise<void> {
    return this.firstLoad ?? Promise.resolve();
  }

  currentRecord(): ControlRecord | undefined {
    return this.record;
  }

  lastControlError(): string | undefined {
    return this.controlError;
  }

  isDrained(region: string): boolean {
    return this.drained.has(region);
  }

  lastPromotionMs(): number | undefined {
    return this.lastPromotionAtMs;
  }

  /** True while a confirmation burst is probing `region` after a refused or reset connection. */
  isConfirming(region: string): boolean {
    return this.checkers.get(region)?.pendingConfirmation() !== undefined;
  }

  /** Unhealthy by policy: down by active checks or tripped by passive signals. */
  isUnhealthy(region: string): boolean {
    const view = this.view(region);
    return view.health === "down" || view.passiveTrip !== undefined;
  }

  isEligible(region: string): boolean {
    return eligible(this.view(region));
  }

  view(region: string): RegionView {
    const nowMs = this.deps.clock.nowMs();
    const checker = this.checkers.get(region)?.snapshot();
    const passive = this.passive.get(region)?.snapshot(nowMs);
    return {
      name: region,
      health: checker?.state ?? "down",
      consecutiveProbeFailures: checker?.consecutiveFailures ?? 0,
      upSinceMs: checker?.upSinceMs,
      passiveTrip: passive?.reason,
      drained: this.drained.has(region),
      downReason:
        checker?.state === "down" ? `active checks: ${checker.lastProbe?.detail ?? "failed"}` : undefined,
      replicationLagEntries: checker?.lastProbe?.replicationLagEntries,
    };
  }

  /**
   * One request's outcome at a region (passive signal), from `client` (its peer address; see
   * health/request-outcome.ts for what counts). A strong failure (refused, reset, connect
   * timeout) starts a confirmation burst of probes at once.
   */
  reportResult(region: string, outcome: RequestOutcome, client: string, kind?: TransportErrorKind): void {
    const passive = this.passive.get(region);
    if (!passive || outcome === "ignored") return;
    const nowMs = this.deps.clock.nowMs();
    if (outcome === "ok") {
      passive.record(nowMs, outcome, client);
      return;
    }
    const wasTripped = passive.tripped(nowMs);
    passive.record(nowMs, outcome, client);
    if (isStrongSignal(kind)) void this.checkers.get(region)?.confirm(nowMs, true);
    if (!wasTripped && passive.tripped(nowMs)) {
      const reason = passive.snapshot(nowMs).reason ?? "passive signals";
      this.note({ kind: "passive", region, reason: `tripped: ${reason}` });
      this.evaluate();
    }
  }

  /**
   * Waits (at most maxWaitMs) for a running confirmation of `region` and any promotion it
   * causes, so a request that just failed there is retried where traffic is about to go.
   */
  async settle(region: string, maxWaitMs: number): Promise<void> {
    const confirming = this.checkers.get(region)?.pendingConfirmation();
    if (!confirming && !this.promotion) return;
    const deadline = clockTimeout(this.deps.clock, maxWaitMs, () => new Error("settle wait elapsed"));
    try {
      const done = (async () => {
        await confirming;
        await this.promotion;
      })();
      await raceSignal(done, deadline.signal);
    } catch {
      // Waited long enough: route by what is known now.
    } finally {
      deadline.dispose();
    }
  }

  /** Reads the control record and adopts it if it is newer (another router promoted). */
  async refresh(): Promise<ControlRecord | undefined> {
    try {
      const record = await this.promoter.load(
        this.deps.config.initialActive,
        bootstrapSyncStandby(this.deps.config),
      );
      this.controlError = undefined;
      this.adopt(record, "read");
    } catch (error) {
      this.noteControlError((error as Error).message);
    }
    return this.record;
  }

  /** Runs the policy now; starts at most one promotion at a time. */
  evaluate(): void {
    if (!this.running || !this.record || this.promotion) return;
    const decision = this.decideNow(this.record);
    if (decision.kind === "stay") {
      this.noteBlocked(decision.blocked);
      return;
    }
    this.lastBlocked = undefined;
    this.promotion = this.carryOut(this.record, decision).finally(() => {
      this.promotion = undefined;
    });
  }

  /**
   * An operator's promotion: bypasses flap damping, not the health check unless forced, and in
   * sync mode not the synchronous-standby rule unless the operator accepts losing the writes
   * the target may lack (`acceptDataLoss`; the refusal says how far behind it is known to be).
   */
  async promoteTo(
    target: string,
    reason: string,
    force: boolean,
    acceptDataLoss = false,
  ): Promise<ManualPromoteResult> {
    if (this.promotion) await this.promotion;
    const record = await this.refresh();
    if (!record)
      return { kind: "refused", error: "control_unavailable", detail: this.controlError ?? "no record" };
    if (record.activeRegion === target) return { kind: "unchanged", record };
    const why = ineligibleBecause(this.view(target));
    if (!force && why !== undefined) {
      const detail = `${target} is not fit to be active: ${why}; pass "force": true to promote anyway`;
      return { kind: "refused", error: "region_unhealthy", detail };
    }
    const unsynced = notInSync({ record, sync: this.syncInput(record) }, target);
    if (unsynced !== undefined && !acceptDataLoss) {
      const lag = this.view(record.activeRegion).replicationLagEntries;
      const known = lag === undefined ? "unknown" : `${lag} entries at ${record.activeRegion}'s last probe`;
      const detail = `${unsynced}. Known lag: ${known}; pass "acceptDataLoss": true to promote anyway`;
      return { kind: "refused", error: "not_in_sync", detail };
    }
    const decision: PolicyDecision = { kind: "promote", target, cause: "failover", reason };
    // In sync mode the promotion is conditional on the record still naming the target as the
    // synchronous standby, unless the operator accepted the loss of what it lacks.
    const requireSync = this.syncInput(record) !== undefined && unsynced === undefined;
    const run = this.carryOut(record, decision, "admin", requireSync);
    this.promotion = run.finally(() => {
      this.promotion = undefined;
    });
    await run;
    const now = this.record;
    if (now && now.activeRegion === target) return { kind: "promoted", record: now };
    return {
      kind: "refused",
      error: "promotion_failed",
      detail: this.controlError ?? "the control record changed first",
    };
  }

  setDrained(region: string, drained: boolean): void {
    if (drained) this.drained.add(region);
    else this.drained.delete(region);
    this.evaluate();
  }

  /** Waits for a promotion in flight, if any (admin actions answer with the result). */
  async idle(): Promise<void> {
    await this.promotion;
  }

  private decideNow(record: ControlRecord): PolicyDecision {
    const { config } = this.deps;
    return decide({
      nowMs: this.deps.clock.nowMs(),
      record,
      regions: config.regions.map((r) => this.view(r.name)),
      preferred: config.initialActive,
      failback: config.router.failback,
      minPromotionIntervalMs: config.router.minPromotionIntervalMs,
      lastPromotionAtMs: this.lastPromotionAtMs,
      ...(this.syncInput(record) ? { sync: this.syncInput(record) } : {}),
    });
  }

  /** Sync mode: the record's synchronous standby, for the policy; undefined in async mode. */
  private syncInput(record: ControlRecord): { standby: string | null } | undefined {
    return this.deps.config.replication.mode === "sync" ? { standby: syncStandbyOf(record) } : undefined;
  }

  private async carryOut(
    from: ControlRecord,
    decision: Extract<PolicyDecision, { kind: "promote" }>,
    cause: PromotionCause | "admin" = decision.cause,
    requireSync = this.syncInput(from) !== undefined,
  ): Promise<void> {
    const decidedAtMs = this.deps.clock.nowMs();
    const reason = `${cause}: ${decision.reason}`;
    const outcome = await this.promoter.promote(from, decision.target, reason, requireSync);
    if (outcome.kind === "error") {
      this.noteControlError(`cannot promote ${decision.target}: ${outcome.message}`);
      return;
    }
    if (outcome.kind === "conflict") {
      const current = outcome.record;
      this.note({
        kind: "conflict",
        region: current?.activeRegion,
        epoch: current?.epoch,
        reason: "record changed first",
      });
      if (current) this.adopt(current, "conflict");
      return;
    }
    const elapsedS = (this.deps.clock.nowMs() - decidedAtMs) / 1000;
    this.deps.metrics.timeToPromote.labels(cause).observe(elapsedS);
    this.deps.metrics.failovers.labels(from.activeRegion, decision.target, cause).inc();
    this.note({ kind: "promote", region: decision.target, epoch: outcome.record.epoch, reason });
    this.adopt(outcome.record, "promoted");
  }

  private adopt(record: ControlRecord, how: "read" | "conflict" | "promoted"): void {
    const known = this.record;
    if (known && record.epoch < known.epoch) return;
    if (known && record.epoch === known.epoch) {
      // Within an epoch only the active region changes the record: its synchronous standby.
      if (syncStandbyOf(record) !== syncStandbyOf(known)) this.record = record;
      return;
    }
    this.record = record;
    for (const region of this.deps.config.regions) {
      this.deps.metrics.active.labels(region.name).set(region.name === record.activeRegion ? 1 : 0);
    }
    if (!known) return;
    if (known.activeRegion !== record.activeRegion) {
      this.lastPromotionAtMs = this.deps.clock.nowMs();
      // Old passive numbers describe the previous roles; a fresh start avoids an instant flip back.
      for (const passive of this.passive.values()) passive.reset();
    }
    if (how !== "promoted") {
      this.note({ kind: "adopt", region: record.activeRegion, epoch: record.epoch, reason: record.reason });
    }
  }

  private onTransition(t: HealthTransition): void {
    this.deps.metrics.health.labels(t.region).set(t.state === "up" ? 1 : 0);
    if (t.detectMs !== undefined) this.deps.metrics.timeToDetect.labels(t.region).observe(t.detectMs / 1000);
    this.note({ kind: "health", region: t.region, reason: `${t.state}: ${t.reason}` });
    this.evaluate();
  }

  private scheduleRefresh(): void {
    if (!this.running) return;
    this.refreshTimer = this.deps.clock.setTimer(this.deps.config.router.healthCheck.intervalMs, () => {
      this.scheduleRefresh();
      void this.refresh().then(() => this.evaluate());
    });
  }

  private noteBlocked(blocked: string | undefined): void {
    if (blocked === this.lastBlocked) return;
    this.lastBlocked = blocked;
    if (blocked !== undefined) this.note({ kind: "blocked", reason: blocked });
  }

  private noteControlError(message: string): void {
    if (message === this.controlError) return;
    this.controlError = message;
    this.note({ kind: "control-error", reason: message });
  }

  note(decision: Omit<Decision, "atMs">): void {
    const entry = { atMs: this.deps.clock.nowMs(), ...decision };
    this.deps.decisions.add(entry);
    const level = entry.kind === "blocked" || entry.kind === "control-error" ? "warn" : "info";
    this.deps.logger[level]({ decision: entry }, `router decision: ${entry.kind}`);
  }
}
