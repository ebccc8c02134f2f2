/**
 * `npm run bench:sweep`: the 16-cell health-check sweep (simulator/scenarios/sweep-health-checks.yaml,
 * 4 intervals x 4 fall thresholds) run serially and on worker threads, in the same process run,
 * with the ratio. Target (issue 18): >= 1.8x on 2 cores. On a shared machine the load average
 * beside each figure says how much of the machine the run had.
 *
 *   npm run bench:sweep                          # serial, then one worker per core
 *   npm run bench:sweep -- --jobs 2,4 --scale-time 0.25
 */
import { availableParallelism, loadavg } from "node:os";
import { join } from "node:path";
import { runSweep } from "../simulator/run/run-sweep.ts";
import { loadScenarioFile, SCENARIOS_DIR } from "../simulator/scenario/load-scenario.ts";

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const scaleTime = Number(option("--scale-time") ?? 1);
const jobCounts = (option("--jobs") ?? String(availableParallelism())).split(",").map(Number);
const load = { scaleTime };
const file = loadScenarioFile(join(SCENARIOS_DIR, "sweep-health-checks.yaml"), load);
const cells = file.sweep!.intervalMs.length * file.sweep!.fallCount.length;

interface Row {
  jobs: number;
  wallS: number;
  cpuS: number;
  loadBefore: number;
  loadAfter: number;
  json: string;
}

async function measure(jobs: number): Promise<Row> {
  const loadBefore = loadavg()[0]!;
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  const result = await runSweep(file, 1, undefined, { jobs, load });
  const wallS = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return {
    jobs,
    wallS,
    cpuS: (cpu.user + cpu.system) / 1e6,
    loadBefore,
    loadAfter: loadavg()[0]!,
    json: JSON.stringify(result),
  };
}

process.stderr.write(`sweep of ${cells} cells, time scale ${scaleTime}: serial...\n`);
const serial = await measure(1);
const rows = [serial];
for (const jobs of jobCounts) {
  process.stderr.write(`  ${jobs} workers...\n`);
  rows.push(await measure(jobs));
}
console.log(
  `sweep-health-checks.yaml, ${cells} cells, time scale ${scaleTime}, ${availableParallelism()} cores`,
);
console.log("jobs  wall      CPU (all threads)  speed-up vs serial  same result  load avg before/after");
for (const r of rows) {
  console.log(
    [
      String(r.jobs === 1 && r === serial ? "1 (serial)" : r.jobs).padEnd(4),
      `${r.wallS.toFixed(1)} s`.padEnd(9),
      `${r.cpuS.toFixed(1)} s`.padEnd(18),
      `${(serial.wallS / r.wallS).toFixed(2)}x`.padEnd(19),
      (r.json === serial.json ? "yes" : "NO").padEnd(12),
      `${r.loadBefore.toFixed(2)} / ${r.loadAfter.toFixed(2)}`,
    ].join(" "),
  );
}
