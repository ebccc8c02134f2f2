import { degradedService } from "../capacity/degraded-service.ts";
import { analyseFaults, detectionLookbackMs, falseFailovers, round3 } from "../report/failover-analysis.ts";
import { checkLostWrites, type LostWrite } from "../report/lost-writes.ts";
import type { ScenarioResult } from "../report/result.ts";
import { ZOOM_BUCKET_MS } from "../report/run-recorder.ts";
import type { ResolvedScenario } from "../scenario/resolved-scenario.ts";
import { checkExpectations } from "./expectations.ts";
import { describeParameters } from "./parameters.ts";
import { runSeeds } from "./seeds.ts";
import { Simulation, type WireMode } from "./simulation.ts";

export interface RunOptions {
  seed: number;
  /** Share of virtual time done, 0..1 (progress bars). */
  onProgress?: (done: number) => void;
  /** How HTTP objects cross the simulated network (simulation.ts); "light" unless a test compares. */
  wire?: WireMode;
  /** Called with the simulation before it runs (to attach RunRecorder.onRecord, say). */
  beforeRun?: (sim: Simulation) => void;
  /** Called once the run is over, with the whole simulation (figures the JSON result does not carry). */
  inspect?: (sim: Simulation) => void;
}

export interface RunOutcome {
  result: ScenarioResult;
  /** Every lost write (the JSON lists the first ones; outputs.ts writes these to NDJSON). */
  lostWrites: LostWrite[];
  /** Wall-clock facts for the terminal only (never in the JSON). */
  wall: { seconds: number; eventsPerS: number; requestsPerS: number; speedup: number };
}

/** Runs one resolved scenario with one seed and checks what happened. */
export async function runScenario(scenario: ResolvedScenario, options: RunOptions): Promise<RunOutcome> {
  const sim = new Simulation(scenario, options.seed, options.wire);
  options.beforeRun?.(sim);
  const startedAt = performance.now();
  const { unhandledRejections, realTimerCalls } = await sim.run(options.onProgress);
  const wallS = (performance.now() - startedAt) / 1000;
  const { result, lostWrites } = await buildResult(sim, unhandledRejections, realTimerCalls);
  options.inspect?.(sim);
  return {
    result,
    lostWrites,
    wall: {
      seconds: wallS,
      eventsPerS: sim.engine.eventsRun / wallS,
      requestsPerS: (sim.recorder.ok + sim.recorder.failed) / wallS,
      speedup: sim.totalMs / 1000 / wallS,
    },
  };
}

async function buildResult(
  sim: Simulation,
  unhandledRejections: string[],
  realTimerCalls: number,
): Promise<{ result: ScenarioResult; lostWrites: LostWrite[] }> {
  const { scenario, recorder, system } = sim;
  const { all: allLost, ...lostWrites } = await checkLostWrites(
    sim.ledger,
    system.cells,
    sim.promotions,
    scenario.faults,
  );
  const replication = system.cells.map((cell) => {
    const active = cell.control.current()?.activeRegion ?? cell.activeAtStart;
    const standby = [...cell.regions.keys()].find((r) => r !== active)!;
    return {
      cell: cell.index,
      active,
      activeHeadSeq: cell.regions.get(active)!.store.headSeq,
      standbyHeadSeq: cell.regions.get(standby)!.store.headSeq,
    };
  });
  const caughtUp = replication.every((r) => r.activeHeadSeq === r.standbyHeadSeq);
  const { faults: failover, otherOutages } = analyseFaults(
    scenario,
    scenario.faults,
    sim.observer.sorted(),
    sim.dns?.events ?? [],
    sim.promotions,
    recorder.disruptions,
    (cell, atMs) => sim.activeAt(cell, atMs),
    lostWrites.byPromotion,
  );
  const falses = falseFailovers(sim.promotions, scenario.faults, detectionLookbackMs(scenario));
  const total = recorder.ok + recorder.failed;
  const invariants: string[] = [];
  if (sim.splitBrain.count > 0) {
    invariants.push(
      `split brain: ${sim.splitBrain.count} write(s) acknowledged in an epoch after another region's first acknowledged write in a later epoch`,
    );
  }
  if (lostWrites.unexplained > 0) {
    invariants.push(
      `${lostWrites.unexplained} acknowledged write(s) lost that replication lag does not explain`,
    );
  }
  // Sync mode acknowledges a write once the standby holds it; only writes acknowledged as
  // "degraded" (the standby unreachable, degrade-to-async) may be lost.
  const lostConfirmed = lostWrites.lost - lostWrites.lostDegraded;
  if (scenario.config.replication.mode === "sync" && lostConfirmed > 0) {
    invariants.push(
      `${lostConfirmed} write(s) lost that synchronous replication had confirmed on the standby`,
    );
  }
  if (!caughtUp)
    invariants.push(`replication had not caught up ${scenario.settleS} s after every fault healed`);
  const warnings = unhandledRejections.map((r) => `unhandled rejection in simulated code: ${r}`);
  if (realTimerCalls > 0) {
    warnings.push(
      `simulated code set ${realTimerCalls} real timer(s) (setTimeout/setImmediate): that work ran outside virtual time`,
    );
  }

  const result: ScenarioResult = {
    scenario: {
      file: scenario.file,
      name: scenario.name,
      label: scenario.label,
      description: scenario.description,
      environment: scenario.environment,
      topology: scenario.topology,
      failoverBy: scenario.failoverBy,
      durationS: scenario.durationS,
      settleS: scenario.settleS,
      seed: sim.seed,
      seeds: runSeeds(scenario, sim.seed),
      parameters: describeParameters(scenario),
    },
    latencyTable: { name: scenario.latencyTable.name, pairs: usedPairs(sim) },
    faults: scenario.faults.map((f) => ({
      index: f.index,
      kind: f.kind,
      label: f.label,
      startS: f.startMs / 1000,
      endS: f.endMs / 1000,
      ...(f.domain !== undefined ? { domain: f.domain } : {}),
    })),
    phases: sim.phases.map((p, i) => {
      const counts = recorder.phaseCounts(i);
      const n = counts.ok + counts.failed;
      return {
        name: p.name,
        fromS: p.fromMs / 1000,
        toS: p.toMs / 1000,
        ...counts,
        successRate: n ? round6(counts.ok / n) : null,
      };
    }),
    latency: sim.locations.map((location, l) => ({
      location,
      phases: Object.fromEntries(
        sim.phases.flatMap((p, i) => {
          const summary = recorder.latency(l, i);
          return summary ? [[p.name, summary]] : [];
        }),
      ),
      all: recorder.latency(l, -1),
    })),
    requests: {
      sent: total,
      ok: recorder.ok,
      failed: recorder.failed,
      successRate: total ? round6(recorder.ok / total) : null,
      readsNotFound: recorder.readsNotFound,
      byStatus: Object.fromEntries([...recorder.statusCounts].sort(([a], [b]) => (a < b ? -1 : 1))),
    },
    timeline: timelineOf(sim),
    zoom: zoomOf(sim),
    activeRegion: [
      ...system.cells.map((c) => ({
        atS: 0,
        cell: c.index,
        region: c.activeAtStart,
        epoch: 1,
        cause: "start" as const,
      })),
      ...sim.promotions.map((p) => ({
        atS: round3(p.atMs / 1000),
        cell: p.cell,
        region: p.to,
        epoch: p.toEpoch,
        cause: p.cause,
      })),
    ],
    failover,
    otherOutages,
    promotions: sim.promotions.map((p) => ({
      atS: round3(p.atMs / 1000),
      cell: p.cell,
      from: p.from,
      to: p.to,
      epoch: p.toEpoch,
      cause: p.cause,
      reason: p.reason,
      replicationLagEntries: p.oldActiveHeadSeq - p.newActiveHeadSeq,
    })),
    controlPlane: system.cells.map((cell) => ({
      cell: cell.index,
      replicas: [...cell.controlPlane.stats.values()].map(({ quorumMsTotal, ...stats }) => ({
        ...stats,
        quorumMsMean: stats.answered > 0 ? round3(quorumMsTotal / stats.answered) : null,
      })),
    })),
    falseFailovers: falses,
    lostWrites,
    splitBrain: { count: sim.splitBrain.count, violations: sim.splitBrain.violations },
    replication: { caughtUp, cells: replication },
    expectations: [],
    invariants: { ok: invariants.length === 0, violations: invariants },
    warnings,
    simulation: {
      eventsRun: sim.engine.eventsRun,
      requestsDelivered: sim.network.deliveredCount,
      writesSent: sim.ledger.size,
    },
  };
  if (scenario.capacity && sim.network.capacity) {
    result.capacity = {
      ...sim.network.capacity.report(),
      clientRetries: sim.clients.reduce((sum, c) => sum + c.retriesSent, 0),
      degraded: degradedService(result.timeline, scenario.capacity.slo, scenario.durationS),
    };
  }
  result.expectations = checkExpectations(scenario.expect, result);
  return { result, lostWrites: allLost };
}

function zoomOf(sim: Simulation): ScenarioResult["zoom"] {
  return sim.recorder.zooms.map((z, i) => ({
    fault: sim.scenario.faults[i]!.index,
    fromS: z.fromMs / 1000,
    bucketS: ZOOM_BUCKET_MS / 1000,
    locations: sim.locations.map((location, l) => ({
      location,
      slowestMs: [...z.slowestMs[l]!].map((v) => (Number.isNaN(v) ? null : Math.round(v * 1000) / 1000)),
      ok: [...z.ok[l]!],
      failed: [...z.failed[l]!],
    })),
  }));
}

function timelineOf(sim: Simulation): ScenarioResult["timeline"] {
  const bucketS = sim.recorder.options.chartBucketMs / 1000;
  const clean = (values: number[], digits: number) =>
    values.map((v) => (Number.isNaN(v) ? null : Math.round(v * 10 ** digits) / 10 ** digits));
  return {
    bucketS,
    locations: sim.locations.map((location, l) => {
      const series = sim.recorder.chartSeries(l);
      return {
        location,
        p50Ms: clean(series.p50Ms, 3),
        p99Ms: clean(series.p99Ms, 3),
        successRate: clean(series.successRate, 5),
      };
    }),
  };
}

function usedPairs(sim: Simulation): ScenarioResult["latencyTable"]["pairs"] {
  const { scenario } = sim;
  const locations = new Set<string>([
    ...scenario.clients.map((c) => c.location),
    ...scenario.routers.map((r) => r.location),
    ...scenario.config.regions.map((r) => r.location),
    ...(scenario.failoverBy === "dns" ? scenario.dns.checkers : []),
  ]);
  const sorted = [...locations].sort();
  const pairs: ScenarioResult["latencyTable"]["pairs"] = [];
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i; j < sorted.length; j++) {
      const rt = scenario.latencyTable.find(sorted[i]!, sorted[j]!);
      if (rt) pairs.push({ a: sorted[i]!, b: sorted[j]!, rttMs: rt.rttMs, source: rt.source });
    }
  }
  return pairs;
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
