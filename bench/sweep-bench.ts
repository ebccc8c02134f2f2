/**
 * `npm run bench:sweep`: the 16-cell health-check sweep (simulator/scenarios/sweep-health-checks.yaml,
 * 4 intervals x 4 fall thresholds) run serially and on worker threads, in the same process run.
 * Target (issue 18): >= 1.8x on 2 cores.
 *
 * Wall-clock speed-up needs a quiet machine; on a shared one the load average beside each figure
 * says how much of the machine the run had. So the bench also prints what holds under load: CPU
 * efficiency (the serial run's CPU over the parallel run's, 1.0 = no CPU lost to running in
 * parallel), where each thread's CPU went (loading the sources, jobs, GC pauses; "other threads" is
 * V8's background compiler and GC helpers), and the speed-up those CPU figures imply on an idle
 * machine. That model: a serial run lasts as long as its one thread's CPU (V8's helpers run beside
 * it on the idle cores); a parallel run lasts as long as its busiest thread, and never less than
 * all its CPU spread over the cores. It matched the quiet-machine run of 2026-11-29 (serial 25.3 s
 * wall, 28.8 s CPU; two threads 40.1 s CPU, 21.0 s wall against 40.1 / 2 = 20.1 s). It also gives
 * the ceiling even a perfectly efficient parallel run cannot pass: all cores busy with the serial
 * run's whole CPU, helpers included, against the serial run's one thread.
 *
 * First it measures the machine's own ceiling (parallel-ceiling.ts): how much more CPU the same
 * piece of JavaScript costs when every core runs one at once.
 *
 *   npm run bench:sweep                          # serial, then one thread per core
 *   npm run bench:sweep -- --jobs 2,3,4 --scale-time 0.25 --no-ceiling --no-warm-up
 */
import { availableParallelism, loadavg } from "node:os";
import { join } from "node:path";
import { runSweep } from "../simulator/run/run-sweep.ts";
import { type ThreadCost, threadCpuMs, watchGc } from "../simulator/run/thread-cost.ts";
import { loadScenarioFile, SCENARIOS_DIR } from "../simulator/scenario/load-scenario.ts";
import { measureCeiling } from "./parallel-ceiling.ts";

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const scaleTime = Number(option("--scale-time") ?? 1);
const cores = availableParallelism();
const jobCounts = (option("--jobs") ?? String(cores)).split(",").map(Number);
const load = { scaleTime };
const file = loadScenarioFile(join(SCENARIOS_DIR, "sweep-health-checks.yaml"), load);
const cells = file.sweep!.intervalMs.length * file.sweep!.fallCount.length;

interface Row {
  jobs: number;
  wallS: number;
  /** The whole process's CPU: every thread, V8's helpers included. */
  cpuS: number;
  threads: ThreadCost[];
  loadBefore: number;
  loadAfter: number;
  json: string;
}

async function measure(jobs: number): Promise<Row> {
  const loadBefore = loadavg()[0]!;
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  const threads: ThreadCost[] = [];
  let result: Awaited<ReturnType<typeof runSweep>>;
  if (jobs === 1) {
    // Serial: this thread, cell after cell; each cell's CPU from the progress callback.
    const serial: ThreadCost = { thread: "main", jobs: [], gcMs: 0 };
    const gc = watchGc();
    let cellCpu0 = threadCpuMs();
    let cellStarted = performance.now();
    result = await runSweep(file, 1, (done) => {
      const cpu = threadCpuMs();
      serial.jobs.push({
        index: done - 1,
        cpuMs: cpu === undefined || cellCpu0 === undefined ? undefined : cpu - cellCpu0,
        wallMs: performance.now() - cellStarted,
      });
      cellCpu0 = cpu;
      cellStarted = performance.now();
    });
    serial.gcMs = gc.stop();
    threads.push(serial);
  } else {
    result = await runSweep(file, 1, undefined, { jobs, load, costs: threads });
  }
  const wallS = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return {
    jobs,
    wallS,
    cpuS: (cpu.user + cpu.system) / 1e6,
    threads,
    loadBefore,
    loadAfter: loadavg()[0]!,
    json: JSON.stringify(result),
  };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const jobsCpuS = (t: ThreadCost) => sum(t.jobs.map((j) => j.cpuMs ?? Number.NaN)) / 1000;
const busyCpuS = (t: ThreadCost) => (t.loadCpuMs ?? 0) / 1000 + jobsCpuS(t);
/** The wall time a run's CPU figures imply on an idle machine (the model in this file's header). */
const impliedWallS = (r: Row) =>
  Math.max(...r.threads.map(busyCpuS), r.cpuS / Math.min(r.threads.length, cores));

const ceilingThreads = Math.max(2, Math.min(cores, Math.max(...jobCounts)));
const noCeiling = args.includes("--no-ceiling");
if (!noCeiling) process.stderr.write(`machine ceiling on ${ceilingThreads} threads...\n`);
const ceiling = noCeiling ? undefined : await measureCeiling(ceilingThreads);
// Warm this thread up first (the sweep at a twentieth of the time), so that the serial run and the
// parallel run's main thread start equally warm and the difference between them is what going
// parallel costs: the workers' loading and their own JIT warm-up. Otherwise the serial run, first,
// pays this thread's warm-up and the parallel run does not.
if (!args.includes("--no-warm-up")) {
  process.stderr.write("warming up this thread...\n");
  const small = { scaleTime: scaleTime / 20 };
  await runSweep(loadScenarioFile(join(SCENARIOS_DIR, "sweep-health-checks.yaml"), small), 1);
}
process.stderr.write(`sweep of ${cells} cells, time scale ${scaleTime}: serial...\n`);
const serial = await measure(1);
const rows = [serial];
for (const jobs of jobCounts) {
  if (jobs === 1) continue;
  process.stderr.write(`  ${jobs} threads...\n`);
  rows.push(await measure(jobs));
}

console.log(
  `sweep-health-checks.yaml, ${cells} cells, time scale ${scaleTime}, ${cores} cores, Node ${process.version}`,
);
for (const c of ceiling ?? []) {
  console.log(
    `machine ceiling (${c.kind}): a fixed piece of JavaScript costs ${c.aloneCpuMs.toFixed(0)} ms CPU alone, ` +
      `${c.togetherCpuMs.toFixed(0)} ms each with ${c.threads} at once (efficiency ${c.efficiency.toFixed(2)})`,
  );
}
console.log(
  "threads     wall      CPU      speed-up  CPU eff.  implied speed-up  same result  load avg start/end",
);
for (const r of rows) {
  const boundS = impliedWallS(r);
  console.log(
    [
      (r === serial ? "1 (serial)" : String(r.jobs)).padEnd(11),
      `${r.wallS.toFixed(1)} s`.padEnd(9),
      `${r.cpuS.toFixed(1)} s`.padEnd(8),
      `${(serial.wallS / r.wallS).toFixed(2)}x`.padEnd(9),
      (serial.cpuS / r.cpuS).toFixed(2).padEnd(9),
      `${(impliedWallS(serial) / boundS).toFixed(2)}x`.padEnd(17),
      (r.json === serial.json ? "yes" : "NO").padEnd(12),
      `${r.loadBefore.toFixed(2)} / ${r.loadAfter.toFixed(2)}`,
    ].join(" "),
  );
}

for (const r of rows.filter((x) => x !== serial && x.jobs === 2)) {
  const speedUp = serial.wallS / r.wallS;
  console.log(
    `target (issue 18): >= 1.8x on 2 threads; measured ${speedUp.toFixed(2)}x against the serial run above` +
      (serial.cpuS / r.cpuS > 1.05
        ? " (CPU efficiency above 1: the serial run paid warm-up the parallel one did not)"
        : ""),
  );
}
const serialThreadS = busyCpuS(serial.threads[0]!);
for (const n of [2, cores].filter((n, i, all) => n > 1 && all.indexOf(n) === i)) {
  console.log(
    `at CPU efficiency 1.0 on ${n} cores: at most ${(serialThreadS / Math.max(serialThreadS / n, serial.cpuS / n)).toFixed(2)}x ` +
      `(the serial run's thread ${serialThreadS.toFixed(1)} s CPU; with V8's helper threads ${serial.cpuS.toFixed(1)} s)`,
  );
}

console.log("\nwhere the CPU went (CPU of each thread alone; 'other threads' = process CPU - the threads')");
console.log("run         thread     load     jobs (n)          GC pauses");
for (const r of rows) {
  const label = r === serial ? "serial" : `${r.jobs} threads`;
  for (const t of r.threads) {
    console.log(
      [
        label.padEnd(11),
        t.thread.padEnd(10),
        (t.loadCpuMs === undefined ? "-" : `${(t.loadCpuMs / 1000).toFixed(2)} s`).padEnd(8),
        `${jobsCpuS(t).toFixed(1)} s (${t.jobs.length})`.padEnd(17),
        `${(t.gcMs / 1000).toFixed(2)} s`,
      ].join(" "),
    );
  }
  const other = r.cpuS - sum(r.threads.map(busyCpuS));
  console.log(
    `${label.padEnd(11)} ${"other".padEnd(10)} ${"".padEnd(8)} ${`${other.toFixed(1)} s`.padEnd(17)}`,
  );
}

console.log("\nCPU per cell, serial vs in its thread (s)");
const serialCells = new Map(serial.threads[0]!.jobs.map((j) => [j.index, j.cpuMs ?? Number.NaN]));
for (const r of rows.slice(1)) {
  const cellsCpu = r.threads.flatMap((t) => t.jobs.map((j) => ({ ...j, thread: t.thread })));
  cellsCpu.sort((a, b) => a.index - b.index);
  console.log(
    `${r.jobs} threads: ${cellsCpu
      .map(
        (c) =>
          `${c.index + 1}: ${((serialCells.get(c.index) ?? 0) / 1000).toFixed(2)}/${((c.cpuMs ?? 0) / 1000).toFixed(2)}`,
      )
      .join("  ")}`,
  );
}
