import { describeCapacity } from "../capacity/describe-capacity.ts";
import { renderComparisonHtml, renderRunHtml, renderSweepHtml } from "../report/html-report.ts";
import type { ScenarioResult } from "../report/result.ts";
import { summarizeComparison, summarizeRun } from "../report/summary.ts";
import { DEFAULT_SCENARIO, loadScenarioFile } from "../scenario/load-scenario.ts";
import type { LoadedScenarioFile, ResolvedScenario } from "../scenario/resolved-scenario.ts";
import { safeName, writeReports } from "./outputs.ts";
import { progressBar } from "./progress.ts";
import { runScenario } from "./run-scenario.ts";
import { runSweep, summarizeSweep } from "./run-sweep.ts";
import { seedSpread, summarizeSeedSpread } from "./seed-spread.ts";
import { DEFAULT_SEED, runSeeds } from "./seeds.ts";

export interface SimulateOptions {
  seed?: number;
  out: string;
  compare?: string[];
  json?: boolean;
  html: boolean;
  scaleTime?: number;
  scaleRate?: number;
  /** Force a sweep (the `simulate sweep` subcommand). */
  sweep?: boolean;
  /** Run each scenario with seeds seed .. seed + N - 1 and report the spread (seed-spread.ts). */
  seeds?: number;
}

/** Exit codes: 0 all good, 1 an invariant broke, 3 a scenario's expectation was not met. (2: bad input, from the CLI.) */
export interface SimulateOutcome {
  exitCode: 0 | 1 | 3;
}

/**
 * `failover simulate`: load the scenario file(s), print the seed and every parameter, run, print
 * the summary, write the JSON and HTML reports, and end with the command that reproduces the
 * run when an invariant broke. `say` prints human text (stdout, or stderr under --json).
 */
export async function simulate(
  scenarioArg: string | undefined,
  options: SimulateOptions,
): Promise<SimulateOutcome> {
  const say = (text: string) => (options.json ? process.stderr : process.stdout).write(`${text}\n`);
  const paths = [...(scenarioArg ? [scenarioArg] : []), ...(options.compare ?? [])];
  if (paths.length === 0) paths.push(options.sweep ? SWEEP_DEFAULT : DEFAULT_SCENARIO);
  const load = { scaleTime: options.scaleTime, scaleRate: options.scaleRate };
  const files = paths.map((p) => loadScenarioFile(p, load));
  const seed = options.seed ?? files[0]!.scenarios[0]!.seed ?? DEFAULT_SEED;
  const reproduce = reproduceCommand(files, seed, options);

  if (options.sweep || (files.length === 1 && files[0]!.kind === "sweep"))
    return simulateSweep(files, seed, options, say, reproduce);
  const scenarios = files.flatMap((f) => f.scenarios);
  for (const s of scenarios) printParameters(s, seed, say);
  if (options.seeds !== undefined) return simulateSeeds(files, scenarios, seed, options, say);

  const results: ScenarioResult[] = [];
  for (const [i, scenario] of scenarios.entries()) {
    const bar = progressBar(!options.json && process.stderr.isTTY === true);
    const label = scenarios.length > 1 ? `${scenario.label} (${i + 1}/${scenarios.length})` : scenario.label;
    const { result, wall } = await runScenario(scenario, {
      seed,
      onProgress: (done) => bar.update(done, label),
    });
    bar.stop();
    say(
      `ran ${scenario.label}: ${scenario.durationS + scenario.settleS} virtual s in ${wall.seconds.toFixed(1)} s ` +
        `(${wall.speedup.toFixed(1)}x real time, ${Math.round(wall.requestsPerS).toLocaleString("en-US")} simulated requests/s)`,
    );
    results.push(result);
  }

  const comparison = results.length > 1;
  const baseName = comparison
    ? `${safeName(files.map((f) => f.name).join("-vs-"))}-seed${seed}`
    : `${safeName(results[0]!.scenario.name)}-seed${seed}`;
  const summaryText = comparison ? summarizeComparison(results) : "";
  const json = comparison ? { kind: "comparison", seed, runs: results } : results[0]!;
  const html = !options.html
    ? undefined
    : comparison
      ? renderComparisonHtml(results, summaryText, reproduce)
      : renderRunHtml(results[0]!, reproduce);
  say("");
  for (const r of results) say(`${summarizeRun(r)}\n${describeCapacity(r)}`);
  if (comparison) say(`Side by side (seed ${seed}):\n${summaryText}\n`);
  const written = writeReports(options.out, baseName, json, html);
  say(`reports: ${written.join(", ")}`);
  if (options.json) process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  return finish(results, say, reproduce);
}

/**
 * `--seeds N`: every scenario once per seed (seed .. seed + N - 1), then detection, promotion and
 * RTO as distributions over the seeds. Writes one JSON (no HTML: each seed's report is one
 * `--seed` away); the exit code covers every run.
 */
async function simulateSeeds(
  files: readonly LoadedScenarioFile[],
  scenarios: readonly ResolvedScenario[],
  firstSeed: number,
  options: SimulateOptions,
  say: (text: string) => void,
): Promise<SimulateOutcome> {
  const seeds = Array.from({ length: options.seeds! }, (_, i) => firstSeed + i);
  const results: ScenarioResult[] = [];
  const bar = progressBar(!options.json && process.stderr.isTTY === true);
  const total = seeds.length * scenarios.length;
  for (const [k, seed] of seeds.entries()) {
    for (const [i, scenario] of scenarios.entries()) {
      const done = k * scenarios.length + i;
      const { result } = await runScenario(scenario, {
        seed,
        onProgress: (share) => bar.update((done + share) / total, `${scenario.label} seed ${seed}`),
      });
      results.push(result);
    }
  }
  bar.stop();
  const spread = seedSpread(seeds, results);
  say(`\n${summarizeSeedSpread(spread)}\n`);
  const name = `${safeName(files.map((f) => f.name).join("-vs-"))}-seeds${seeds[0]}-${seeds[seeds.length - 1]}`;
  const written = writeReports(options.out, name, spread, undefined);
  say(`reports: ${written.join(", ")}`);
  if (options.json) process.stdout.write(`${JSON.stringify(spread, null, 2)}\n`);
  for (const r of results) {
    if (r.invariants.ok && r.expectations.every((e) => e.met)) continue;
    // The first seed that broke something, with the command that reproduces it alone.
    return finish([r], say, reproduceCommand(files, r.scenario.seed, { ...options, seeds: undefined }));
  }
  return { exitCode: 0 };
}

const SWEEP_DEFAULT = DEFAULT_SCENARIO.replace("prod-us-outage.yaml", "sweep-health-checks.yaml");

async function simulateSweep(
  files: LoadedScenarioFile[],
  seed: number,
  options: SimulateOptions,
  say: (text: string) => void,
  reproduce: string,
): Promise<SimulateOutcome> {
  const file = files[0]!;
  if (files.length > 1 || !file.sweep) {
    throw new SweepInputError(
      `${file.file}: a sweep needs one scenario file with a sweep: block (interval and fall lists)`,
    );
  }
  printParameters(file.scenarios[0]!, seed, say);
  say(
    `sweep: healthCheck.intervalMs ${file.sweep.intervalMs.join(", ")} x fallCount ${file.sweep.fallCount.join(", ")}`,
  );
  const bar = progressBar(!options.json && process.stderr.isTTY === true);
  const result = await runSweep(file, seed, (done, total) =>
    bar.update(done / total, `${done}/${total} policies`),
  );
  bar.stop();
  const text = summarizeSweep(result);
  say(`\n${text}\n`);
  const written = writeReports(
    options.out,
    `${safeName(file.name)}-sweep-seed${seed}`,
    result,
    options.html ? renderSweepHtml(result, text, reproduce) : undefined,
  );
  say(`reports: ${written.join(", ")}`);
  if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  if (result.cells.every((c) => c.invariantsOk)) return { exitCode: 0 };
  say(`INVARIANT VIOLATED in at least one policy. Reproduce with:\n  ${reproduce}`);
  return { exitCode: 1 };
}

export class SweepInputError extends Error {
  override name = "SweepInputError";
}

/** The exit code, and the closing lines: on a broken invariant, the last line is the command that reproduces the run. */
export function finish(
  results: readonly ScenarioResult[],
  say: (text: string) => void,
  reproduce: string,
): SimulateOutcome {
  const broken = results.filter((r) => !r.invariants.ok);
  if (broken.length > 0) {
    say(
      `INVARIANT VIOLATED in ${broken.map((r) => r.scenario.label).join(", ")}. Reproduce with:\n  ${reproduce}`,
    );
    return { exitCode: 1 };
  }
  const unmet = results.flatMap((r) =>
    r.expectations
      .filter((e) => !e.met)
      .map((e) => `${r.scenario.label}: ${e.name} ${e.expected}, got ${e.actual}`),
  );
  if (unmet.length > 0) {
    say(`Expectations not met:\n${unmet.map((u) => `  - ${u}`).join("\n")}\nReproduce with:\n  ${reproduce}`);
    return { exitCode: 3 };
  }
  return { exitCode: 0 };
}

function printParameters(s: ResolvedScenario, seed: number, say: (text: string) => void): void {
  say(`failover simulate: ${s.label} (${s.file}), seed ${seed}, node ${process.version}`);
  const seeds = runSeeds(s, seed);
  say(
    `  seeds: ${Object.entries(seeds)
      .map(([k, v]) => `${k}=${v}`)
      .join(" ")}`,
  );
  say(
    `  environment ${s.environment}, ${s.topology}, failover by ${s.failoverBy}, ${s.durationS} s + ${s.settleS} s settle`,
  );
  for (const [key, value] of Object.entries(describeBrief(s))) say(`  ${key}: ${value}`);
}

function describeBrief(s: ResolvedScenario): Record<string, string> {
  const hc = s.config.router.healthCheck;
  const p = s.config.router.passive;
  const out: Record<string, string> = {
    regions:
      s.config.regions.map((r) => `${r.name}@${r.location} (${r.awsRegion})`).join(", ") +
      ` (initially active: ${s.config.initialActive})`,
    control: describeControl(s),
    latency: `${s.latencyTableName} table, jitter ${JSON.stringify(s.jitter)}, service time ${s.serviceTime.readMs}/${s.serviceTime.writeMs} ms (read/write)`,
    replication: `${s.config.replication.mode}, every ${s.config.replication.intervalMs} ms, batch ${s.config.replication.batchMax}, sync timeout ${s.config.replication.syncTimeoutMs} ms`,
  };
  if (s.failoverBy === "router") {
    out.router =
      `${s.routers.map((r) => `${r.id}@${r.location}${r.awsRegion ? ` (${r.awsRegion})` : ""}`).join(", ")}; checks every ${hc.intervalMs} ms (phase drawn per router from its seed${hc.jitterShare ? `, each gap +/-${hc.jitterShare * 100}%` : ""}; timeout ${hc.timeoutMs} ms, fall ${hc.fallCount}, rise ${hc.riseCount}, answered failures sampled ${hc.sampleFailureShare * 100}% of ${hc.sampleProbes}); ` +
      `passive ${p.consecutiveFailures} unanswered in a row or ${p.errorRateThreshold * 100}% of >=${p.errorRateMinRequests} from >=${p.errorRateMinClients} clients in ${p.errorRateWindowMs} ms; ` +
      `timeouts connect ${s.config.router.connectTimeoutMs} / response ${s.config.router.responseTimeoutMs} ms; failback ${s.config.router.failback.mode}; min promotion interval ${s.config.router.minPromotionIntervalMs} ms`;
  } else {
    const d = s.dns;
    out.dns = `Route 53 checks every ${d.requestIntervalS} s from ${d.checkers.join(", ")}, threshold ${d.failureThreshold}, TTL ${d.ttlS} s, ${d.cacheInstances} caches per client group, promote ${d.promote}`;
  }
  out.clients = s.clients
    .map((c) => `${c.name}@${c.location} ${c.ratePerS}/s ${Math.round(c.writeShare * 100)}% writes`)
    .join("; ");
  out.faults = s.faults.length
    ? s.faults.map((f) => `${f.startMs / 1000}-${f.endMs / 1000} s ${f.label}`).join("; ")
    : "none";
  return out;
}

/** Where the control record's replicas are, the majority they need, the lease and clock drift. */
function describeControl(s: ResolvedScenario): string {
  const members = s.domains.controlReplicas;
  const majority = Math.floor(members.length / 2) + 1;
  const placed = members.map((m) => `${m.witness ? "witness" : "control"}-${m.awsRegion}@${m.location}`);
  const { leaseMs, renewIntervalMs, maxClockDriftMs } = s.config.control.lease;
  return (
    `${placed.join(", ")} (answers with ${majority} of ${members.length}); lease ${leaseMs} ms, renewed every ${renewIntervalMs} ms, drift bound ${maxClockDriftMs} ms` +
    (s.clockDriftPpm > 0 ? `; clocks drift up to ${s.clockDriftPpm} ppm` : "")
  );
}

function reproduceCommand(
  files: readonly LoadedScenarioFile[],
  seed: number,
  options: SimulateOptions,
): string {
  const parts = ["node bin/failover.js simulate"];
  if (options.sweep) parts.push("sweep");
  parts.push(files[0]!.file);
  if (files.length > 1) parts.push("--compare", ...files.slice(1).map((f) => f.file));
  parts.push("--seed", String(seed));
  if (options.scaleTime !== undefined && options.scaleTime !== 1)
    parts.push("--scale-time", String(options.scaleTime));
  if (options.scaleRate !== undefined && options.scaleRate !== 1)
    parts.push("--scale-rate", String(options.scaleRate));
  return parts.join(" ");
}
