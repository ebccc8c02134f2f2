import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { stringify } from "yaml";
import type { CapacitySpec } from "../../simulator/capacity/capacity-schema.ts";
import { isDetection } from "../../simulator/report/router-observer.ts";
import { runScenario } from "../../simulator/run/run-scenario.ts";
import { parseScenarioText, SCENARIOS_DIR } from "../../simulator/scenario/load-scenario.ts";
import type { StackOptions } from "../../stack/start-stack.ts";
import { SATURATE_S } from "../lib/calibration-timing.ts";
import { TOTAL_WRITE_SHARE } from "../lib/traffic-mix.ts";
import { type Calibration, calibrateCapacity, type ReadQuartiles } from "./calibrate-capacity.ts";
import {
  k6Samples,
  LATENCY_ROWS,
  latencyFigures,
  type PhaseMix,
  phaseMix,
  quantileMs,
  type RequestSample,
  simulatedSample,
} from "./compare-rows.ts";
import type { StackProcessFigures } from "./run-loadtest.ts";

/**
 * Runs the live failover run's outage again in the simulator (same environment, latency table,
 * client location, rate, write share, fault timing and replication mode), with a capacity
 * model calibrated from the same run's calibration phase (calibrate-capacity.ts), and prints the
 * two side by side, the simulator's figure as a ratio of the live one. The latency rows come
 * from single requests on both sides by one definition (compare-rows.ts). The simulator runs
 * SIM_SEEDS times, the fault shifted by a different share of the gap between two arrivals each
 * time (live, where the fault falls between two requests is chance): latency rows pool the
 * seeds' requests; promotion and first write give the median and the range over seeds.
 */
export interface LiveRun {
  summaryFile: string;
  /** k6's JSON output: every request. */
  requestsFile: string;
  stack: StackOptions;
  durationS: number;
  ratePerS: number;
  faultAtS: number;
  faultForS: number;
  /** The machine's load averages (1, 5, 15 min) as k6 started and as it ended. */
  loadAverage: { atStart: number[]; atEnd: number[] };
  /** The stack's process while k6 ran (run-loadtest.ts). */
  stackProcess?: StackProcessFigures;
  /** Measured on the live stack: fault injected to the router adopting the promoted record. */
  promoteAfterFaultMs: number | undefined;
  /** The live router's reason for it. */
  promotedBecause?: string | undefined;
  /** Fault to the live router's first detection (the rest of the promotion is the compare-and-set). */
  detectAfterFaultMs?: number | undefined;
  log: (line: string) => void;
}

export interface Row {
  figure: string;
  liveMs: number | null;
  simMs: number | null;
  /** Over the seeds (promotion, first write): the simulator's smallest and largest figure. */
  simRangeMs?: [number, number];
}

export const SIM_SEEDS = 10;
/** Idle reads in the simulator: one every 200 ms, so none waits for another (as k6's one VU). */
const IDLE_RATE_PER_S = 5;
const IDLE_DURATION_S = 30;

export async function compareWithSimulator(run: LiveRun): Promise<Row[]> {
  const summary = JSON.parse(readFileSync(run.summaryFile, "utf8")) as { metrics: Record<string, K6Metric> };
  const calibration = await calibrateFromRun(run, summary.metrics);
  run.log(
    `calibration: router pool ${calibration.concurrency} workers, service lognormal median ` +
      `${calibration.serviceMedianMs} ms sigma ${calibration.serviceSigma} (mean ${calibration.serviceMeanMs} ms; ` +
      `back to back ${calibration.busyServiceMeanMs} ms; saturation ${calibration.saturationPerS} reads/s)`,
  );
  const liveSamples = k6Samples(readFileSync(run.requestsFile, "utf8"));
  const live = latencyFigures(liveSamples);
  const liveBefore = phaseMix(liveSamples, "before", TOTAL_WRITE_SHARE);
  run.log(`simulating the same outage with ${SIM_SEEDS} seeds...`);
  const sims = [];
  for (let seed = 1; seed <= SIM_SEEDS; seed++)
    sims.push(await simulateSameOutage(run, calibration.capacity, seed));
  const simulated = latencyFigures(sims.flatMap((s) => s.samples));
  const rows: Row[] = LATENCY_ROWS.map((r) => ({
    figure: r.figure,
    liveMs: live.get(r.figure) ?? null,
    simMs: simulated.get(r.figure) ?? null,
  }));
  // Not a row the issue asks for: it splits promotion into detection and the compare-and-set.
  rows.push(
    overSeeds(
      "time to detect",
      run.detectAfterFaultMs,
      sims.map((s) => s.detectMs),
    ),
  );
  rows.push(
    overSeeds(
      "time to promote",
      run.promoteAfterFaultMs,
      sims.map((s) => s.promoteMs),
    ),
  );
  const liveRecover = summary.metrics.time_to_recover_ms?.values.max;
  rows.push(
    overSeeds(
      "time to recover",
      liveRecover,
      sims.map((s) => s.firstAckByStandbyMs),
    ),
  );
  const liveErrors = summary.metrics["http_req_failed{idempotent:yes}"]?.values.passes ?? 0;
  const simErrors = sims.reduce((n, s) => n + s.failed, 0);
  printTable(rows, run, calibration, liveErrors, simErrors);
  run.log(describeMix(liveBefore, calibration));
  // Which detector fired decides the promotion's time (passive trip: ms; three fast probes: ~200 ms).
  run.log(`live promotion: ${run.promotedBecause ?? "-"}`);
  run.log(`simulated promotion (seed 1): ${sims[0]?.promotedBecause ?? "-"}`);
  const out = join(dirname(run.summaryFile), "compare-sim.json");
  writeFileSync(
    out,
    JSON.stringify(
      {
        rows,
        calibration,
        liveBefore,
        loadAverage: run.loadAverage,
        stackProcess: run.stackProcess,
        seeds: SIM_SEEDS,
        errors: { live: liveErrors, simPerSeed: simErrors / SIM_SEEDS },
      },
      null,
      2,
    ),
  );
  run.log(`comparison written to ${out}`);
  return rows;
}

interface K6Metric {
  values: Record<string, number>;
}

/**
 * The live "before" window's draw: its write share (the script sends TOTAL_WRITE_SHARE) puts
 * the mix's p50 on a different read each run; its reads beside the calibration's spaced reads
 * (alike when the traffic's writes, replication and probes do not slow the reads).
 */
function describeMix(mix: PhaseMix, calibration: Calibration): string {
  const ms = (v: number | null) => (v === null ? "-" : v.toFixed(2));
  const { spacedReadsMs } = calibration;
  return (
    `live before: ${mix.requests} requests, write share ${mix.writeShare.toFixed(3)} (sent: ${TOTAL_WRITE_SHARE.toFixed(3)}), ` +
    `so its p50 is the reads' p${Math.round(mix.p50AtReadQuantile * 100)} (at the sent share: ${ms(mix.p50AtSentShareMs)} ms); ` +
    `reads p50 / p75 ${ms(mix.readP50Ms)} / ${ms(mix.readP75Ms)} ms ` +
    `(calibration's spaced reads ${ms(spacedReadsMs.p50Ms)} / ${ms(spacedReadsMs.p75Ms)} ms)`
  );
}

/** The calibration phase's figures (k6 summary) against the simulator's idle reads. */
async function calibrateFromRun(run: LiveRun, metrics: Record<string, K6Metric>): Promise<Calibration> {
  const idle = metrics.calibration_idle_ms?.values;
  const spaced = metrics.calibration_spaced_ms?.values;
  const saturate = metrics.calibration_saturate_requests?.values;
  if (!idle || !spaced || !saturate)
    throw new Error(`${run.summaryFile}: no calibration figures (was the script run with CALIBRATE=1?)`);
  const simIdle = await simulateIdleReads(run);
  return calibrateCapacity({
    liveIdle: { p25Ms: idle["p(25)"]!, p50Ms: idle.med!, p75Ms: idle["p(75)"]! },
    liveSpaced: { p25Ms: spaced["p(25)"]!, p50Ms: spaced.med!, p75Ms: spaced["p(75)"]! },
    simIdle,
    saturation: { requests: saturate.count!, durationS: SATURATE_S },
  });
}

async function simulateIdleReads(run: LiveRun): Promise<ReadQuartiles> {
  const latencies: number[] = [];
  await runScenario(comparisonScenario(run, { idle: true }), {
    seed: 1,
    beforeRun: (sim) => {
      sim.recorder.onRecord = (_location, _sendMs, latencyMs, ok) => {
        if (ok) latencies.push(latencyMs);
      };
    },
  });
  latencies.sort((a, b) => a - b);
  return {
    p25Ms: quantileMs(latencies, 0.25) ?? 0,
    p50Ms: quantileMs(latencies, 0.5) ?? 0,
    p75Ms: quantileMs(latencies, 0.75) ?? 0,
  };
}

interface SimOutcome {
  samples: RequestSample[];
  promoteMs: number | undefined;
  promotedBecause: string | undefined;
  detectMs: number | undefined;
  firstAckByStandbyMs: number | undefined;
  failed: number;
}

async function simulateSameOutage(run: LiveRun, capacity: CapacitySpec, seed: number): Promise<SimOutcome> {
  const { config } = run.stack;
  const standby = config.regions.find((r) => r.name !== config.initialActive)!;
  // Seed k puts the fault (k - 0.5) / SIM_SEEDS of the way through a gap between two arrivals.
  const faultShiftMs = ((seed - 0.5) / SIM_SEEDS) * (1000 / run.ratePerS);
  const faultAtMs = run.faultAtS * 1000 + faultShiftMs;
  const samples: RequestSample[] = [];
  let firstAckByStandbyMs: number | undefined;
  let promoteMs: number | undefined;
  let promotedBecause: string | undefined;
  let detectMs: number | undefined;
  const { result } = await runScenario(comparisonScenario(run, { capacity, faultShiftMs }), {
    seed,
    beforeRun: (sim) => {
      // Phases by the live run's clock: the nominal fault time, as the k6 script tags them.
      sim.recorder.onRecord = (_location, sendMs, latencyMs, ok) =>
        samples.push(simulatedSample(sendMs, latencyMs, ok, run));
    },
    inspect: (sim) => {
      // As live: fault to the router's promotion (its compare-and-set answered, the record adopted).
      const promoted = sim.observer.sorted().find((d) => d.kind === "promote" && d.atMs >= faultAtMs);
      promoteMs = promoted ? promoted.atMs - faultAtMs : undefined;
      promotedBecause = promoted?.reason;
      const detected = sim.observer.sorted().find((d) => isDetection(d) && d.atMs >= faultAtMs);
      detectMs = detected ? detected.atMs - faultAtMs : undefined;
      for (let i = 0; i < sim.ledger.size; i++) {
        const entry = sim.ledger.entry(i);
        if (entry.ackMs === undefined || entry.ackMs < faultAtMs || entry.commit?.region !== standby.name)
          continue;
        const afterFaultMs = entry.ackMs - faultAtMs;
        if (firstAckByStandbyMs === undefined || afterFaultMs < firstAckByStandbyMs)
          firstAckByStandbyMs = afterFaultMs;
      }
    },
  });
  return {
    samples,
    promoteMs,
    promotedBecause,
    detectMs,
    firstAckByStandbyMs,
    failed: result.requests.failed,
  };
}

/**
 * The comparison's scenario: the live run's environment, table, locations, rate and fault; with
 * `idle`, reads only at an idle rate and no fault (the calibration's simulated side).
 */
function comparisonScenario(
  run: LiveRun,
  options: { idle?: boolean; capacity?: CapacitySpec; faultShiftMs?: number },
) {
  const { config } = run.stack;
  const routerLocation = config.regions.find((r) => r.name === config.initialActive)!.location;
  const scenario = {
    name: options.idle ? "live-comparison-idle" : "live-comparison",
    description: "The live failover load test's outage, simulated (failover loadtest --compare-sim).",
    environment: config.name,
    durationS: options.idle ? IDLE_DURATION_S : run.durationS,
    settleS: 5,
    // Loopback adds well under a millisecond of noise; the table's round trips dominate.
    latency: {
      table: run.stack.latency.name,
      jitter: { distribution: "lognormal", medianMs: 0.05, sigma: 0.5 },
    },
    replication: { mode: config.replication.mode },
    routers: [{ id: "live-edge", location: routerLocation }],
    clients: [
      {
        name: "k6",
        location: run.stack.clientLocation,
        ratePerS: options.idle ? IDLE_RATE_PER_S : run.ratePerS,
        // The k6 script's whole mix, its creates without an Idempotency-Key included.
        writeShare: options.idle ? 0 : TOTAL_WRITE_SHARE,
        // k6's constant-arrival-rate: one iteration every 1/rate s, whether or not earlier ones
        // were answered (open loop; maxVUs 200 is more than the outage ever holds).
        arrival: "uniform",
        router: "live-edge",
      },
    ],
    faults: options.idle
      ? []
      : [
          {
            kind: "region-down",
            region: config.initialActive,
            startS: run.faultAtS + (options.faultShiftMs ?? 0) / 1000,
            durationS: run.faultForS,
          },
        ],
    ...(options.capacity ? { capacity: options.capacity } : {}),
  };
  const loaded = parseScenarioText(stringify(scenario), "live-comparison.yaml", SCENARIOS_DIR);
  const [resolved] = loaded.scenarios;
  if (!resolved) throw new Error("could not build the comparison scenario");
  return resolved;
}

/** The live figure against the simulator's median over seeds, with the seeds' range. */
function overSeeds(figure: string, liveMs: number | undefined, simMs: (number | undefined)[]): Row {
  const values = simMs.filter((v): v is number => v !== undefined).sort((a, b) => a - b);
  const median = quantileMs(values, 0.5);
  return {
    figure,
    liveMs: liveMs ?? null,
    simMs: median,
    ...(values.length > 0
      ? { simRangeMs: [values[0]!, values[values.length - 1]!] as [number, number] }
      : {}),
  };
}

function printTable(
  rows: Row[],
  run: LiveRun,
  calibration: Calibration,
  liveErrors: number,
  simErrors: number,
): void {
  const fmt = (v: number | null) => (v === null ? "-" : v.toFixed(1));
  const load = (l: number[]) => l.map((v) => v.toFixed(2)).join(" / ");
  const { atStart, atEnd } = run.loadAverage;
  const lines = [
    `\nlive stack vs simulator: clients in ${run.stack.clientLocation}, ${run.ratePerS}/s, ` +
      `${run.stack.config.replication.mode} replication; load average (1 / 5 / 15 min) ${load(atStart)} as k6 started, ${load(atEnd)} as it ended`,
    `calibrated router pool: ${calibration.concurrency} workers, service lognormal median ${calibration.serviceMedianMs} ms, sigma ${calibration.serviceSigma}; simulator over ${SIM_SEEDS} seeds`,
    `  ${"figure".padEnd(20)} ${"live ms".padStart(9)} ${"sim ms".padStart(9)} ${"sim/live".padStart(9)}  sim range over seeds`,
  ];
  for (const r of rows) {
    const ratio = r.liveMs && r.simMs !== null ? (r.simMs / r.liveMs).toFixed(2) : "-";
    const range = r.simRangeMs ? `  ${fmt(r.simRangeMs[0])}-${fmt(r.simRangeMs[1])}` : "";
    lines.push(
      `  ${r.figure.padEnd(20)} ${fmt(r.liveMs).padStart(9)} ${fmt(r.simMs).padStart(9)} ${ratio.padStart(9)}${range}`,
    );
  }
  lines.push(
    `  ${"failed idempotent".padEnd(20)} ${String(liveErrors).padStart(9)} ${(simErrors / SIM_SEEDS).toFixed(1).padStart(9)}  (sim: mean per seed)`,
  );
  // The calibration holds for the machine as it was when it ran: a load that moved a lot since
  // (another engineer's job starting) makes the run a measurement of that, not of the model.
  const [startLoad, endLoad] = [atStart[0]!, atEnd[0]!];
  if (Math.abs(endLoad - startLoad) > 0.5 * Math.max(1, startLoad))
    lines.push(
      `  note: the 1-minute load moved from ${startLoad.toFixed(2)} to ${endLoad.toFixed(2)} during the run; the calibration describes the machine at the start: rerun on a steadier machine`,
    );
  process.stdout.write(`${lines.join("\n")}\n`);
}
