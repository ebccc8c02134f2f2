import type { RouterPolicy } from "../../config/router-policy-schema.ts";
import type { Clock, TimerHandle } from "../../core/clock.ts";
import type { Random } from "../../core/random.ts";
import type { Transport, TransportErrorKind } from "../../core/transport.ts";
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
  /**
   * Draws the grid's phase and each gap's jitter (config.jitterShare). Without it the checker
   * probes at start() and then exactly every intervalMs (unit tests that assert exact times).
   */
  random?: Random;
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
  /** While a sample is being taken (see sampleProbes): probes counted and how many failed. */
  sample: { taken: number; failed: number } | undefined;
}

/** Failures that mean nothing is listening or the process died: confirmed at once, not in fallCount intervals. */
const STRONG_SIGNALS: ReadonlySet<TransportErrorKind> = new Set(["refused", "reset", "connect_timeout"]);

export function isStrongSignal(kind: TransportErrorKind | undefined): boolean {
  return kind !== undefined && STRONG_SIGNALS.has(kind);
}

/**
 * Active health checks for one region, HAProxy style (`inter 2s fall 3 rise 2`): a probe at
 * start(), the next one a random phase later (uniform in [0, intervalMs)), then every intervalMs
 * (each gap +/- jitterShare), each with timeoutMs; fallCount consecutive failures mark the region
 * down, riseCount consecutive passes mark it up again, so one slow probe flips nothing. The phase
 * is why detection time depends on where in the grid a fault lands: a hang is caught
 * intervalMs x (fallCount - 1) + timeoutMs after the first probe that starts after it, which is
 * up to one interval (plus jitter) after the fault (docs/probe-timing-sources.md; Envoy's
 * `initial_jitter` does the same for the start of its checks).
 *
 * A refused, reset or connect-timed-out connection (from a probe or from real traffic) starts a
 * confirmation: up to fallCount extra probes fastIntervalMs apart (HAProxy's fastinter), so a
 * dead region is marked down within one interval instead of fallCount intervals.
 *
 * A streak of failures in which the region answered with a bare error (a 503 from its readiness
 * path that does not say `"ready": false`) is not taken as "down" by itself: a region that fails a share of requests (a brownout) fails three
 * probes in a row now and then. It starts a sample (sampleProbes probes, sampleIntervalMs
 * apart) and the region is marked down only if sampleFailureShare of them fail (issue 13 (docs/issues.md):
 * brownouts below the threshold never fail over, above it they do, quickly).
 */
export class ActiveChecker {
  private state: HealthState = "up";
  private confirmed = false;
  private failures = 0;
  /** Failed probes in a row that are certain: no answer at all (refused, reset, timed out) or "not ready". */
  private certainRun = 0;
  /** The current streak has a failure where the region answered (non-2xx). */
  private answeredInStreak = false;
  private sample: { taken: number; failed: number; sent: number } | undefined;
  private sampleTimer: TimerHandle | undefined;
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
    const { intervalMs } = this.deps.config;
    const phaseMs = this.deps.random ? this.deps.random.next() * intervalMs : intervalMs;
    this.timer = this.deps.clock.setTimer(phaseMs, this.tick);
    void this.probeAndCount();
  }

  stop(): void {
    this.running = false;
    this.timer?.cancel();
    this.timer = undefined;
    this.endSample();
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
      sample: this.sample && { taken: this.sample.taken, failed: this.sample.failed },
    };
  }

  private tick = (): void => {
    if (!this.running) return;
    this.timer = this.deps.clock.setTimer(this.gapMs(), this.tick);
    void this.probeAndCount();
  };

  /** The next gap between regular probes: intervalMs, +/- jitterShare of it when a Random is given. */
  private gapMs(): number {
    const { intervalMs, jitterShare } = this.deps.config;
    if (!this.deps.random || !jitterShare) return intervalMs;
    return intervalMs * (1 + jitterShare * (2 * this.deps.random.next() - 1));
  }

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
    this.certainRun = 0;
    this.answeredInStreak = false;
    if (this.sample) {
      this.countSample(result);
      return;
    }
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
    const { fallCount } = this.deps.config;
    this.successes = 0;
    this.failures++;
    // Certain: no answer at all, or the region's own "not ready". A bare error answer is not.
    if (result.errorKind !== undefined || result.notReady) this.certainRun++;
    else {
      this.answeredInStreak = true;
      this.certainRun = 0;
    }
    if (this.streakStartMs === undefined) this.streakStartMs = result.startedAtMs;
    if (this.state !== "up") return;
    if (this.certainRun >= fallCount || (this.failures >= fallCount && !this.answeredInStreak)) {
      this.markDown(result, `${this.failures} consecutive probes failed (last: ${result.detail})`);
      return;
    }
    if (this.sample) {
      this.countSample(result);
      return;
    }
    if (this.failures >= fallCount) {
      this.startSample();
      return;
    }
    if (isStrongSignal(result.errorKind) && !this.confirmation) {
      void this.confirm(result.startedAtMs, false);
    }
  }

  private markDown(result: ProbeResult, reason: string): void {
    this.endSample();
    this.state = "down";
    this.upSinceMs = undefined;
    this.deps.onTransition({
      region: this.region,
      state: "down",
      atMs: result.finishedAtMs,
      reason,
      detectMs: result.finishedAtMs - (this.streakStartMs ?? result.startedAtMs),
    });
  }

  private startSample(): void {
    this.sample = { taken: 0, failed: 0, sent: 0 };
    const { sampleProbes, sampleIntervalMs } = this.deps.config;
    const next = (): void => {
      const sample = this.sample;
      if (!this.running || !sample || sample.sent >= sampleProbes) return;
      sample.sent++;
      this.sampleTimer = this.deps.clock.setTimer(sampleIntervalMs, next);
      void this.probeAndCount();
    };
    next();
  }

  private countSample(result: ProbeResult): void {
    const sample = this.sample!;
    sample.taken++;
    if (!result.ok) sample.failed++;
    const { sampleProbes, sampleFailureShare } = this.deps.config;
    if (sample.taken < sampleProbes) return;
    this.endSample();
    if (sample.failed / sample.taken >= sampleFailureShare) {
      const pct = Math.round((sample.failed / sample.taken) * 100);
      this.markDown(
        result,
        `${sample.failed}/${sample.taken} sampled probes failed (${pct}%, last: ${result.detail})`,
      );
      return;
    }
    // Degraded, not down: start counting afresh.
    this.failures = 0;
    this.answeredInStreak = false;
    this.streakStartMs = undefined;
  }

  private endSample(): void {
    this.sample = undefined;
    this.sampleTimer?.cancel();
    this.sampleTimer = undefined;
  }
}
