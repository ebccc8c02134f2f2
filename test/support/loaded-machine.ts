/**
 * What a test on the wall clock (real servers, real timers) must allow for, in one place.
 *
 * The suite has to pass on the project's shared 2-core machine while `stress -c 2` and other
 * engineers' jobs run beside it (issue 17, item 6; load averages of 8 to 15 were seen). There a
 * Node process that is ready to run waits for a core; the other vitest worker, the JVM of
 * DynamoDB Local and its own garbage collector add to that. A light process's event-loop delay
 * at load 14 peaked at 171 ms in 20 s (test/support/event-loop-stalls.ts measures the same thing
 * inside a test); a process that serves a whole live stack (router, both regions, replication,
 * a client loop) waits several times that, and the last loaded runs saw a 300 ms probe of an
 * 80.5 ms round trip time out twice in a row. So every timeout a test's stack relies on to
 * tell a healthy part from a failed one gets STALL_MS on top of what the work itself needs.
 *
 * Each bound below is derived from this and from the config it depends on; tests that assert
 * a time add `STALL_MS` (or EventLoopStalls' measured slack) for each timer-driven step.
 */
export const STALL_MS = 1000;

/**
 * A probe timeout for a region `rttMs` away: its round trip plus a stall. The probe interval is
 * one stall longer still, so a probe that ran late is over before the next one is due (the
 * config requires timeoutMs < intervalMs, HAProxy's rule).
 */
export function probeTimings(rttMs: number): { timeoutMs: number; intervalMs: number } {
  const timeoutMs = Math.ceil(rttMs) + STALL_MS;
  return { timeoutMs, intervalMs: timeoutMs + STALL_MS / 2 };
}

/**
 * A lease a region keeps through a stall. The control call that renews it may take
 * 2 x renewIntervalMs (core/remote-control-store.ts controlCallOptions), so a renewal survives
 * a stall when 2 x renewIntervalMs >= controlRttMs + STALL_MS; the holder keeps its lease
 * through one failed renewal and a stall before the next (leaseMs - maxClockDriftMs >
 * 3 x renewIntervalMs + STALL_MS). A promoted region then waits leaseMs + maxClockDriftMs.
 */
export function stallProofLease(controlRttMs: number): {
  leaseMs: number;
  renewIntervalMs: number;
  maxClockDriftMs: number;
} {
  const renewIntervalMs = Math.ceil((controlRttMs + STALL_MS) / 2);
  const maxClockDriftMs = 50;
  return { leaseMs: 3 * renewIntervalMs + STALL_MS + 2 * maxClockDriftMs, renewIntervalMs, maxClockDriftMs };
}

/**
 * A sync-replication timeout for a standby `rttMs` away that a loaded machine does not turn into
 * a refusal or a degraded write: a stall, and as much again for the shipment's wait behind the
 * test's own clients in the same process (at a load average of 16 a 1.1 s timeout degraded
 * writes, and a degraded write rightly blocks the automatic promotion the test waits for).
 */
export function syncTimeoutFor(rttMs: number): number {
  return Math.ceil(rttMs) + 2 * STALL_MS;
}
