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
 * Every row runs the code as it ships: an esbuild bundle of bench/sim-bench-child.ts built with the
 * router artifact's options (minified, names kept: deploy/artifacts/build-router-artifacts.ts),
 * cached by simulator/run/worker-bundle.ts. One more row runs the code alone from the sources
 * under tsx, as `failover simulate` and the tests do, for comparison (`--tsx`: every row both ways).
 *
 *   npm run bench:sim                       # 10, 30, 60 minutes, the engine alone, the code alone
 *   npm run bench:sim -- --minutes 10       # just one duration
 */
import { spawnSync } from "node:child_process";
import { availableParallelism, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { cachedBundle } from "../simulator/run/worker-bundle.ts";
import type { ChildReport, Mode } from "./sim-bench-child.ts";

/** How a row's code was loaded: the bundle (what counts) or the TypeScript sources through tsx. */
type Build = "bundle" | "tsx";

interface Row extends ChildReport {
  build: Build;
}

const CHILD = join(dirname(fileURLToPath(import.meta.url)), "sim-bench-child.ts");
/** The code alone from the sources: 10 minutes' requests are enough to compare per request. */
const TSX_FLOOR_MINUTES = 10;

const MODE_LABELS: Record<Mode, string> = {
  real: "real router + regions",
  engine: "engine alone (stand-ins)",
  code: "real code alone (no simulator)",
};

const args = process.argv.slice(2);
await parent();

async function parent(): Promise<void> {
  const minutesArg = args.indexOf("--minutes");
  const minutes = minutesArg >= 0 ? args[minutesArg + 1]!.split(",").map(Number) : [10, 30, 60];
  const everyRowFromSources = args.includes("--tsx");
  const bundle = await cachedBundle(CHILD, "sim-bench-child", { minify: true, keepNames: true });
  const reports: Row[] = [];
  const runs: [Mode, number, Build][] = [
    ...minutes.map((m) => ["real", m, "bundle"] as [Mode, number, Build]),
    ["engine", 60, "bundle"],
    ["code", 60, "bundle"],
  ];
  if (everyRowFromSources) runs.push(...runs.map(([mode, m]) => [mode, m, "tsx"] as [Mode, number, Build]));
  else runs.push(["code", TSX_FLOOR_MINUTES, "tsx"]);
  for (const [mode, m, build] of runs) {
    process.stderr.write(`running ${label(mode, build)}, ${m} virtual minutes' requests...\n`);
    const code = build === "bundle" ? [bundle] : ["--import", "tsx", CHILD];
    const child = spawnSync(
      process.execPath,
      // The young-generation size `failover simulate` runs with (see bin/failover.js).
      ["--max-semi-space-size=64", "--expose-gc", ...code, mode, String(m)],
      {
        encoding: "utf8",
        maxBuffer: 1 << 24,
      },
    );
    const line = child.stdout.trim().split("\n").pop() ?? "";
    if (child.status !== 0 || !line.startsWith("{")) {
      process.stderr.write(child.stderr);
      throw new Error(`bench child failed (${mode}, ${m} min, ${build})`);
    }
    reports.push({ ...(JSON.parse(line) as ChildReport), build });
  }
  print(reports);
}

function label(mode: Mode, build: Build): string {
  return build === "bundle" ? MODE_LABELS[mode] : `${MODE_LABELS[mode]}, tsx sources`;
}

/** CPU microseconds per request. */
function cpuUs(r: ChildReport): number {
  return (r.cpuS * 1e6) / r.requests;
}

function print(reports: Row[]): void {
  const rows = reports.map((r) => {
    const virtualS = r.minutes * 60;
    return [
      label(r.mode, r.build),
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
  for (const r of reports.filter((x) => x.mode === "real" && x.build === "bundle")) {
    const speedUp = (r.minutes * 60) / r.wallS;
    console.log(
      `\n${r.minutes} virtual min took ${r.wallS.toFixed(1)} s wall, ${r.cpuS.toFixed(1)} s CPU: ${speedUp.toFixed(1)}x real time ` +
        `(target: 100x, one virtual hour in 36 s; the engine alone in the same run: ` +
        `${engineSpeedUp(reports)})`,
    );
  }
  const code = reports.find((r) => r.mode === "code" && r.build === "bundle");
  if (code) {
    const usPerRequest = (code.wallS * 1e6) / code.requests;
    console.log(
      `the real router and region code alone, with no simulator, took ${code.wallS.toFixed(1)} s for ` +
        `${code.minutes} minutes' requests (${usPerRequest.toFixed(1)} us each; ${cpuUs(code).toFixed(1)} us CPU, ` +
        `target 5 us): no simulator that runs this code on one core can do better than ` +
        `${((code.minutes * 60) / code.wallS).toFixed(0)}x`,
    );
    const sources = reports.find((r) => r.mode === "code" && r.build === "tsx");
    if (sources) {
      console.log(
        `the same code from the sources under tsx: ${cpuUs(sources).toFixed(1)} us CPU per request ` +
          `(${(cpuUs(sources) / cpuUs(code)).toFixed(2)}x the bundle's; over ${sources.minutes} minutes' requests ` +
          `against ${code.minutes}, so with a larger share of JIT warm-up)`,
      );
    }
    // Issue 18 item 2: what the simulator adds per request (events, hops, clients, recorder,
    // replication, health checks) against what the code alone costs, both in CPU time and both
    // from the same build.
    for (const r of reports.filter((x) => x.mode === "real")) {
      const floor = reports.find((x) => x.mode === "code" && x.build === r.build) ?? code;
      const suffix = r.build === "bundle" ? "" : " (tsx sources)";
      console.log(
        `${r.minutes} min with the simulator${suffix}: ${cpuUs(r).toFixed(1)} us CPU per request, so the simulator's own ` +
          `cost is ${(cpuUs(r) - cpuUs(floor)).toFixed(1)} us (target: at or below the code's ${cpuUs(floor).toFixed(1)} us)`,
      );
    }
  }
  const [load] = loadavg();
  console.log(
    `load average at the end: ${load?.toFixed(2)} on ${availableParallelism()} cores (other work on the machine inflates wall time)`,
  );
}

/** The engine-alone row's speed-up, the baseline the real-code runs are set against. */
function engineSpeedUp(reports: readonly { mode: string; minutes: number; wallS: number }[]): string {
  const engine = reports.find((r) => r.mode === "engine");
  return engine ? `${((engine.minutes * 60) / engine.wallS).toFixed(1)}x` : "not run";
}
