import type { Clock, TimerHandle } from "../core/clock.ts";
import { LIVE_FAULTS } from "./faults/index.ts";
import { FaultError, type Heal, type StackHandles } from "./faults/live-fault.ts";

export interface ActiveFault {
  id: number;
  kind: string;
  params: Record<string, unknown>;
  startedAtMs: number;
  /** When it heals by itself; null if it lasts until healed. */
  healsAtMs: number | null;
}

/** Healing one or more faults failed; the faults are no longer listed as active. */
export class FaultHealError extends Error {
  override name = "FaultHealError";
}

/** The live stack's former parameter names (before core/faults/ gave every part one vocabulary). */
const RENAMED = [
  ["target", "region"],
  ["link", 'between: [a, b] (and oneWay: true for "a->b")'],
] as const;

/** Longest fault duration accepted: one day. */
const DURATION_S_MAX = 86_400;

/** Applies live faults, heals them on request or when their duration ends. */
export class FaultManager {
  private nextId = 1;
  private active = new Map<number, { fault: ActiveFault; heal: Heal; timer?: TimerHandle }>();
  /** Every fault injected, healed or not, in order (for measuring a run afterwards). */
  private injected: ActiveFault[] = [];

  /** `onHealError` hears about a failed heal nobody waits for (a duration that ran out). */
  constructor(
    private readonly stack: StackHandles,
    private readonly clock: Clock,
    private readonly onHealError: (error: unknown, fault: ActiveFault) => void = () => {},
  ) {}

  async inject(request: Record<string, unknown>): Promise<ActiveFault> {
    const { kind, durationS, ...rest } = request;
    const def = typeof kind === "string" ? LIVE_FAULTS.get(kind) : undefined;
    if (!def)
      throw new FaultError(
        `unknown fault kind "${String(kind)}" (have ${[...LIVE_FAULTS.keys()].join(", ")})`,
      );
    if (
      durationS !== undefined &&
      (typeof durationS !== "number" || !(durationS > 0) || durationS > DURATION_S_MAX)
    ) {
      throw new FaultError(`durationS must be a number of seconds in (0, ${DURATION_S_MAX}]`);
    }
    for (const [old, now] of RENAMED) {
      if (old in rest)
        throw new FaultError(`${def.kind}: "${old}" is now "${now}", as in the simulator's scenarios`);
    }
    const parsed = def.params.safeParse(rest);
    if (!parsed.success) {
      const detail = parsed.error.issues
        .map((i) => `${i.path.join(".") || "(params)"}: ${i.message}`)
        .join("; ");
      throw new FaultError(`${def.kind}: ${detail}`);
    }
    const params = parsed.data as Record<string, unknown>;
    const same = this.list().find(
      (f) => f.kind === def.kind && JSON.stringify(f.params) === JSON.stringify(params),
    );
    if (same) {
      // Two identical faults would heal each other: the first heal would undo both.
      throw new FaultError(
        `${def.kind} ${JSON.stringify(params)} is already active (fault ${same.id}); heal it first`,
        409,
      );
    }
    // A fault takes effect as it is applied (a region going down stops answering when its
    // sockets start to close, not when the last one has): it started when applying began, the
    // instant time to detect and time to promote count from (loadtests/runner/compare-sim.ts).
    const startedAtMs = this.clock.nowMs();
    const heal = await def.apply(this.stack, params);
    const nowMs = this.clock.nowMs();
    const fault: ActiveFault = {
      id: this.nextId++,
      kind: def.kind,
      params,
      startedAtMs,
      healsAtMs: typeof durationS === "number" ? nowMs + durationS * 1000 : null,
    };
    const entry: { fault: ActiveFault; heal: Heal; timer?: TimerHandle } = { fault, heal };
    if (typeof durationS === "number") {
      entry.timer = this.clock.setTimer(durationS * 1000, () => {
        this.heal(fault.id).catch((error: unknown) => this.onHealError(error, fault));
      });
    }
    this.active.set(fault.id, entry);
    this.injected.push(fault);
    return fault;
  }

  /**
   * Heals one fault, or all of them (newest first); returns what was healed. Every fault is
   * healed even if one heal fails; then a FaultHealError says which failed.
   */
  async heal(id?: number): Promise<ActiveFault[]> {
    const ids = id === undefined ? [...this.active.keys()].reverse() : [id];
    const healed: ActiveFault[] = [];
    const failed: string[] = [];
    for (const faultId of ids) {
      const entry = this.active.get(faultId);
      if (!entry) continue;
      this.active.delete(faultId);
      entry.timer?.cancel();
      try {
        await entry.heal();
        healed.push(entry.fault);
      } catch (error) {
        failed.push(`fault ${faultId} (${entry.fault.kind}): ${(error as Error).message}`);
      }
    }
    if (failed.length > 0) throw new FaultHealError(`could not heal ${failed.join("; ")}`);
    return healed;
  }

  list(): ActiveFault[] {
    return [...this.active.values()].map((e) => e.fault);
  }

  history(): ActiveFault[] {
    return [...this.injected];
  }
}
