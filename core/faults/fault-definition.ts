import { z } from "zod";

/**
 * A fault kind as the simulator, the live stack and the CLI all name it: one definition per kind,
 * one file per kind in this folder, listed in `index.ts`. The simulator's scenario entries
 * (`simulator/faults/`), the live stack's fault API (`stack/faults/`) and `failover fault` take
 * exactly these parameters; `test/faults/one-vocabulary.test.ts` compares every kind as each of
 * them parses it.
 *
 * Adding a kind (the style to follow):
 *  1. here, `<kind>.ts`: `export const fooFault = defineFault({ kind, summary, params, stacking, cli })`
 *     (`defineRegionFault` for a fault on one service region: it adds `region` and the command)
 *     with zod parameters whose names end in their unit (`addedLatencyMs`, `periodS`), each with
 *     its limits and, where one makes sense, its default; add it to `index.ts`;
 *  2. `simulator/faults/<kind>.ts`: `export const foo = simFault(fooFault, { check, plan, ... })`,
 *     listed in `simulator/faults/kinds.ts`;
 *  3. `stack/faults/<kind>.ts`: `export const foo = liveFault(fooFault, async (stack, params) => heal)`,
 *     listed in `stack/faults/kinds.ts` (or in `LIVE_ONLY_IN_SIMULATOR`, with the reason, if the
 *     live stack cannot do it).
 * Timing (`startS`/`durationS` in a scenario, `durationS` or `--for` live) is not a parameter:
 * every kind has it.
 */
export interface FaultDefinition<S extends z.ZodRawShape = z.ZodRawShape> {
  kind: string;
  /** One line for `--help`, the fault list and the docs. */
  summary: string;
  /** The parameters: units last in names, limits and defaults stated in the schema. */
  params: S;
  /** A rule across parameters (e.g. downS < periodS): the offending field and why. */
  refine?(params: z.infer<z.ZodObject<S>>): { field: string; reason: string } | undefined;
  /** How two faults of this kind over the same thing at once combine (simulator/faults/README.md). */
  stacking: string;
  /** `failover fault <verb> [argument]`: the verb, and what its one argument fills. */
  cli: {
    verb: string;
    /** The argument's name in `--help`; none for a kind without one. */
    argument?: string;
    /** The parameters the argument fills. */
    fromArgument?: (text: string) => Record<string, unknown>;
    /** Every parameter the argument can fill, when it fills different ones for different text. */
    fills?: readonly string[];
  };
}

export function defineFault<S extends z.ZodRawShape>(definition: FaultDefinition<S>): FaultDefinition<S> {
  return definition;
}

/** The parameters alone, strict (an unknown field is an error), with the kind's cross-field rule. */
export function paramsSchema<S extends z.ZodRawShape>(definition: FaultDefinition<S>) {
  return withRule(z.object(definition.params).strict(), definition as unknown as FaultDefinition);
}

/** Adds the kind's cross-field rule, if any, to an object schema holding its parameters. */
export function withRule<T extends z.ZodType>(schema: T, definition: FaultDefinition): T {
  const rule = definition.refine;
  if (!rule) return schema;
  return schema.superRefine((value, ctx) => {
    const problem = rule(value as Record<string, unknown>);
    if (problem) ctx.addIssue({ code: "custom", message: problem.reason, path: [problem.field] });
  });
}

/** The one parameter of a fault on a service region. */
export const onRegion = { region: z.string().min(1) };

/** `failover fault <verb> <region>`. */
export function regionCommand(verb: string): FaultDefinition["cli"] {
  return { verb, argument: "region", fromArgument: (region) => ({ region }) };
}

/**
 * A fault on one service region: `region` is its first parameter, and `failover fault <verb>
 * <region>` fills it; the verb is the kind's name unless one is given.
 */
export function defineRegionFault<S extends z.ZodRawShape = Record<never, never>>(
  definition: Omit<FaultDefinition<typeof onRegion & S>, "params" | "cli"> & { verb?: string; params?: S },
): FaultDefinition<typeof onRegion & S> {
  const { verb, params, ...rest } = definition;
  return {
    ...rest,
    params: { ...onRegion, ...params } as typeof onRegion & S,
    cli: regionCommand(verb ?? definition.kind),
  };
}

/** A degraded region's share of 503s and added latency. */
export interface Degradation {
  errorRate: number;
  addedLatencyMs: number;
}

/**
 * Overlapping brownouts on one region, in the simulator and the live stack alike: added latencies
 * add; error rates combine as independent chances, 1 - (1 - a)(1 - b), so 50% and 20% fail 60%.
 */
export function combineDegradations(list: Iterable<Degradation>): Degradation {
  let keep = 1;
  let addedLatencyMs = 0;
  for (const d of list) {
    keep *= 1 - d.errorRate;
    addedLatencyMs += d.addedLatencyMs;
  }
  return { errorRate: 1 - keep, addedLatencyMs };
}

/** The parameters a kind's command argument fills (they get no option of their own). */
export function argumentParams(definition: FaultDefinition): string[] {
  const { fills, fromArgument } = definition.cli;
  return fills ? [...fills] : Object.keys(fromArgument?.("a->b") ?? {});
}
