import type { ScenarioResult } from "../report/result.ts";
import type { CapacitySpec } from "./capacity-schema.ts";

export interface DegradedService {
  /** The rule, in words: which timeline buckets count as degraded. */
  rule: string;
  bucketS: number;
  /** Total degraded time, minutes (buckets x bucketS / 60). */
  minutes: number;
  /** Runs of degraded buckets, by send time. */
  intervals: { fromS: number; toS: number }[];
}

/**
 * The minutes of degraded service, from the run's timeline (by send time): a bucket is degraded
 * when any client location's success rate is below the SLO or its p99 above it. A bucket with no
 * answered request counts as degraded too (nothing got through).
 */
export function degradedService(
  timeline: ScenarioResult["timeline"],
  slo: CapacitySpec["slo"],
  durationS: number,
): DegradedService {
  const { bucketS } = timeline;
  const buckets = Math.ceil(durationS / bucketS);
  const degraded: boolean[] = [];
  for (let b = 0; b < buckets; b++) {
    degraded.push(
      timeline.locations.some((l) => {
        const rate = l.successRate[b];
        const p99 = l.p99Ms[b];
        if (rate === undefined) return false;
        return (
          rate === null ||
          rate < slo.successRateMin ||
          (p99 !== null && p99 !== undefined && p99 > slo.p99MsMax)
        );
      }),
    );
  }
  const intervals: DegradedService["intervals"] = [];
  for (let b = 0; b < buckets; b++) {
    if (!degraded[b]) continue;
    const last = intervals[intervals.length - 1];
    if (last && last.toS === b * bucketS) last.toS = Math.min(durationS, (b + 1) * bucketS);
    else intervals.push({ fromS: b * bucketS, toS: Math.min(durationS, (b + 1) * bucketS) });
  }
  const totalS = intervals.reduce((sum, i) => sum + i.toS - i.fromS, 0);
  return {
    rule: `a ${bucketS} s bucket (by send time) where any location's success rate < ${slo.successRateMin} or p99 > ${slo.p99MsMax} ms`,
    bucketS,
    minutes: Math.round((totalS / 60) * 100) / 100,
    intervals,
  };
}

/** One line for the terminal: "Degraded service: 5.2 min (182-494 s, ...)". */
export function describeDegraded(d: DegradedService): string {
  const spans = d.intervals.map((i) => `${i.fromS}-${i.toS} s`);
  const shown = spans.length > 6 ? [...spans.slice(0, 6), `and ${spans.length - 6} more`] : spans;
  return `Degraded service: ${d.minutes} min${shown.length ? ` (${shown.join(", ")})` : ""}; ${d.rule}`;
}
