import type { PlannedFault } from "../scenario/resolved-scenario.ts";

export interface Phase {
  name: string;
  fromMs: number;
  toMs: number;
}

/**
 * The run cut at every fault's start and end: "before", "during <faults>", "after <fault>".
 * Latency percentiles are kept per client location per phase, so a report shows what users
 * saw before, during and after each fault.
 */
export function phasesOf(faults: readonly PlannedFault[], durationMs: number): Phase[] {
  const cuts = new Set<number>([0, durationMs]);
  for (const f of faults) {
    cuts.add(Math.min(f.startMs, durationMs));
    cuts.add(Math.min(f.endMs, durationMs));
  }
  const times = [...cuts].sort((a, b) => a - b);
  const phases: Phase[] = [];
  for (let i = 0; i + 1 < times.length; i++) {
    const fromMs = times[i]!;
    const toMs = times[i + 1]!;
    if (toMs <= fromMs) continue;
    const active = faults.filter((f) => f.startMs <= fromMs && fromMs < f.endMs);
    let name: string;
    if (active.length > 0) name = `during ${active.map((f) => f.label).join(" + ")}`;
    else {
      const ended = faults.filter((f) => f.endMs <= fromMs).sort((a, b) => b.endMs - a.endMs)[0];
      name = ended ? `after ${ended.label}` : "before";
    }
    phases.push({ name: uniqueName(name, phases), fromMs, toMs });
  }
  return phases;
}

function uniqueName(name: string, existing: readonly Phase[]): string {
  if (!existing.some((p) => p.name === name)) return name;
  let n = 2;
  while (existing.some((p) => p.name === `${name} (${n})`)) n++;
  return `${name} (${n})`;
}

export function phaseIndexAt(phases: readonly Phase[], atMs: number): number {
  for (let i = phases.length - 1; i >= 0; i--) if (atMs >= phases[i]!.fromMs) return i;
  return 0;
}
