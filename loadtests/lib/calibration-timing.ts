// The failover script's calibration phase timing (lib/calibration.ts), with no k6 import, so
// the runner (loadtests/runner/compare-sim.ts) reads the same figures as the script.

/** First, a closed loop, SATURATE_VUS readers with no pause: the most the stack serves per second. */
export const SATURATE_S = 3;
export const SATURATE_VUS = 16;
/** Then sequential reads through the router, one at a time: the stack's cost with no queue. */
export const IDLE_S = 3;
/**
 * Then the traffic's own mix at its own rate, measured by nobody: a process just started runs
 * its code cold (V8 compiles what it runs often), k6's traffic VUs open their connections, and
 * the simulator models neither; without it the first second of "before" was 5-10 times slower.
 */
export const WARMUP_S = 3;
/** The calibration phase's length: the traffic starts this long after the run. */
export const CALIBRATION_S = IDLE_S + SATURATE_S + WARMUP_S;
