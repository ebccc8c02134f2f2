import type { Clock, TimerHandle } from "../../core/clock.ts";
import { seededRandom } from "../../core/random.ts";
import { subsystemSeed } from "./subsystem-seed.ts";
import { SIM_EPOCH_MS, type VirtualClock } from "./virtual-clock.ts";

/**
 * One node's own clock over the virtual clock, running at `rate` (1 + drift): what it reads
 * moves `rate` ms per virtual ms, and a timer it sets for d of its ms fires after d / rate
 * virtual ms. Quartz oscillators drift by tens of ppm; leases must hold under the drift bound
 * the config states (control.lease.maxClockDriftMs), so the simulator lets every router and
 * region keep its own time (TigerBeetle's simulated Time has per-replica offset and drift).
 */
export class DriftingClock implements Clock {
  constructor(
    private readonly base: VirtualClock,
    readonly rate: number,
  ) {}

  nowMs(): number {
    // The epsilon keeps 10000 x 1.001 (10009.999999...) reading as 10010, as exact arithmetic would.
    return SIM_EPOCH_MS + Math.floor(this.base.exactMs * this.rate + 1e-6);
  }

  setTimer(delayMs: number, fn: () => void): TimerHandle {
    return this.base.setTimer(Math.max(0, delayMs || 0) / this.rate, fn);
  }
}

/**
 * The clock for one node (a router or region): the virtual clock itself when there is no drift
 * (so results do not change), else a DriftingClock at 1 + x/1e6 with x drawn from the run's seed
 * and the node's name, uniform in [-driftPpm, +driftPpm].
 */
export function nodeClock(base: VirtualClock, driftPpm: number, runSeed: number, node: string): Clock {
  if (driftPpm <= 0) return base;
  const x = (seededRandom(subsystemSeed(runSeed, `clock:${node}`)).next() * 2 - 1) * driftPpm;
  return new DriftingClock(base, 1 + x / 1e6);
}
