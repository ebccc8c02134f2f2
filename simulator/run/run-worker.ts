/**
 * A worker thread that runs simulations for run-jobs.ts: it claims jobs from the shared counter
 * until none is left, posts each outcome as it comes, then says it has finished. Each worker has
 * its own heap and module state, so runs on different threads share nothing.
 */
import { parentPort, workerData } from "node:worker_threads";
import { claimAndRun, type WorkerInput, type WorkerMessage } from "./run-jobs.ts";
import { threadCpuMs } from "./thread-cost.ts";

// This thread's CPU so far: its bootstrap and loading the sources, before the first job.
const loadCpuMs = threadCpuMs();

const port = parentPort;
if (!port) throw new Error("run-worker.ts runs as a worker thread (see run-jobs.ts)");
const { jobs, claimed, name } = workerData as WorkerInput;
const post = (message: WorkerMessage) => port.postMessage(message);
const cost = await claimAndRun(
  jobs,
  claimed,
  name,
  (index, outcome) => post({ kind: "outcome", index, outcome }),
  (index, error) =>
    post({ kind: "failed", index, error: error instanceof Error ? error.message : String(error) }),
  loadCpuMs,
);
post({ kind: "finished", cost });
