/**
 * `npm run bench:sim`: how fast the simulator runs the real router and regions.
 *
 * One hour of virtual time at 1,000 requests/s (700 from Virginia, 300 from Ireland, 5% writes,
 * asynchronous replication, one edge router per location, the production policy) with the real
 * router and region code in the loop; also 10 and 30 virtual minutes, each in its own process so
 * peak RSS is its own. Memory is sampled (after a full GC) every 5 virtual minutes: the
 * simulator keeps histograms and fixed-size arrays, not samples, so what grows is the data the
 * simulated regions store (every write, in both regions, plus its replication log), shown apart.
 * Two more rows show where the time goes: the engine and network alone with stand-in apps (the
 * simulator's own ceiling), and the real router and region code alone with no simulator at all
 * (bench/real-code-floor.ts: a floor no simulator running that code on one core can go below).
 *
 * Target (issue 4 (docs/issues.md)): one virtual hour in under 36 s on a 2-core machine (100x real time).
 *
 *   npm run bench:sim                       # 10, 30, 60 minutes, the engine alone, the code alone
 *   npm run bench:sim -- --minutes 10       # just one duration
 */
import { spawnSync } from "node:child_process";
import { availableParallelism, loadavg } from "node:os";
import { fileURLToPath } from "node:url";

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

type Mode = "real" | "engine" | "code";

const MODE_LABELS: Record<Mode, string> = {
  real: "real router + regions",
  engine: "engine alone (stand-ins)",
  code: "real code alone (no simulator)",
};

interface ChildReport {
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

const args = process.argv.slice(2);
if (args[0] === "--child") {
  const minutes = Number(args[2]);
  const report =
    args[1] === "engine"
      ? await engineOnly(minutes)
      : args[1] === "code"
        ? await codeAlone(minutes)
        : await realSystem(minutes);
  process.stdout.write(`${JSON.stringify(report)}\n`);
} else {
  await parent();
}

async function parent(): Promise<void> {
  const minutesArg = args.indexOf("--minutes");
  const minutes = minutesArg >= 0 ? args[minutesArg + 1]!.split(",").map(Number) : [10, 30, 60];
  const self = fileURLToPath(import.meta.url);
  const reports: ChildReport[] = [];
  const runs: [Mode, number][] = [
    ...minutes.map((m) => ["real", m] as [Mode, number]),
    ["engine", 60],
    ["code", 60],
  ];
  for (const [mode, m] of runs) {
    process.stderr.write(`running ${MODE_LABELS[mode]}, ${m} virtual minutes' requests...\n`);
    const child = spawnSync(
      process.execPath,
      // The young-generation size `failover simulate` runs with (see bin/failover.js).
      ["--max-semi-space-size=64", "--expose-gc", "--import", "tsx", self, "--child", mode, String(m)],
      {
        encoding: "utf8",
        maxBuffer: 1 << 24,
      },
    );
    const line = child.stdout.trim().split("\n").pop() ?? "";
    if (child.status !== 0 || !line.startsWith("{")) {
      process.stderr.write(child.stderr);
      throw new Error(`bench child failed (${mode}, ${m} min)`);
    }
    reports.push(JSON.parse(line) as ChildReport);
  }
  print(reports);
}

function print(reports: ChildReport[]): void {
  const rows = reports.map((r) => {
    const virtualS = r.minutes * 60;
    return [
      MODE_LABELS[r.mode],
      `${r.minutes} min`,
      r.requests.toLocaleString("en-US"),
      `${r.wallS.toFixed(1)} s`,
      `${r.cpuS.toFixed(1)} s`,
      Math.round(r.requests / r.wallS).toLocaleString("en-US"),
      Math.round(r.requests / r.cpuS).toLocaleString("en-US"),
      `${(virtualS / r.wallS).toFixed(1)}x`,
      `${r.maxRssMb} MB`,
      r.mode === "real" ? `${r.samples.at(-1)?.heapMb ?? "-"} MB` : "-",
      r.mode === "real" ? `${r.storeMb} MB (${r.items.toLocaleString("en-US")} items)` : "-",
    ];
  });
  const header = [
    "system",
    "virtual",
    "requests",
    "wall",
    "CPU",
    "sim req/wall s",
    "sim req/CPU s",
    "speed-up (wall)",
    "peak RSS",
    "heap after GC",
    "of which stores",
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ");
  console.log(line(header));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const r of rows) console.log(line(r));
  for (const r of reports.filter((x) => x.mode === "real")) {
    const samples = r.samples.map((s) => `${s.minute}m ${s.heapMb}/${s.rssMb}`).join(", ");
    console.log(
      `\n${r.minutes} min: heap/RSS MB after GC every 5 virtual minutes: ${samples}; success ${(r.successRate * 100).toFixed(3)}%`,
    );
  }
  const hour = reports.find((r) => r.mode === "real" && r.minutes === 60);
  if (hour) {
    console.log(
      `\none virtual hour took ${hour.wallS.toFixed(1)} s wall, ${hour.cpuS.toFixed(1)} s CPU (target: under 36 s, 100x real time)`,
    );
  }
  const code = reports.find((r) => r.mode === "code");
  if (code) {
    const usPerRequest = (code.wallS * 1e6) / code.requests;
    const cpuUsPerRequest = (code.cpuS * 1e6) / code.requests;
    console.log(
      `the real router and region code alone, with no simulator, took ${code.wallS.toFixed(1)} s for ` +
        `${code.minutes} minutes' requests (${usPerRequest.toFixed(1)} us each; ${cpuUsPerRequest.toFixed(1)} us CPU, ` +
        `target 5 us): no simulator that runs this code on one core can do better than ` +
        `${((code.minutes * 60) / code.wallS).toFixed(0)}x`,
    );
    // Issue 18 item 2: what the simulator adds per request (events, hops, clients, recorder,
    // replication, health checks) against what the code alone costs, both in CPU time.
    for (const r of reports.filter((x) => x.mode === "real")) {
      const realUs = (r.cpuS * 1e6) / r.requests;
      console.log(
        `${r.minutes} min with the simulator: ${realUs.toFixed(1)} us CPU per request, so the simulator's own ` +
          `cost is ${(realUs - cpuUsPerRequest).toFixed(1)} us (target: at or below the code's ${cpuUsPerRequest.toFixed(1)} us)`,
      );
    }
  }
  const [load] = loadavg();
  console.log(
    `load average at the end: ${load?.toFixed(2)} on ${availableParallelism()} cores (other work on the machine inflates wall time)`,
  );
}

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
  const { parseScenarioText } = await import("../simulator/scenario/load-scenario.ts");
  const { Simulation } = await import("../simulator/run/simulation.ts");
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
  const { seededRandom } = await import("../core/random.ts");
  const { SimEngine } = await import("../simulator/engine/engine.ts");
  const { FaultState } = await import("../simulator/faults/fault-state.ts");
  const { LinkModel } = await import("../simulator/latency/link.ts");
  const { loadLatencyTable } = await import("../simulator/latency/load-latency-table.ts");
  const { SimNetwork } = await import("../simulator/transport/sim-network.ts");
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
  type Ep = import("../simulator/transport/endpoint.ts").Endpoint;
  const answer = new Response("ok");
  const region: Ep = {
    id: "prod-us",
    kind: "region",
    location: "virginia",
    name: "prod-us",
    fetch: async () => answer,
  };
  const edge: Ep = {
    id: "edge",
    kind: "router",
    location: "virginia",
    name: "edge",
    fetch: (request) =>
      net.send(edge, region, request, { connectTimeoutMs: 1000, responseTimeoutMs: 10_000 }),
  };
  const client: Ep = { id: "client", kind: "client", location: "virginia", name: "client" };
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
  const { realCodeFloor } = await import("./real-code-floor.ts");
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
