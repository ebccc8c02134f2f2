import { z } from "zod";

/**
 * Where the control record lives and how regions hold their lease on it.
 *
 * Sources (docs/leases.md): a failover switch must not
 * live in the region it switches away from (Route 53 ARC keeps its routing controls on five
 * regional endpoints); DynamoDB multi-Region strong consistency (MRSC) takes three replicas, or
 * two replicas and a witness, all in one region set, and decides a conditional write across them;
 * leases: a holder stops acting before its lease can have expired anywhere (lease minus the
 * clock-drift bound), a successor starts only after it has expired (Chubby, etcd).
 */

/** The region sets MRSC tables may span (docs/leases.md). */
export const MRSC_REGION_SETS: Readonly<Record<string, readonly string[]>> = {
  US: ["us-east-1", "us-east-2", "us-west-2"],
  EU: ["eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1"],
  AP: ["ap-northeast-1", "ap-northeast-2", "ap-northeast-3"],
};

const awsRegionSchema = z
  .string()
  .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, "must be an AWS region id, e.g. us-east-2");

/** One replica (or the witness) of the control record: its AWS region and its latency-table location. */
export const controlPlacementSchema = z
  .object({
    awsRegion: awsRegionSchema,
    /** A location in the latency tables, e.g. "ohio"; the simulator and live stack delay calls by it. */
    location: z.string().regex(/^[a-z][a-z0-9-]*$/, "must be a lower-case location id, e.g. ohio"),
  })
  .strict();

export const leaseSchema = z
  .object({
    /**
     * How long a region may act as active after it last read the control record naming it
     * (measured from when that read was sent). A promoted region waits this long, plus the drift
     * bound, after it learns of its promotion before it acknowledges anything: the RTO grows by
     * about leaseMs + maxClockDriftMs. Range 100 ms .. 10 min.
     */
    leaseMs: z.number().int().min(100).max(600_000).default(2000),
    /** How often a region re-reads the control record to renew its lease. Must be below leaseMs. */
    renewIntervalMs: z.number().int().min(10).max(600_000).default(500),
    /**
     * The most two regions' clocks may disagree about an elapsed lease (rate drift over one
     * lease). The holder gives up this much early and the successor waits this much longer.
     */
    maxClockDriftMs: z.number().int().min(0).max(600_000).default(100),
  })
  .strict();

export const controlPlaneSchema = z
  .object({
    /**
     * The control record's replicas. One entry: a single-region table (it fails with that
     * region). Three entries, or two and a witness: a DynamoDB global table with multi-Region
     * strong consistency; it answers while a majority of the three is up. Unset: one replica in
     * the initialActive region, as before the control plane had a place of its own.
     */
    replicas: z.array(controlPlacementSchema).min(1).max(3).optional(),
    /** MRSC's witness region: holds no readable copy, but counts toward the majority. */
    witness: controlPlacementSchema.optional(),
    lease: leaseSchema.default(() => leaseSchema.parse({})),
  })
  .strict();

export type ControlPlacement = z.infer<typeof controlPlacementSchema>;
export type LeaseConfig = z.infer<typeof leaseSchema>;
export type ControlPlaneConfig = z.infer<typeof controlPlaneSchema>;

type Problem = { path: (string | number)[]; message: string };

interface RawEnv {
  name?: unknown;
  initialActive?: unknown;
  regions?: unknown;
  control?: unknown;
}

/** Problems that span fields: quorum placement, MRSC rules, lease arithmetic. */
export function controlPlaneProblems(raw: RawEnv): Problem[] {
  const control = raw.control as { replicas?: unknown; witness?: unknown; lease?: unknown } | undefined;
  return [...leaseProblems(control?.lease), ...placementProblems(raw, control)];
}

function leaseProblems(lease: unknown): Problem[] {
  if (lease === null || typeof lease !== "object") return [];
  const parsed = leaseSchema.safeParse(lease);
  if (!parsed.success) return [];
  const { leaseMs, renewIntervalMs, maxClockDriftMs } = parsed.data;
  const problems: Problem[] = [];
  if (renewIntervalMs >= leaseMs) {
    problems.push({
      path: ["control", "lease", "renewIntervalMs"],
      message: `must be less than leaseMs (${leaseMs}): a lease renewed every ${renewIntervalMs} ms would lapse between renewals`,
    });
  } else if (maxClockDriftMs >= leaseMs - renewIntervalMs) {
    problems.push({
      path: ["control", "lease", "maxClockDriftMs"],
      message: `must be less than leaseMs - renewIntervalMs (${leaseMs - renewIntervalMs}): the holder gives up ${maxClockDriftMs} ms early and would lose its lease before each renewal`,
    });
  }
  return problems;
}

function placementProblems(
  raw: RawEnv,
  control: { replicas?: unknown; witness?: unknown } | undefined,
): Problem[] {
  const replicas = Array.isArray(control?.replicas) ? placements(control.replicas) : undefined;
  const witness = placements([control?.witness])[0];
  const problems: Problem[] = [];
  if (replicas !== undefined) problems.push(...mrscShapeProblems(replicas, witness));
  if (raw.name === "production") problems.push(...survivalProblems(raw, replicas, witness));
  return problems;
}

function placements(values: unknown[]): { awsRegion: string }[] {
  return values.flatMap((v) => {
    const parsed = controlPlacementSchema.safeParse(v);
    return parsed.success ? [parsed.data] : [];
  });
}

/** MRSC: three replicas, or two and a witness, in distinct regions of one region set. */
function mrscShapeProblems(
  replicas: { awsRegion: string }[],
  witness: { awsRegion: string } | undefined,
): Problem[] {
  const all = [...replicas, ...(witness ? [witness] : [])].map((p) => p.awsRegion);
  if (replicas.length === 1 && !witness) return [];
  const problems: Problem[] = [];
  if (all.length !== 3) {
    problems.push({
      path: ["control", witness ? "witness" : "replicas"],
      message: `a multi-Region strongly consistent table has three replicas, or two and a witness (have ${replicas.length} replica(s)${witness ? " and a witness" : ""})`,
    });
  }
  const duplicate = all.find((r, i) => all.indexOf(r) !== i);
  if (duplicate !== undefined) {
    problems.push({
      path: ["control", "replicas"],
      message: `${duplicate} is named twice; each replica needs its own AWS region`,
    });
  }
  const set = Object.entries(MRSC_REGION_SETS).find(([, regions]) => all.every((r) => regions.includes(r)));
  if (set === undefined) {
    const sets = Object.entries(MRSC_REGION_SETS)
      .map(([name, regions]) => `${name} (${regions.join(", ")})`)
      .join("; ");
    problems.push({
      path: ["control", "replicas"],
      message: `${all.join(", ")} are not all in one MRSC region set: ${sets}`,
    });
  }
  return problems;
}

/**
 * Production's control record must survive the loss of any one service region: with that
 * region's replicas gone, a majority of the replicas (and witness) must remain.
 */
function survivalProblems(
  raw: RawEnv,
  replicas: { awsRegion: string }[] | undefined,
  witness: { awsRegion: string } | undefined,
): Problem[] {
  if (!Array.isArray(raw.regions)) return [];
  const services = raw.regions.flatMap((r) => {
    const region = r as { name?: unknown; awsRegion?: unknown };
    return typeof region?.name === "string" && typeof region.awsRegion === "string"
      ? [{ name: region.name, awsRegion: region.awsRegion }]
      : [];
  });
  const effective =
    replicas ?? services.filter((s) => s.name === raw.initialActive).map((s) => ({ awsRegion: s.awsRegion }));
  const members = [...effective, ...(witness ? [witness] : [])];
  if (members.length === 0) return [];
  const majority = Math.floor(members.length / 2) + 1;
  for (const service of services) {
    const left = members.filter((m) => m.awsRegion !== service.awsRegion).length;
    if (left >= majority) continue;
    const where =
      replicas === undefined
        ? "control.replicas is unset, so the record lives in the initialActive region; "
        : "";
    return [
      {
        path: ["control", "replicas"],
        message:
          `${where}losing ${service.awsRegion} (${service.name}) would leave ${left} of ${members.length} control replica(s), ` +
          `fewer than the ${majority} needed: no router could promote and no region could renew its lease. ` +
          'Place the record in an MRSC global table outside that region, e.g. "replicas": us-east-1, us-east-2, us-west-2',
      },
    ];
  }
  return [];
}
