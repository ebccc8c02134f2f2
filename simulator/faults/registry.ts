import { z } from "zod";
import type { RouterPolicy } from "../../config/router-policy-schema.ts";
import { type FaultDefinition, withRule } from "../../core/faults/fault-definition.ts";
import type { FaultEffect, RegionEffect } from "./effects.ts";

/** Fields every fault has: what it is, when it starts, how long it lasts. */
export const faultTimingSchema = {
  /** Virtual seconds from the start of the run. */
  startS: z
    .number()
    .min(0)
    .max(86_400 * 7),
  /** How long it lasts, in virtual seconds. */
  durationS: z
    .number()
    .gt(0)
    .max(86_400 * 7),
  /** Shown in reports instead of the generated description. */
  label: z.string().min(1).max(80).optional(),
};

export interface FaultTiming {
  kind: string;
  startS: number;
  durationS: number;
  label?: string;
}

/**
 * Where every part runs: its AWS region, the failure domain an aws-region-outage takes down.
 * Clients are users, in no AWS region.
 */
export interface FailureDomains {
  regions: readonly { name: string; awsRegion: string }[];
  /** A router's AWS region: its scenario entry's, or its location's in the latency table (none for a city). */
  routers: readonly { id: string; awsRegion: string | undefined }[];
  /** The control record's replicas and witness (config: control.replicas, control.witness). */
  controlReplicas: readonly { awsRegion: string; location: string; witness: boolean }[];
  /** Route 53's health checkers (DNS failover only), by location. */
  checkers: readonly { location: string; awsRegion: string | undefined }[];
}

/** What a fault kind needs to know about the simulated system to plan its effects. */
export interface FaultPlanContext {
  regionNames: readonly string[];
  routerIds: readonly string[];
  clientNames: readonly string[];
  policy: RouterPolicy;
  domains: FailureDomains;
}

/**
 * One kind of fault in the simulator: its definition (name, parameters with units, defaults and
 * limits, stacking: core/faults/, shared with the live stack and the CLI), the schema of its
 * scenario entry built from that definition, and how it turns an entry into effects. Each lives
 * in its own file and is listed in faults/kinds.ts; adding one means adding a file, never editing
 * a switch (see core/faults/fault-definition.ts for the steps).
 */
export interface FaultKind<P extends FaultTiming = FaultTiming> {
  kind: string;
  /** One line for `--help` and the docs. */
  summary: string;
  /** The shared definition this kind implements. */
  definition: FaultDefinition;
  /** The whole scenario entry, `kind` and timing included. */
  schema: z.ZodType<P>;
  /** Names that must exist in the system (regions, routers, clients); returns problems. */
  check(params: P, context: FaultPlanContext): { field: string; reason: string }[];
  plan(params: P, context: FaultPlanContext): FaultEffect[];
  /** The regions this fault makes unable to serve, by the policy: failing over from them is warranted. */
  warrantsFailoverFrom(params: P, context: FaultPlanContext): string[];
  describe(params: P): string;
  /** The failure domain it takes down, for reports (default: the one service region it names). */
  domain?(params: P, context: FaultPlanContext): string;
}

/** A scenario entry of a kind: `kind`, the definition's parameters, and the timing every fault has. */
type EntryOf<S extends z.ZodRawShape> = z.output<z.ZodObject<S>> & FaultTiming;

/**
 * The simulator's side of a fault kind: the scenario entry's schema is the shared definition's
 * parameters plus `kind` and timing, strict, so a scenario spells every parameter as the live
 * stack and the CLI do.
 */
export function simFault<S extends z.ZodRawShape>(
  definition: FaultDefinition<S>,
  behaviour: Behaviour<EntryOf<S>>,
): FaultKind {
  const entry = z
    .object({ kind: z.literal(definition.kind), ...definition.params, ...faultTimingSchema })
    .strict();
  const { effect, plan, ...rest } = { effect: undefined, plan: undefined, ...behaviour };
  const kind: FaultKind<EntryOf<S>> = {
    kind: definition.kind,
    summary: definition.summary,
    definition: definition as unknown as FaultDefinition,
    schema: withRule(entry, definition as unknown as FaultDefinition) as unknown as z.ZodType<EntryOf<S>>,
    plan: plan ?? ((p) => [{ ...effect!(p), fromMs: p.startS * 1000, toMs: endMs(p) } as FaultEffect]),
    ...rest,
  };
  return kind as unknown as FaultKind;
}

/** A fault effect before it is given its window. */
type Unwindowed<E> = E extends FaultEffect ? Omit<E, "fromMs" | "toMs"> : never;

/**
 * How a kind behaves: its `plan` of effects, or, for a kind that is one effect over its whole
 * window [startS, startS + durationS), just that `effect`.
 */
type Behaviour<P extends FaultTiming> = Omit<
  FaultKind<P>,
  "kind" | "summary" | "definition" | "schema" | "plan"
> &
  (
    | { plan: FaultKind<P>["plan"]; effect?: never }
    | { effect(params: P): Unwindowed<FaultEffect>; plan?: never }
  );

/** Checks that a region name is one of the environment's. */
export function checkRegion(
  region: string,
  context: FaultPlanContext,
  field = "region",
): { field: string; reason: string }[] {
  if (context.regionNames.includes(region)) return [];
  return [
    { field, reason: `"${region}" is not a region of this environment (${context.regionNames.join(", ")})` },
  ];
}

export function endMs(params: FaultTiming): number {
  return (params.startS + params.durationS) * 1000;
}

/** A region misbehaving in `mode` over [fromMs, toMs): down and hang carry no error rate or latency. */
export function regionEffect(
  region: string,
  fromMs: number,
  toMs: number,
  mode: RegionEffect["mode"],
  degraded: { errorRate: number; addedLatencyMs: number } = { errorRate: 0, addedLatencyMs: 0 },
): RegionEffect {
  return { type: "region", region, fromMs, toMs, mode, ...degraded };
}
