import type { ScenarioResult } from "./result.ts";
import { fmtInt, fmtPct, fmtS, textTable } from "./text-table.ts";

/** One row per seed (`simulate --seeds N`): how much each seed's run of the same scenario varied. */
export function summarizeSeeds(results: readonly ScenarioResult[]): string {
  const rows = results.map((r) => {
    const detected = r.failover.flatMap((f) => f.cells).find((c) => c.failoverWarranted);
    return [
      String(r.scenario.seed),
      fmtInt(r.requests.sent),
      fmtPct(r.requests.successRate),
      fmtInt(r.requests.failed),
      fmtS(detected?.detectS),
      fmtS(detected?.rtoS),
      String(r.falseFailovers.length),
      `${fmtInt(r.lostWrites.lost)} / ${fmtInt(r.lostWrites.acknowledged)}`,
      r.invariants.ok ? "ok" : "VIOLATED",
    ];
  });
  return textTable(
    [
      "seed",
      "requests",
      "success",
      "failed",
      "detect",
      "RTO",
      "false failovers",
      "lost writes",
      "invariants",
    ],
    rows,
  );
}
