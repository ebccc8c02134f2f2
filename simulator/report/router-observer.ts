import type { Decision } from "../../router/decision-log.ts";
import type { VirtualClock } from "../engine/virtual-clock.ts";
import { SIM_EPOCH_MS } from "../engine/virtual-clock.ts";
import type { Cell } from "../system/build-system.ts";

export interface ObservedDecision {
  /** Run ms (the router's own timestamp, whole ms). */
  atMs: number;
  cell: number;
  routerId: string;
  kind: Decision["kind"];
  region: string | undefined;
  reason: string;
}

/**
 * Collects the routers' decisions (health transitions, passive trips, promotions) from their
 * status, the way an operator would read /_router/status, every `pollMs`. Decisions carry the
 * router's own timestamps, so polling does not blur detection times.
 */
export class RouterObserver {
  readonly decisions: ObservedDecision[] = [];
  private readonly seen = new WeakSet<Decision>();

  constructor(
    private readonly clock: VirtualClock,
    private readonly cells: readonly Cell[],
    private readonly pollMs = 250,
  ) {}

  start(untilMs: number): void {
    const poll = () => {
      this.collect();
      if (this.clock.exactMs + this.pollMs <= untilMs) this.clock.at(this.clock.exactMs + this.pollMs, poll);
    };
    this.clock.at(this.pollMs, poll);
  }

  /** Decisions in time order (routers are polled one after another). */
  sorted(): ObservedDecision[] {
    return [...this.decisions].sort(
      (a, b) => a.atMs - b.atMs || (a.routerId < b.routerId ? -1 : a.routerId > b.routerId ? 1 : 0),
    );
  }

  collect(): void {
    for (const cell of this.cells) {
      for (const node of cell.routers.values()) {
        for (const d of node.router.status().decisions) {
          if (this.seen.has(d)) continue;
          this.seen.add(d);
          this.decisions.push({
            atMs: d.atMs - SIM_EPOCH_MS,
            cell: cell.index,
            routerId: node.id,
            kind: d.kind,
            region: d.region,
            reason: d.reason,
          });
        }
      }
    }
  }
}

/** A decision that says the region is unhealthy: active checks marked it down, or traffic tripped. */
export function isDetection(d: ObservedDecision): boolean {
  return (d.kind === "health" && d.reason.startsWith("down")) || d.kind === "passive";
}
