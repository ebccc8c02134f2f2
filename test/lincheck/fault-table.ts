import { LIVE_FAULT_CASES, type LiveFaultCase } from "../stack/support/live-fault-cases.ts";

/** A fault a sync-mode history is recorded across. */
export type LincheckFault = LiveFaultCase;

/**
 * The faults every sync-mode history is recorded across (issue 19's (docs/issues.md) done-when),
 * from the live stack's table of fault cases (test/stack/support/live-fault-cases.ts): a fault
 * added there is added here by its label.
 */
const LABELS = ["down", "hang", "partition-router-us", "partition-us-ie", "aws-region-outage-us-east-1"];

export const LINCHECK_FAULTS: readonly LincheckFault[] = LABELS.map((label) => {
  const found = LIVE_FAULT_CASES.find((f) => f.label === label);
  if (found === undefined) throw new Error(`no live fault case "${label}"`);
  return found;
});
