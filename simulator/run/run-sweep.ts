import { resolve } from "node:path";
import type { ScenarioResult } from "../report/result.ts";
import type { SweepCell, SweepResult } from "../report/sweep-result.ts";
import { fmtInt, fmtS, textTable } from "../report/text-table.ts";
import type { LoadedScenarioFile, LoadOptions } from "../scenario/resolved-scenario.ts";
import { type RunJob, runJobs, withHealthCheck } from "./run-jobs.ts";
import { runScenario } from "./run-scenario.ts";
import type { ThreadCost } from "./thread-cost.ts";

/**
 * Health-check interval x fall threshold: for each pair, the same scenario and seed, and what
 * it cost: time to detect the real fault against false failovers, so a user can choose a policy
 * before the outage (users complain of false failovers and of slow detection: docs/route53-health-checks.md, docs/envoy-outlier-detection.md).
 */
export async function runSweep(
  file: LoadedScenarioFile,
  seed: number,
  onCell?: (done: number, total: number) => void,
  parallel: SweepParallelism = { jobs: 1, load: {} },
): Promise<SweepResult> {
  const base = file.scenarios[0]!;
  const sweep = file.sweep!;
  const policies = sweep.intervalMs.flatMap((intervalMs) =>
    sweep.fallCount.map((fallCount) => ({
      intervalMs,
      fallCount,
      timeoutMs: Math.max(10, Math.round(intervalMs * sweep.timeoutShare)),
    })),
  );
  let results: ScenarioResult[];
  if (parallel.jobs > 1) {
    // Cells are independent runs: one per worker thread, merged back in grid order.
    const jobs: RunJob[] = policies.map((healthCheck) => ({
      path: resolve(file.file),
      load: parallel.load,
      scenarioIndex: 0,
      seed,
      healthCheck,
    }));
    results = (await runJobs(jobs, parallel.jobs, onCell, parallel.costs)).map((o) => o.result);
  } else {
    results = [];
    for (const policy of policies) {
      results.push((await runScenario(withHealthCheck(base, policy), { seed })).result);
      onCell?.(results.length, policies.length);
    }
  }
  const cells = policies.map((policy, i): SweepCell => {
    const result = results[i]!;
    // Detection of the faulted region, whether or not it was active then (a false failover may have moved traffic).
    const warranted = result.failover.flatMap((f) => f.cells).find((c) => c.watchedRegion !== undefined);
    return {
      ...policy,
      detectS: warranted?.detectS,
      promoteS: warranted?.promoteS,
      rtoS: warranted?.rtoS,
      falseFailovers: result.falseFailovers.length,
      failedRequests: result.requests.failed,
      invariantsOk: result.invariants.ok,
    };
  });
  return { kind: "sweep", name: file.name, description: file.description, file: file.file, seed, cells };
}

/** How many worker threads a sweep may use, and the load options its file was read with (workers read it again). */
export interface SweepParallelism {
  jobs: number;
  load: LoadOptions;
  /** If given, receives what each thread spent (bench/sweep-bench.ts). */
  costs?: ThreadCost[];
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
