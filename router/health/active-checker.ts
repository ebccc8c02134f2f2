import type { Clock, TimerHandle } from "../../core/clock.ts";
import type { Transport, TransportErrorKind } from "../../core/transport.ts";
import type { RouterPolicy } from "../../regions/config/router-policy-schema.ts";
import { type ProbeResult, type ProbeTarget, probeRegion } from "./probe.ts";

export type HealthCheckConfig = RouterPolicy["healthCheck"];
export type HealthState = "up" | "down";

export interface HealthTransition {
  region: string;
  state: HealthState;
  atMs: number;
  reason: string;
  /** For a fall: time from the first failure signal of the streak to this decision. */
  detectMs?: number;
}

export interface ActiveCheckerDeps {
  target: ProbeTarget;
  config: HealthCheckConfig;
  clock: Clock;
  transport: Transport;
  onTransition(transition: HealthTransition): void;
  onProbe?(result: ProbeResult): void;
}

export interface CheckerSnapshot {
  state: HealthState;
  /** False until a probe has passed: a region starts presumed up (HAProxy does the same). */
  confirmed: boolean;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  /** When the region last became up, by a probe; undefined while only presumed up. */
  upSinceMs: number | undefined;
  lastProbe: ProbeResult | undefined;
  confirming: boolean;
}

/** Failures that mean nothing is listening or the process died: confirmed at once, not in fallCount intervals. */
const STRONG_SIGNALS: ReadonlySet<TransportErrorKind> = new Set(["refused", "reset", "connect_timeout"]);

export function isStrongSignal(kind: TransportErrorKind | undefined): boolean {
  return kind !== undefined && STRONG_SIGNALS.has(kind);
}

/**
 * Active health checks for one region, HAProxy style (`inter 2s fall 3 rise 2`): a probe every
 * intervalMs from start(), each with timeoutMs; fallCount consecutive failures mark the region
 * down, riseCount consecutive passes mark it up again, so one slow probe flips nothing.
 *
 * A refused, reset or connect-timed-out connection (from a probe or from real traffic) starts a
 * confirmation: up to fallCount extra probes fastIntervalMs apart (HAProxy's fastinter), so a
 * dead region is marked down within one interval instead of fallCount intervals.
 */
export class ActiveChecker {
  private state: HealthState = "up";
  private confirmed = false;
  private failures = 0;
  private successes = 0;
  private upSinceMs: number | undefined;
  private streakStartMs: number | undefined;
  private lastProbe: ProbeResult | undefined;
  private timer: TimerHandle | undefined;
  private confirmation: Promise<void> | undefined;
  private running = false;

  constructor(private readonly deps: ActiveCheckerDeps) {}

  get region(): string {
    return this.deps.target.region;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.tick();
  }

  stop(): void {
    this.running = false;
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** The running confirmation, if any: traffic waits for it instead of hitting a region about to be marked down. */
  pendingConfirmation(): Promise<void> | undefined {
    return this.confirmation;
  }

  /**
   * Confirms a strong failure signal seen at `atMs`. `immediate` probes at once (traffic saw
   * it); otherwise the first confirmation probe waits the fast interval (a probe just saw it).
   */
  confirm(atMs: number, immediate: boolean): Promise<void> {
    if (!this.running || this.state === "down") return Promise.resolve();
    if (this.confirmation) return this.confirmation;
    if (this.streakStartMs === undefined || atMs < this.streakStartMs) this.streakStartMs = atMs;
    this.confirmation = this.runConfirmation(immediate).finally(() => {
      this.confirmation = undefined;
    });
    return this.confirmation;
  }

  snapshot(): CheckerSnapshot {
    return {
      state: this.state,
      confirmed: this.confirmed,
      consecutiveFailures: this.failures,
      consecutiveSuccesses: this.successes,
      upSinceMs: this.upSinceMs,
      lastProbe: this.lastProbe,
      confirming: this.confirmation !== undefined,
    };
  }

  private tick = (): void => {
    if (!this.running) return;
    this.timer = this.deps.clock.setTimer(this.deps.config.intervalMs, this.tick);
    void this.probeAndCount();
  };

  private async runConfirmation(immediate: boolean): Promise<void> {
    const { fallCount, intervalMs, fastIntervalMs } = this.deps.config;
    // Capped so that fallCount confirmation probes finish within one regular interval.
    const gapMs = Math.min(fastIntervalMs, Math.floor(intervalMs / fallCount));
    for (let i = 0; i < fallCount && this.stillConfirming(); i++) {
      if (i > 0 || !immediate) await this.wait(gapMs);
      if (!this.stillConfirming()) return;
      const result = await this.probeAndCount();
      if (result.ok) return;
    }
  }

  private stillConfirming(): boolean {
    return this.running && this.state === "up";
  }

  private wait(delayMs: number): Promise<void> {
    return new Promise((resolve) => this.deps.clock.setTimer(delayMs, resolve));
  }

  private async probeAndCount(): Promise<ProbeResult> {
    const result = await probeRegion(this.deps.target, this.deps.clock, this.deps.transport);
    if (!this.running) return result;
    this.lastProbe = result;
    this.deps.onProbe?.(result);
    if (result.ok) this.countSuccess(result);
    else this.countFailure(result);
    return result;
  }

  private countSuccess(result: ProbeResult): void {
    this.failures = 0;
    this.streakStartMs = undefined;
    this.successes++;
    if (this.state === "up" && !this.confirmed) {
      this.confirmed = true;
      this.upSinceMs = result.finishedAtMs;
    }
    if (this.state === "down" && this.successes >= this.deps.config.riseCount) {
      this.state = "up";
      this.confirmed = true;
      this.upSinceMs = result.finishedAtMs;
      this.deps.onTransition({
        region: this.region,
        state: "up",
        atMs: result.finishedAtMs,
        reason: `${this.successes} consecutive probes passed`,
      });
    }
  }

  private countFailure(result: ProbeResult): void {
    this.successes = 0;
    this.failures++;
    if (this.streakStartMs === undefined) this.streakStartMs = result.startedAtMs;
    if (this.state === "up" && this.failures >= this.deps.config.fallCount) {
      this.state = "down";
      this.upSinceMs = undefined;
      this.deps.onTransition({
        region: this.region,
        state: "down",
        atMs: result.finishedAtMs,
        reason: `${this.failures} consecutive probes failed (last: ${result.detail})`,
        detectMs: result.finishedAtMs - this.streakStartMs,
      });
      return;
    }
    if (this.state === "up" && isStrongSignal(result.errorKind) && !this.confirmation) {
      void this.confirm(result.startedAtMs, false);
    }
  }
}
