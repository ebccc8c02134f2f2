import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { stringify } from "yaml";
import type { ScenarioResult } from "../../simulator/report/result.ts";
import { runScenario } from "../../simulator/run/run-scenario.ts";
import { parseScenarioText, SCENARIOS_DIR } from "../../simulator/scenario/load-scenario.ts";
import type { StackOptions } from "../../stack/start-stack.ts";

/**
 * Runs the live failover run's outage again in the simulator (same environment, latency table,
 * client location, rate, write share, fault timing and replication mode) and prints the two
 * side by side, with the simulator's figure as a ratio of the live one. A ratio near 1 means
 * the simulator predicts what the real sockets did.
 */
export interface LiveRun {
  summaryFile: string;
  stack: StackOptions;
  durationS: number;
  ratePerS: number;
  faultAtS: number;
  faultForS: number;
  /** Measured on the live stack: fault injected to control record changed. */
  promoteAfterFaultMs: number | undefined;
  log: (line: string) => void;
}

interface Row {
  figure: string;
  liveMs: number | null;
  simMs: number | null;
}

export async function compareWithSimulator(run: LiveRun): Promise<Row[]> {
  const live = JSON.parse(readFileSync(run.summaryFile, "utf8")) as { metrics: Record<string, K6Metric> };
  const { result: sim, firstAckByStandbyMs } = await simulateSameOutage(run);
  const location = run.stack.clientLocation;
  const simLatency = sim.latency.find((l) => l.location === location)?.phases ?? {};
  const phase = (prefix: string) => Object.entries(simLatency).find(([name]) => name.startsWith(prefix))?.[1];
  const rows: Row[] = [];
  for (const name of ["before", "during", "after"]) {
    const k6 = live.metrics[`http_req_duration{phase:${name}}`]?.values;
    const simulated = phase(name);
    rows.push({ figure: `p50 ${name}`, liveMs: k6?.med ?? null, simMs: simulated?.p50Ms ?? null });
    rows.push({
      figure: `p95 ${name}`,
      liveMs: k6?.["p(95)"] ?? null,
      simMs: simulated ? p95Of(simulated) : null,
    });
  }
  const cell = sim.failover[0]?.cells[0];
  // Fault to promotion: the control record names the standby (detection + compare-and-set).
  rows.push({
    figure: "time to promote",
    liveMs: run.promoteAfterFaultMs ?? null,
    simMs: cell?.promoteS === undefined ? null : cell.promoteS * 1000,
  });
  // Fault to the first write acknowledged by the new active region, as the client saw it:
  // measured in the run (the promotion, the wait for the old active's lease, and a sync write's
  // wait for a standby that is gone all included), not the promotion plus one round trip.
  rows.push({
    figure: "time to recover",
    liveMs: live.metrics.time_to_recover_ms?.values.max ?? null,
    simMs: firstAckByStandbyMs ?? null,
  });
  const liveErrors = live.metrics["http_req_failed{idempotent:yes}"]?.values.passes ?? 0;
  printTable(rows, run, liveErrors, sim.requests.failed);
  const out = join(dirname(run.summaryFile), "compare-sim.json");
  writeFileSync(
    out,
    JSON.stringify({ rows, errors: { live: liveErrors, sim: sim.requests.failed } }, null, 2),
  );
  run.log(`comparison written to ${out}`);
  return rows;
}

interface K6Metric {
  values: Record<string, number>;
}

async function simulateSameOutage(
  run: LiveRun,
): Promise<{ result: ScenarioResult; firstAckByStandbyMs: number | undefined }> {
  const { config } = run.stack;
  const standby = config.regions.find((r) => r.name !== config.initialActive)!;
  const routerLocation = config.regions.find((r) => r.name === config.initialActive)!.location;
  const scenario = {
    name: "live-comparison",
    description: "The live failover load test's outage, simulated (failover loadtest --compare-sim).",
    environment: config.name,
    durationS: run.durationS,
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
        ratePerS: run.ratePerS,
        writeShare: 0.3,
        arrival: "uniform",
        router: "live-edge",
      },
    ],
    faults: [
      { kind: "region-down", region: config.initialActive, startS: run.faultAtS, durationS: run.faultForS },
    ],
  };
  const loaded = parseScenarioText(stringify(scenario), "live-comparison.yaml", SCENARIOS_DIR);
  const [resolved] = loaded.scenarios;
  if (!resolved) throw new Error("could not build the comparison scenario");
  run.log(
    `simulating the same outage (${config.initialActive} down at ${run.faultAtS} s, ${standby.name} standby)...`,
  );
  const faultAtMs = run.faultAtS * 1000;
  let firstAckByStandbyMs: number | undefined;
  const { result } = await runScenario(resolved, {
    seed: 1,
    inspect: (sim) => {
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
  return { result, firstAckByStandbyMs };
}

function p95Of(summary: { p90Ms: number; p99Ms: number }): number {
  // The simulator reports p90 and p99; p95 lies between them (linear estimate).
  return summary.p90Ms + (summary.p99Ms - summary.p90Ms) * (5 / 9);
}

function printTable(rows: Row[], run: LiveRun, liveErrors: number, simErrors: number): void {
  const fmt = (v: number | null) => (v === null ? "-" : v.toFixed(1));
  const lines = [
    `\nlive stack vs simulator: clients in ${run.stack.clientLocation}, ${run.ratePerS}/s, ${run.stack.config.replication.mode} replication`,
    `  ${"figure".padEnd(20)} ${"live ms".padStart(9)} ${"sim ms".padStart(9)} ${"sim/live".padStart(9)}`,
  ];
  for (const r of rows) {
    const ratio = r.liveMs && r.simMs !== null ? (r.simMs / r.liveMs).toFixed(2) : "-";
    lines.push(
      `  ${r.figure.padEnd(20)} ${fmt(r.liveMs).padStart(9)} ${fmt(r.simMs).padStart(9)} ${ratio.padStart(9)}`,
    );
  }
  lines.push(
    `  ${"failed idempotent".padEnd(20)} ${String(liveErrors).padStart(9)} ${String(simErrors).padStart(9)}`,
  );
  process.stdout.write(`${lines.join("\n")}\n`);
}
