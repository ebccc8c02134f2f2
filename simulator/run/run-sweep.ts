import { routerPolicySchema } from "../../config/router-policy-schema.ts";
import type { SweepCell, SweepResult } from "../report/sweep-result.ts";
import { fmtInt, fmtS, textTable } from "../report/text-table.ts";
import type { LoadedScenarioFile, ResolvedScenario } from "../scenario/resolved-scenario.ts";
import { runScenario } from "./run-scenario.ts";

/**
 * Health-check interval x fall threshold: for each pair, the same scenario and seed, and what
 * it cost: time to detect the real fault against false failovers, so a user can choose a policy
 * before the outage (users complain of false failovers and of slow detection: docs/route53-health-checks.md, docs/envoy-outlier-detection.md).
 */
export async function runSweep(
  file: LoadedScenarioFile,
  seed: number,
  onCell?: (done: number, total: number) => void,
): Promise<SweepResult> {
  const base = file.scenarios[0]!;
  const sweep = file.sweep!;
  const cells: SweepCell[] = [];
  const total = sweep.intervalMs.length * sweep.fallCount.length;
  for (const intervalMs of sweep.intervalMs) {
    for (const fallCount of sweep.fallCount) {
      const timeoutMs = Math.max(10, Math.round(intervalMs * sweep.timeoutShare));
      const scenario = withHealthCheck(base, intervalMs, fallCount, timeoutMs);
      const { result } = await runScenario(scenario, { seed });
      // Detection of the faulted region, whether or not it was active then (a false failover may have moved traffic).
      const warranted = result.failover.flatMap((f) => f.cells).find((c) => c.watchedRegion !== undefined);
      cells.push({
        intervalMs,
        fallCount,
        timeoutMs,
        detectS: warranted?.detectS,
        promoteS: warranted?.promoteS,
        rtoS: warranted?.rtoS,
        falseFailovers: result.falseFailovers.length,
        failedRequests: result.requests.failed,
        invariantsOk: result.invariants.ok,
      });
      onCell?.(cells.length, total);
    }
  }
  return { kind: "sweep", name: file.name, description: file.description, file: file.file, seed, cells };
}

function withHealthCheck(
  s: ResolvedScenario,
  intervalMs: number,
  fallCount: number,
  timeoutMs: number,
): ResolvedScenario {
  const router = routerPolicySchema.parse({
    ...s.config.router,
    healthCheck: { ...s.config.router.healthCheck, intervalMs, fallCount, timeoutMs },
  });
  return {
    ...s,
    label: `${s.name} interval ${intervalMs} ms fall ${fallCount}`,
    config: { ...s.config, router },
  };
}

export function summarizeSweep(r: SweepResult): string {
  const rows = r.cells.map((c) => [
    `${fmtInt(c.intervalMs)} ms`,
    String(c.fallCount),
    `${fmtInt(c.timeoutMs)} ms`,
    fmtS(c.detectS),
    fmtS(c.promoteS),
    fmtS(c.rtoS),
    String(c.falseFailovers),
    fmtInt(c.failedRequests),
    c.invariantsOk ? "ok" : "VIOLATED",
  ]);
  return textTable(
    ["interval", "fall", "timeout", "detect", "promote", "RTO", "false failovers", "failed", "invariants"],
    rows,
  );
}
