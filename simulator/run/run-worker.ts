/**
 * A worker thread that runs simulations for run-jobs.ts: one job per message, one reply each.
 * Each worker has its own heap and module state, so runs on different threads share nothing.
 */
import { parentPort } from "node:worker_threads";
import { type RunJob, runJob } from "./run-jobs.ts";

const port = parentPort;
if (!port) throw new Error("run-worker.ts runs as a worker thread (see run-jobs.ts)");
port.on("message", async ({ index, job }: { index: number; job: RunJob }) => {
  try {
    port.postMessage({ index, outcome: await runJob(job) });
  } catch (error) {
    port.postMessage({ index, error: error instanceof Error ? error.message : String(error) });
  }
});
