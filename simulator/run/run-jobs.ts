import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { routerPolicySchema } from "../../config/router-policy-schema.ts";
import type { ScenarioResult } from "../report/result.ts";
import { loadScenarioFile } from "../scenario/load-scenario.ts";
import type { LoadOptions, ResolvedScenario } from "../scenario/resolved-scenario.ts";
import { type RunOutcome, runScenario } from "./run-scenario.ts";

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

export interface JobOutcome {
  result: ScenarioResult;
  wall: RunOutcome["wall"];
}

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
  const { result, wall } = await runScenario(jobScenario(job), { seed: job.seed });
  return { result, wall };
}

/**
 * Runs independent simulations, each on one of `jobCount` worker threads (in this thread when
 * one job or one worker would do), and returns their outcomes in the order of `jobs`, whatever
 * order they finish in: a run depends only on its scenario and seed, never on which thread ran
 * it or when, so the merged output is the serial run's, byte for byte
 * (test/simulator/parallel-runs.test.ts).
 */
export async function runJobs(
  jobs: readonly RunJob[],
  jobCount: number,
  onDone?: (done: number, total: number) => void,
): Promise<JobOutcome[]> {
  const threads = Math.max(1, Math.min(jobCount, jobs.length));
  const outcomes: JobOutcome[] = new Array(jobs.length);
  let done = 0;
  if (threads === 1) {
    for (const [i, job] of jobs.entries()) {
      outcomes[i] = await runJob(job);
      onDone?.(++done, jobs.length);
    }
    return outcomes;
  }
  let next = 0;
  const workers = Array.from({ length: threads }, () => startWorker());
  try {
    await Promise.all(
      workers.map(async (worker) => {
        while (next < jobs.length) {
          const index = next++;
          outcomes[index] = await ask(worker, index, jobs[index]!);
          onDone?.(++done, jobs.length);
        }
      }),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return outcomes;
}

type Reply = { index: number; outcome: JobOutcome } | { index: number; error: string };

function ask(worker: Worker, index: number, job: RunJob): Promise<JobOutcome> {
  return new Promise((resolvePromise, reject) => {
    const onMessage = (reply: Reply) => {
      if (reply.index !== index) return;
      cleanup();
      if ("error" in reply) reject(new Error(`simulation ${index + 1} failed in a worker: ${reply.error}`));
      else resolvePromise(reply.outcome);
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onExit = (code: number) => {
      cleanup();
      reject(new Error(`a simulation worker exited with code ${code}`));
    };
    const cleanup = () => {
      worker.off("message", onMessage);
      worker.off("error", onError);
      worker.off("exit", onExit);
    };
    worker.on("message", onMessage);
    worker.on("error", onError);
    worker.on("exit", onExit);
    worker.postMessage({ index, job });
  });
}

/**
 * A worker running run-worker.ts. The sources are TypeScript run by tsx: the worker loads tsx's
 * hooks itself (--import, resolved from this package so any working directory does). Only that
 * flag is passed: a worker refuses V8 heap flags such as --max-semi-space-size, which the
 * process's flags already set for every isolate in it.
 */
function startWorker(): Worker {
  const here = dirname(fileURLToPath(import.meta.url));
  const tsxDir = dirname(createRequire(import.meta.url).resolve("tsx/package.json"));
  const tsxLoader = pathToFileURL(join(tsxDir, "dist", "loader.mjs")).href;
  return new Worker(resolve(here, "run-worker.ts"), { execArgv: ["--import", tsxLoader] });
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
