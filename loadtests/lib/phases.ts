// The phases of the failover load test, by a request's send time since the traffic started.
// One definition for both sides of `failover loadtest failover --compare-sim`: the k6 script
// tags each request with it, and the runner puts each simulated request in its phase with it.
// No k6 import here, so Node can load this file too.

export type LoadPhase = "before" | "during" | "after";

export const LOAD_PHASES: readonly LoadPhase[] = ["before", "during", "after"];

/** "before" the fault, "during" it (from its start for faultForS), "after" it healed. */
export function loadPhaseAt(sinceStartS: number, faultAtS: number, faultForS: number): LoadPhase {
  if (sinceStartS < faultAtS) return "before";
  return sinceStartS < faultAtS + faultForS ? "during" : "after";
}
