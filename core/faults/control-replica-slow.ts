import { z } from "zod";
import { defineFault } from "./fault-definition.ts";

/**
 * A control replica answers late (issue 12, docs/issues.md: "slow control-plane replicas"), e.g. a
 * DynamoDB replica region under load. Every call it answers, and every quorum round trip it takes
 * part in, takes `addedLatencyMs` longer, so a majority formed without it stays fast and one that
 * needs it is slow. `replica` names one member ("control-us-east-2", "witness-us-west-2");
 * `awsRegion` selects every member placed in that AWS region. It never warrants a failover: the
 * service regions are healthy.
 */
export const controlReplicaSlowFault = defineFault({
  kind: "control-replica-slow",
  summary: "a control replica (or every one in an AWS region) answers after an added delay",
  params: {
    /** One replica or the witness, by name: control-<awsRegion> or witness-<awsRegion>. */
    replica: z.string().min(1).optional().describe("one control replica or the witness, by name"),
    /** Every control replica (and witness) in this AWS region. */
    awsRegion: z.string().min(1).optional().describe("every control replica in this AWS region"),
    /** Added to each answer and each quorum round trip; a minute is past every lease. */
    addedLatencyMs: z.number().min(0).max(60_000).describe("added to each answer and quorum round trip"),
  },
  refine: (p) =>
    (p.replica === undefined) === (p.awsRegion === undefined)
      ? {
          field: "replica",
          reason: "name exactly one of replica (e.g. control-us-east-2) or awsRegion (e.g. us-east-2)",
        }
      : undefined,
  stacking:
    "added delays on one replica add in the simulator; the live stack keeps the latest slow-down per replica",
  cli: {
    verb: "control-replica-slow",
    argument: "replica|awsRegion",
    // "control-us-east-2" / "witness-us-west-2" name a member; anything else is an AWS region.
    fills: ["replica", "awsRegion"],
    fromArgument: (text) => (/^(control|witness)-/.test(text) ? { replica: text } : { awsRegion: text }),
  },
});
