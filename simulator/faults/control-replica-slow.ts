import { z } from "zod";
import { endMs, type FaultPlanContext, faultTimingSchema, registerFault } from "./registry.ts";

/**
 * A control replica answers late (issue 12: "slow control-plane replicas"), e.g. a DynamoDB
 * replica region under load. Every call it answers, and every quorum round trip it takes part
 * in, takes `addedLatencyMs` longer (simulator/system/control-replicas.ts), so a majority formed
 * without it stays fast and one that needs it is slow. `replica` names one member
 * ("control-us-east-2", "witness-us-west-2"); `awsRegion` selects every member placed in that
 * AWS region. It never warrants a failover: the service regions are healthy.
 */
const schema = z
  .object({
    kind: z.literal("control-replica-slow"),
    /** One replica or the witness, by name: control-<awsRegion> or witness-<awsRegion>. */
    replica: z.string().min(1).optional(),
    /** Every control replica (and witness) in this AWS region. */
    awsRegion: z.string().min(1).optional(),
    /** Added to each answer and each quorum round trip, in ms. */
    addedLatencyMs: z.number().min(0).max(600_000),
    ...faultTimingSchema,
  })
  .strict()
  .refine((p) => (p.replica === undefined) !== (p.awsRegion === undefined), {
    message: "name exactly one of replica (e.g. control-us-east-2) or awsRegion (e.g. us-east-2)",
    path: ["replica"],
  });

type Params = z.infer<typeof schema>;

function memberName(m: { awsRegion: string; witness: boolean }): string {
  return `${m.witness ? "witness" : "control"}-${m.awsRegion}`;
}

function check(p: Params, ctx: FaultPlanContext): { field: string; reason: string }[] {
  const members = ctx.domains.controlReplicas;
  if (p.replica !== undefined && !members.some((m) => memberName(m) === p.replica)) {
    const names = members.map(memberName).join(", ");
    return [{ field: "replica", reason: `"${p.replica}" is not a control replica (have ${names})` }];
  }
  if (p.awsRegion !== undefined && !members.some((m) => m.awsRegion === p.awsRegion)) {
    const where = [...new Set(members.map((m) => m.awsRegion))].join(", ");
    return [
      { field: "awsRegion", reason: `no control replica runs in "${p.awsRegion}" (they run in ${where})` },
    ];
  }
  return [];
}

registerFault({
  kind: "control-replica-slow",
  summary: "a control replica (or every one in an AWS region) answers after an added delay",
  schema,
  check,
  plan: (p) => [
    {
      type: "control-slow",
      replica: p.replica,
      awsRegion: p.awsRegion,
      addedLatencyMs: p.addedLatencyMs,
      fromMs: p.startS * 1000,
      toMs: endMs(p),
    },
  ],
  warrantsFailoverFrom: () => [],
  describe: (p) => `${p.replica ?? `control replicas in ${p.awsRegion}`} slow +${p.addedLatencyMs} ms`,
  domain: (p) => (p.replica !== undefined ? p.replica : `control replicas in ${p.awsRegion}`),
});
