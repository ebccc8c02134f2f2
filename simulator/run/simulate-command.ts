import { resolve } from "node:path";
import { EXIT_FAILED, EXIT_OK, UsageError } from "../../core/cli-error.ts";
import { describeCapacity } from "../capacity/describe-capacity.ts";
import { renderComparisonHtml, renderRunHtml, renderSweepHtml } from "../report/html-report.ts";
import type { ScenarioResult } from "../report/result.ts";
import { summarizeSeeds } from "../report/seeds-summary.ts";
import { headline, summarizeComparison, summarizeRun } from "../report/summary.ts";
import { DEFAULT_SCENARIO, loadScenarioFile } from "../scenario/load-scenario.ts";
import type { LoadedScenarioFile, ResolvedScenario } from "../scenario/resolved-scenario.ts";
import { lostWritesFile, safeName, writeReports } from "./outputs.ts";
import { progressBar } from "./progress.ts";
import { defaultJobCount, type JobOutcome, type RunJob, runJobs } from "./run-jobs.ts";
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
  /** Run this many seeds (the seed, the seed + 1, ...) and report each. */
  seeds?: number;
  /** Worker threads for independent runs (sweep cells, compared scenarios, seeds); default one per core. */
  jobs?: number;
}

/** Exit codes (core/cli-error.ts): 0 all good, 1 an invariant broke or an expectation was not met. (2: bad input, thrown.) */
export interface SimulateOutcome {
  exitCode: typeof EXIT_OK | typeof EXIT_FAILED;
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
  for (const s of scenarios)
    say(`failover simulate: ${s.label} (${s.file}), seed ${seed}, node ${process.version}`);
  const seedCount = options.seeds ?? 1;
  if (options.seeds !== undefined) {
    return simulateSeeds(files, seed, seedCount, options, say);
  }

  const jobs = options.jobs ?? defaultJobCount();
  const outcomes =
    scenarios.length > 1 && jobs > 1
      ? await runInWorkers(scenarios, files, seed, options, jobs, say)
      : await runHere(scenarios, seed, options, say);
  const results = outcomes.map((o) => o.result);
  const baseName = runBaseName(files, scenarios.length, seed);
  const lists = new Map<string, readonly unknown[]>();
  for (const [i, { result, lostWrites }] of outcomes.entries()) {
    if (lostWrites.length === 0) continue;
    const file = lostWritesFile(baseName, scenarios.length > 1 ? scenarios[i]!.label : undefined);
    result.lostWrites.allIn = file;
    lists.set(file, lostWrites);
  }
  const comparison = results.length > 1;
  const summaryText = comparison ? summarizeComparison(results) : "";
  const json = comparison ? { kind: "comparison", seed, runs: results } : results[0]!;
  const html = !options.html
    ? undefined
    : comparison
      ? renderComparisonHtml(results, summaryText, reproduce)
      : renderRunHtml(results[0]!, reproduce);
  say("");
  // Verdict first (issue 16): each run's verdict and headline figures, then the detail, then
  // the parameters that reproduce it.
  if (comparison) {
    for (const r of results) say(headline(r).join("\n"));
    say(`\nSide by side (seed ${seed}):\n${summaryText}\n`);
    for (const r of results) say(`${r.scenario.label}:\n${summarizeRun(r)}\n${describeCapacity(r)}`);
  } else say(`${summarizeRun(results[0]!)}\n${describeCapacity(results[0]!)}`);
  say("Parameters");
  for (const s of scenarios) printParameters(s, seed, say);
  say("");
  const written = writeReports(options.out, baseName, json, html, lists);
  say(`reports: ${written.join(", ")}`);
  if (options.json) process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  return finish(results, say, reproduce);
}

/** Runs the scenarios one after another in this thread, with a progress bar per run. */
async function runHere(
  scenarios: readonly ResolvedScenario[],
  seed: number,
  options: SimulateOptions,
  say: (text: string) => void,
): Promise<JobOutcome[]> {
  const outcomes: JobOutcome[] = [];
  for (const [i, scenario] of scenarios.entries()) {
    const bar = progressBar(!options.json && process.stderr.isTTY === true);
    const label = scenarios.length > 1 ? `${scenario.label} (${i + 1}/${scenarios.length})` : scenario.label;
    const outcome = await runScenario(scenario, {
      seed,
      onProgress: (done) => bar.update(done, label),
    });
    bar.stop();
    sayRan(scenario, outcome.wall, say);
    outcomes.push(outcome);
  }
  return outcomes;
}

/** Runs the compared scenarios on worker threads; results (and the "ran" lines) come in file order. */
async function runInWorkers(
  scenarios: readonly ResolvedScenario[],
  files: readonly LoadedScenarioFile[],
  seed: number,
  options: SimulateOptions,
  jobCount: number,
  say: (text: string) => void,
): Promise<JobOutcome[]> {
  const load = { scaleTime: options.scaleTime, scaleRate: options.scaleRate };
  const jobs: RunJob[] = files.flatMap((f) =>
    f.scenarios.map((_, scenarioIndex) => ({ path: resolve(f.file), load, scenarioIndex, seed })),
  );
  const bar = progressBar(!options.json && process.stderr.isTTY === true);
  const outcomes = await runJobs(jobs, jobCount, (done, total) =>
    bar.update(done / total, `${done}/${total} scenarios`),
  );
  bar.stop();
  for (const [i, o] of outcomes.entries()) sayRan(scenarios[i]!, o.wall, say);
  return outcomes;
}

function sayRan(scenario: ResolvedScenario, wall: JobOutcome["wall"], say: (text: string) => void): void {
  say(
    `ran ${scenario.label}: ${scenario.durationS + scenario.settleS} virtual s in ${wall.seconds.toFixed(1)} s ` +
      `(${wall.speedup.toFixed(1)}x real time, ${Math.round(wall.requestsPerS).toLocaleString("en-US")} simulated requests/s)`,
  );
}

/**
 * `--seeds N`: each scenario under seeds seed .. seed + N - 1, on worker threads, merged in seed
 * order: one row per run, then detection, promotion and RTO as spreads over the seeds
 * (seed-spread.ts), and one JSON report holding both. Exits with the first run that broke
 * something, printing the command that reproduces that seed alone.
 */
async function simulateSeeds(
  files: readonly LoadedScenarioFile[],
  firstSeed: number,
  count: number,
  options: SimulateOptions,
  say: (text: string) => void,
): Promise<SimulateOutcome> {
  const load = { scaleTime: options.scaleTime, scaleRate: options.scaleRate };
  const seeds = Array.from({ length: count }, (_, i) => firstSeed + i);
  const jobs: RunJob[] = seeds.flatMap((seed) =>
    files.flatMap((f) =>
      f.scenarios.map((_, scenarioIndex) => ({ path: resolve(f.file), load, scenarioIndex, seed })),
    ),
  );
  const bar = progressBar(!options.json && process.stderr.isTTY === true);
  const outcomes = await runJobs(jobs, options.jobs ?? defaultJobCount(), (done, total) =>
    bar.update(done / total, `${done}/${total} runs`),
  );
  bar.stop();
  const results = outcomes.map((o) => o.result);
  const spread = seedSpread(seeds, results);
  say(`\n${summarizeSeeds(results)}\n\n${summarizeSeedSpread(spread)}\n`);
  const name = `${safeName(files.map((f) => f.name).join("-vs-"))}-seeds${seeds[0]}-${seeds[seeds.length - 1]}`;
  const written = writeReports(options.out, name, spread, undefined);
  say(`reports: ${written.join(", ")}`);
  if (options.json) process.stdout.write(`${JSON.stringify(spread, null, 2)}\n`);
  for (const r of results) {
    if (r.invariants.ok && r.expectations.every((e) => e.met)) continue;
    // The first seed that broke something, with the command that reproduces it alone.
    return finish([r], say, reproduceCommand(files, r.scenario.seed, { ...options, seeds: undefined }));
  }
  return { exitCode: EXIT_OK };
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
  const load = { scaleTime: options.scaleTime, scaleRate: options.scaleRate };
  const result = await runSweep(
    file,
    seed,
    (done, total) => bar.update(done / total, `${done}/${total} policies`),
    { jobs: options.jobs ?? defaultJobCount(), load },
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

/** A sweep asked of a file without a sweep: block: bad input, exit 2. */
export class SweepInputError extends UsageError {
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
    return { exitCode: EXIT_FAILED };
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
    latency: `${s.latencyTableName} table, jitter ${describeJitter(s.jitter)}, service time ${s.serviceTime.readMs}/${s.serviceTime.writeMs} ms (read/write)`,
    replication: `${s.config.replication.mode}, every ${s.config.replication.intervalMs} ms, batch ${s.config.replication.batchMax}, sync timeout ${s.config.replication.syncTimeoutMs} ms`,
  };
  if (s.failoverBy === "router") {
    out.router =
      `${s.routers.map((r) => `${r.id}@${r.location}${r.awsRegion ? ` (${r.awsRegion})` : ""}`).join(", ")}; checks every ${hc.intervalMs} ms (timeout ${hc.timeoutMs} ms, fall ${hc.fallCount}, rise ${hc.riseCount}, answered failures sampled ${hc.sampleFailureShare * 100}% of ${hc.sampleProbes}); ` +
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
  if (options.seeds !== undefined && options.seeds > 1) parts.push("--seeds", String(options.seeds));
  if (options.scaleTime !== undefined && options.scaleTime !== 1)
    parts.push("--scale-time", String(options.scaleTime));
  if (options.scaleRate !== undefined && options.scaleRate !== 1)
    parts.push("--scale-rate", String(options.scaleRate));
  return parts.join(" ");
}

/** The jitter model in words ("lognormal, median 0.2 ms, sigma 1, capped at 10000 ms"), not raw JSON. */
function describeJitter(jitter: object): string {
  const j = jitter as Record<string, unknown>;
  const parts = [String(j.distribution ?? "none")];
  for (const [key, value] of Object.entries(j)) {
    if (key === "distribution") continue;
    if (key === "capMs") parts.push(`capped at ${value} ms`);
    else if (key.endsWith("Ms")) parts.push(`${key.slice(0, -2)} ${value} ms`);
    else parts.push(`${key} ${value}`);
  }
  return parts.join(", ");
}

/** The reports' file name: the scenario's name (or the compared files' names) and the seed. */
function runBaseName(files: readonly LoadedScenarioFile[], runs: number, seed: number): string {
  return runs > 1
    ? `${safeName(files.map((f) => f.name).join("-vs-"))}-seed${seed}`
    : `${safeName(files[0]!.scenarios[0]!.name)}-seed${seed}`;
}
