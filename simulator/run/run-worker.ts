/**
 * A worker thread that runs simulations for run-jobs.ts: it claims jobs from the shared counter
 * until none is left, posts each outcome as it comes, then says it has finished. Each worker has
 * its own heap and module state, so runs on different threads share nothing.
 */
import { parentPort, workerData } from "node:worker_threads";
import { runJob, type WorkerInput, type WorkerMessage } from "./run-jobs.ts";

const port = parentPort;
if (!port) throw new Error("run-worker.ts runs as a worker thread (see run-jobs.ts)");
const { jobs, claimed } = workerData as WorkerInput;
const post = (message: WorkerMessage) => port.postMessage(message);
for (let index = Atomics.add(claimed, 0, 1); index < jobs.length; index = Atomics.add(claimed, 0, 1)) {
  try {
    post({ kind: "outcome", index, outcome: await runJob(jobs[index]!) });
  } catch (error) {
    post({ kind: "failed", index, error: error instanceof Error ? error.message : String(error) });
  }
}
post({ kind: "finished" });
