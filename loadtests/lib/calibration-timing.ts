// The failover script's calibration phase timing (lib/calibration.ts), with no k6 import, so
// the runner (loadtests/runner/compare-sim.ts) reads the same figures as the script.

/** First, a closed loop, SATURATE_VUS readers with no pause: the most the stack serves per second. */
export const SATURATE_S = 3;
export const SATURATE_VUS = 16;
/**
 * Then sequential reads through the router, one at a time, back to back: the stack's cost per
 * request while it is kept busy (what a worker is held for at saturation: the worker count).
 */
export const IDLE_S = 2;
/**
 * Then sequential reads again, one at a time, but spaced as the traffic's arrivals are (one
 * every 1 / rate s): a request's cost when it arrives at a stack that has been idle since the
 * previous one, as the traffic's do (the service time). Measured on this machine: 0.2-1.5 ms
 * more per read than back to back (README, "The simulator against the live stack"). 5 s, about
 * 250 reads at 50/s: a 3 s window that caught another process's burst set the spread for the
 * whole run (sigma 0.35 against 0.03-0.2).
 */
export const SPACED_S = 5;
/**
 * Then the traffic's own mix at its own rate, measured by nobody: a process just started runs
 * its code cold (V8 compiles what it runs often), k6's traffic VUs open their connections, and
 * the simulator models neither; without it the first second of "before" was 5-10 times slower.
 */
export const WARMUP_S = 3;
/** The calibration phase's length: the traffic starts this long after the run. */
export const CALIBRATION_S = SATURATE_S + IDLE_S + SPACED_S + WARMUP_S;
