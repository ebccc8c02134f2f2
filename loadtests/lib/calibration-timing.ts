// The failover script's calibration phase timing (lib/calibration.ts), with no k6 import, so
// the runner (loadtests/runner/compare-sim.ts) reads the same figures as the script.

/** Sequential reads through the router, one at a time: the stack's cost with no queue. */
export const IDLE_S = 3;
/** Closed loop, SATURATE_VUS readers with no pause: the most the stack serves per second. */
export const SATURATE_S = 3;
export const SATURATE_VUS = 16;
/** The calibration phase's length: idle, then saturate, then a second for the queue to drain. */
export const CALIBRATION_S = IDLE_S + SATURATE_S + 1;
