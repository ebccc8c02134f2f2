/**
 * One row of `npm run bench:sim` (bench/sim-bench.ts), run in a process of its own:
 *
 *   node <bundle of this file> real|engine|code MINUTES
 *
 * Prints the row's ChildReport as one JSON line. The parent runs it from an esbuild bundle
 * (simulator/run/worker-bundle.ts), built as the router artifact is, so the figures are the
 * built code's, not those of the sources under tsx (which also runs it, for comparison).
 */
import { seededRandom } from "../core/random.ts";
import { SimEngine } from "../simulator/engine/engine.ts";
import { FaultState } from "../simulator/faults/fault-state.ts";
import { LinkModel } from "../simulator/latency/link.ts";
import { loadLatencyTable } from "../simulator/latency/load-latency-table.ts";
import { Simulation } from "../simulator/run/simulation.ts";
import { parseScenarioText } from "../simulator/scenario/load-scenario.ts";
import type { Endpoint } from "../simulator/transport/endpoint.ts";
import { SimNetwork } from "../simulator/transport/sim-network.ts";
import { realCodeFloor } from "./real-code-floor.ts";

const SCENARIO = `
name: bench-1000rps
environment: production
durationS: 3600
settleS: 0
latency: { table: inter-region, jitter: { distribution: lognormal, medianMs: 0.2, sigma: 1 } }
clients:
  - { name: us-users, location: virginia, ratePerS: 700, writeShare: 0.05 }
  - { name: eu-users, location: ireland, ratePerS: 300, writeShare: 0.05 }
`;

export type Mode = "real" | "engine" | "code";

export interface ChildReport {
  mode: Mode;
  minutes: number;
  wallS: number;
  /** CPU seconds the run used (user + system): on a shared machine, wall time includes waiting for a core. */
  cpuS: number;
  requests: number;
  events: number;
  maxRssMb: number;
  samples: { minute: number; heapMb: number; rssMb: number }[];
  storeMb: number;
  items: number;
  successRate: number;
}

const [mode, minutesText] = process.argv.slice(2);
const minutes = Number(minutesText);
const report =
  mode === "engine"
    ? await engineOnly(minutes)
    : mode === "code"
      ? await codeAlone(minutes)
      : await realSystem(minutes);
process.stdout.write(`${JSON.stringify(report)}\n`);

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}

function memorySample(minute: number): { minute: number; heapMb: number; rssMb: number } {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return { minute, heapMb: Math.round(m.heapUsed / 1e6), rssMb: Math.round(m.rss / 1e6) };
}

async function realSystem(minutes: number): Promise<ChildReport> {
  const file = parseScenarioText(SCENARIO, "bench", process.cwd(), { scaleTime: minutes / 60 });
  const sim = new Simulation(file.scenarios[0]!, 1);
  const samples = [memorySample(0)];
  for (let m = 5; m <= minutes; m += 5)
    sim.engine.clock.at(m * 60_000 - 1, () => samples.push(memorySample(m)));
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  await sim.run();
  const wallS = (performance.now() - started) / 1000;
  const cpuS = cpuSeconds(cpu0);
  const before = memorySample(minutes).heapMb;
  let items = 0;
  for (const cell of sim.system.cells) {
    for (const region of cell.regions.values()) {
      items += region.store.size();
      await region.store.clear();
    }
  }
  const storeMb = before - memorySample(minutes).heapMb;
  const total = sim.recorder.ok + sim.recorder.failed;
  return {
    mode: "real",
    minutes,
    wallS,
    cpuS,
    requests: total,
    events: sim.engine.eventsRun,
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    samples,
    storeMb,
    items,
    successRate: sim.recorder.ok / Math.max(1, total),
  };
}

/** The same arrivals and two network hops per request, with stand-in apps instead of the real code. */
async function engineOnly(minutes: number): Promise<ChildReport> {
  const engine = new SimEngine();
  const links = new LinkModel(
    loadLatencyTable("inter-region"),
    { distribution: "lognormal", medianMs: 0.2, sigma: 1, capMs: 10_000 },
    1,
  );
  const net = new SimNetwork(
    engine.clock,
    links,
    new FaultState([]),
    { readMs: 0.5, writeMs: 1.5 },
    seededRandom(2),
  );
  const answer = new Response("ok");
  const region: Endpoint = {
    id: "prod-us",
    kind: "region",
    location: "virginia",
    name: "prod-us",
    fetch: async () => answer,
  };
  const edge: Endpoint = {
    id: "edge",
    kind: "router",
    location: "virginia",
    name: "edge",
    fetch: (request) =>
      net.send(edge, region, request, { connectTimeoutMs: 1000, responseTimeoutMs: 10_000 }),
  };
  const client: Endpoint = { id: "client", kind: "client", location: "virginia", name: "client" };
  const random = seededRandom(3);
  const request = new Request("http://items.sim/items");
  const stopMs = minutes * 60_000;
  let sent = 0;
  let ok = 0;
  const arrive = () => {
    sent++;
    net.send(client, edge, request, { connectTimeoutMs: 3000, responseTimeoutMs: 30_000 }).then(() => ok++);
    const next = engine.clock.exactMs - Math.log(1 - random.next());
    if (next < stopMs) engine.clock.at(next, arrive);
  };
  engine.clock.at(0, arrive);
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  await engine.runUntil({ untilMs: stopMs + 1000 });
  const wallS = (performance.now() - started) / 1000;
  const cpuS = cpuSeconds(cpu0);
  return {
    mode: "engine",
    minutes,
    wallS,
    cpuS,
    requests: sent,
    events: engine.eventsRun,
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    samples: [],
    storeMb: 0,
    items: 0,
    successRate: ok / Math.max(1, sent),
  };
}

/** The bench's request mix through the real router and region code, with no simulator (a floor). */
async function codeAlone(minutes: number): Promise<ChildReport> {
  const result = await realCodeFloor(minutes * 60 * 1000, 0.05);
  return {
    mode: "code",
    minutes,
    wallS: result.wallS,
    cpuS: result.cpuS,
    requests: result.requests,
    events: 0,
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    samples: [],
    storeMb: 0,
    items: 0,
    successRate: 1,
  };
}
