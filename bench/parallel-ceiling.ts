/**
 * The machine's own ceiling for running JavaScript on several threads at once, for
 * `npm run bench:sweep`: the same fixed piece of work (short-lived objects, as a simulation
 * allocates them) on one worker thread alone, then on `threads` workers at once, each measuring
 * its own CPU. If one piece costs more CPU when the others run beside it, the cores are not
 * independent (virtual CPUs that are hyperthreads of one physical core, shared caches, memory
 * bandwidth) and no program gets a full core's worth from each; the sweep's CPU efficiency is
 * best read against this figure. Meaningful on a quiet machine only: under load the "alone" run
 * already shares its core.
 */
import { Worker } from "node:worker_threads";

/**
 * Runs in each worker: a fixed amount of work, then posts its own thread's CPU (ms). "allocate"
 * makes short-lived objects as a simulation does (so GC and memory take part); "compute" is
 * arithmetic in registers only, which no cache or memory bus slows: if it too costs more CPU
 * with every core busy, the cores themselves are shared (hyperthreads, or a host that slows
 * them down when all are busy).
 */
const KERNEL = `
const { parentPort, workerData } = require("node:worker_threads");
const t0 = process.threadCpuUsage ? process.threadCpuUsage() : process.cpuUsage();
let acc = 0;
if (workerData.kind === "allocate") {
  const table = new Map();
  for (let i = 0; i < workerData.rounds; i++) {
    const item = { id: i, path: "/items/" + (i & 1023), tags: [i & 7, i & 15], at: i * 0.5 };
    table.set(i & 4095, item);
    const other = table.get((i * 7) & 4095);
    if (other) acc += other.tags[1] + other.path.length;
  }
} else {
  let x = 1;
  for (let i = 0; i < workerData.rounds * 5; i++) x = (x * 1103515245 + 12345) >>> 0;
  acc = x;
}
const t = process.threadCpuUsage ? process.threadCpuUsage(t0) : process.cpuUsage(t0);
parentPort.postMessage({ cpuMs: (t.user + t.system) / 1000, acc });
`;

type Kernel = "allocate" | "compute";

function runKernels(
  kind: Kernel,
  count: number,
  rounds: number,
): Promise<{ cpuMs: number; wallMs: number }[]> {
  return Promise.all(
    Array.from({ length: count }, () => {
      const started = performance.now();
      const worker = new Worker(KERNEL, { eval: true, workerData: { kind, rounds } });
      return new Promise<{ cpuMs: number; wallMs: number }>((resolve, reject) => {
        worker.once("message", (m: { cpuMs: number }) => {
          resolve({ cpuMs: m.cpuMs, wallMs: performance.now() - started });
          void worker.terminate();
        });
        worker.once("error", reject);
      });
    }),
  );
}

export interface Ceiling {
  kind: Kernel;
  threads: number;
  /** CPU of one piece run alone, ms (best of two). */
  aloneCpuMs: number;
  /** Mean CPU of one piece while `threads` run at once, ms. */
  togetherCpuMs: number;
  /** aloneCpuMs / togetherCpuMs: 1.0 = each thread had a whole core. */
  efficiency: number;
}

/** Both kernels, each alone (best of two) and then on `threads` workers at once. */
export async function measureCeiling(threads: number, rounds = 20_000_000): Promise<Ceiling[]> {
  const ceilings: Ceiling[] = [];
  for (const kind of ["compute", "allocate"] as const) {
    const alone = Math.min(
      ...[await runKernels(kind, 1, rounds), await runKernels(kind, 1, rounds)].map((r) => r[0]!.cpuMs),
    );
    const together = await runKernels(kind, threads, rounds);
    const togetherCpuMs = together.reduce((a, r) => a + r.cpuMs, 0) / together.length;
    ceilings.push({ kind, threads, aloneCpuMs: alone, togetherCpuMs, efficiency: alone / togetherCpuMs });
  }
  return ceilings;
}
