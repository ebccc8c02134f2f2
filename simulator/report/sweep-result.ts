/** One point of a health-check sweep: a policy and what it cost. */
export interface SweepCell {
  intervalMs: number;
  fallCount: number;
  timeoutMs: number;
  /** Time to detect the scenario's first warranted fault (undefined: never detected). */
  detectS: number | undefined;
  promoteS: number | undefined;
  rtoS: number | undefined;
  falseFailovers: number;
  failedRequests: number;
  invariantsOk: boolean;
}

export interface SweepResult {
  kind: "sweep";
  name: string;
  description: string;
  file: string;
  seed: number;
  cells: SweepCell[];
}
