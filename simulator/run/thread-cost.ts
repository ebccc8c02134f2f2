import { PerformanceObserver } from "node:perf_hooks";

/**
 * What one thread spent on a batch of runs, in CPU time of that thread alone
 * (`process.threadCpuUsage`, Node 23.9+; `process.cpuUsage` counts every thread of the process,
 * V8's background compiler and GC helpers included). On an older Node, where there is no per-thread
 * figure, the CPU fields are undefined. `npm run bench:sweep` sums these to show where the CPU of a
 * parallel run goes.
 */
export interface ThreadCost {
  /** "main", or "worker N". */
  thread: string;
  /** CPU from the thread's start until it could run its first job (a worker's bootstrap, tsx, module loading). */
  loadCpuMs?: number;
  /** CPU spent in jobs, and in which jobs (index into the job list). */
  jobs: { index: number; cpuMs?: number; wallMs: number }[];
  /** Pause time of this thread's garbage collections while it ran jobs (V8's `gc` performance entries). */
  gcMs: number;
}

/** This thread's CPU so far, in ms, or undefined where the runtime cannot tell one thread from the process. */
export function threadCpuMs(): number | undefined {
  const usage = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage;
  if (typeof usage !== "function") return undefined;
  const u = usage.call(process);
  return (u.user + u.system) / 1000;
}

/** Sums the duration of every GC pause on this thread from now until `stop()`. */
export function watchGc(): { stop: () => number } {
  let totalMs = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) totalMs += entry.duration;
  });
  observer.observe({ entryTypes: ["gc"] });
  return {
    stop: () => {
      for (const entry of observer.takeRecords()) totalMs += entry.duration;
      observer.disconnect();
      return totalMs;
    },
  };
}
