import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { routerPolicySchema } from "../../config/router-policy-schema.ts";
import { loadScenarioFile } from "../scenario/load-scenario.ts";
import type { LoadOptions, ResolvedScenario } from "../scenario/resolved-scenario.ts";
import { type RunOutcome, runScenario } from "./run-scenario.ts";
import { type ThreadCost, threadCpuMs, watchGc } from "./thread-cost.ts";
import { workerEntry } from "./worker-bundle.ts";

/**
 * One independent simulation, described by how to rebuild it rather than by the resolved
 * scenario (which holds functions and tables that do not cross a thread): the scenario file,
 * its load options, which of its scenarios, the seed, and for a sweep cell the health-check
 * policy to put in.
 */
export interface RunJob {
  /** Absolute path of the scenario file. */
  path: string;
  load: LoadOptions;
  scenarioIndex: number;
  seed: number;
  healthCheck?: { intervalMs: number; fallCount: number; timeoutMs: number };
}

/** What a run hands back, from this thread or a worker: the result, every lost write, wall-clock facts. */
export type JobOutcome = RunOutcome;

/** One job per core unless told otherwise (`--jobs N`). */
export function defaultJobCount(): number {
  return availableParallelism();
}

/** Builds the scenario a job names, the same way in the main thread and in a worker. */
export function jobScenario(job: RunJob): ResolvedScenario {
  const scenario = loadScenarioFile(job.path, job.load).scenarios[job.scenarioIndex];
  if (!scenario) throw new Error(`${job.path}: no scenario #${job.scenarioIndex}`);
  return job.healthCheck ? withHealthCheck(scenario, job.healthCheck) : scenario;
}

/** Runs one job in this thread. */
export async function runJob(job: RunJob): Promise<JobOutcome> {
  return runScenario(jobScenario(job), { seed: job.seed });
}

/**
 * Runs independent simulations on `jobCount` threads: this one and `jobCount - 1` workers, each
 * claiming the next job from one shared counter until none is left (so a thread that drew short
 * runs takes more of them), and returns the outcomes in the order of `jobs`, whatever order they
 * finish in. A run depends only on its scenario and seed, never on which thread ran it or when,
 * so the merged output is the serial run's, byte for byte (test/simulator/parallel-runs.test.ts).
 * This thread works too: it is already loaded and warmed up, and a worker costs ~0.3-0.45 s of
 * CPU to load its bundle (worker-bundle.ts) and ~1-2 s more to warm up its own JIT.
 * `costs`, if given, receives what each thread spent (thread-cost.ts; bench/sweep-bench.ts).
 */
export async function runJobs(
  jobs: readonly RunJob[],
  jobCount: number,
  onDone?: (done: number, total: number) => void,
  costs?: ThreadCost[],
): Promise<JobOutcome[]> {
  const threads = Math.max(1, Math.min(jobCount, jobs.length));
  const outcomes: JobOutcome[] = new Array(jobs.length);
  const failures: string[] = [];
  let done = 0;
  const record = (index: number, outcome: JobOutcome) => {
    outcomes[index] = outcome;
    onDone?.(++done, jobs.length);
  };
  const claimed = new Int32Array(new SharedArrayBuffer(4));
  const entry = threads > 1 ? await workerEntry() : "";
  const workers = Array.from({ length: threads - 1 }, (_, i) =>
    startWorker(entry, { jobs, claimed, name: `worker ${i + 1}` }, record, (index, error) =>
      failures.push(`simulation ${index + 1} failed in a worker: ${error}`),
    ),
  );
  try {
    const mine = await claimAndRun(jobs, claimed, "main", (index, outcome) => record(index, outcome));
    const theirs = await Promise.all(workers.map((w) => w.finished));
    costs?.push(mine, ...theirs);
  } finally {
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }
  if (failures.length > 0) throw new Error(failures.join("\n"));
  return outcomes;
}

/**
 * Claims the next job from the shared counter and runs it, until none is left, in this thread
 * (the main one or a worker), and says what the thread spent on them.
 */
export async function claimAndRun(
  jobs: readonly RunJob[],
  claimed: Int32Array,
  thread: string,
  onOutcome: (index: number, outcome: JobOutcome) => void,
  onFailure?: (index: number, error: unknown) => void,
  loadCpuMs?: number,
): Promise<ThreadCost> {
  const cost: ThreadCost = { thread, loadCpuMs, jobs: [], gcMs: 0 };
  const gc = watchGc();
  try {
    for (let index = Atomics.add(claimed, 0, 1); index < jobs.length; index = Atomics.add(claimed, 0, 1)) {
      const cpu0 = threadCpuMs();
      const started = performance.now();
      try {
        onOutcome(index, await runJob(jobs[index]!));
      } catch (error) {
        if (!onFailure) throw error;
        onFailure(index, error);
      }
      const cpu1 = threadCpuMs();
      const cpuMs = cpu0 === undefined || cpu1 === undefined ? undefined : cpu1 - cpu0;
      cost.jobs.push({ index, cpuMs, wallMs: performance.now() - started });
    }
  } finally {
    cost.gcMs = gc.stop();
  }
  return cost;
}

/** What a worker is started with: every job, the counter the threads claim jobs from, and its name. */
export interface WorkerInput {
  jobs: readonly RunJob[];
  claimed: Int32Array;
  name: string;
}

/** What a worker posts: one message per job it ran, then `finished` with what it spent. */
export type WorkerMessage =
  | { kind: "outcome"; index: number; outcome: JobOutcome }
  | { kind: "failed"; index: number; error: string }
  | { kind: "finished"; cost: ThreadCost };

/**
 * A worker running run-worker.ts, from the prebuilt bundle or through tsx (worker-bundle.ts).
 * No flags are passed: a worker refuses V8 heap flags such as --max-semi-space-size, which the
 * process's flags already set for every isolate in it (a worker's new space follows the flag).
 */
function startWorker(
  entry: string,
  input: WorkerInput,
  onOutcome: (index: number, outcome: JobOutcome) => void,
  onFailure: (index: number, error: string) => void,
): { worker: Worker; finished: Promise<ThreadCost> } {
  const worker = new Worker(entry, { workerData: input });
  const finished = new Promise<ThreadCost>((resolvePromise, reject) => {
    worker.on("message", (message: WorkerMessage) => {
      if (message.kind === "outcome") onOutcome(message.index, message.outcome);
      else if (message.kind === "failed") onFailure(message.index, message.error);
      else resolvePromise(message.cost);
    });
    worker.on("error", reject);
    worker.on("exit", (code) => reject(new Error(`a simulation worker exited with code ${code}`)));
  });
  finished.catch(() => {}); // awaited by runJobs; this only keeps an early exit from counting as unhandled
  return { worker, finished };
}

/** A sweep cell's scenario: the base one with this health-check policy. */
export function withHealthCheck(
  s: ResolvedScenario,
  hc: NonNullable<RunJob["healthCheck"]>,
): ResolvedScenario {
  const router = routerPolicySchema.parse({
    ...s.config.router,
    healthCheck: { ...s.config.router.healthCheck, ...hc },
  });
  return {
    ...s,
    label: `${s.name} interval ${hc.intervalMs} ms fall ${hc.fallCount}`,
    config: { ...s.config, router },
  };
}
