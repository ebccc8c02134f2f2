import type { z } from "zod";
import { type FaultDefinition, paramsSchema } from "../../core/faults/fault-definition.ts";
import type { StoreLatency } from "../../regions/store/delayed-store.ts";
import type { LinkGate } from "../link-gate.ts";
import type { RegionGate } from "../region-gate.ts";

/** What a live fault can reach in the running stack. */
export interface StackHandles {
  regionNames: string[];
  gate(region: string): RegionGate;
  /** Closes the region's listening socket and stops its replication (the region is gone). */
  takeDown(region: string): Promise<void>;
  bringUp(region: string): Promise<void>;
  /** Sets a region's memory store down; throws if the store cannot be taken down. */
  setStoreDown(region: string, down: boolean): void;
  /** The region's store delay knob (store-latency-spike): every store call waits that long. */
  storeLatency(region: string): StoreLatency;
  /**
   * Makes control replicas answer `addedLatencyMs` later (0 heals): one by name, or every one in
   * an AWS region. Returns the names it changed; throws FaultError if none matches.
   */
  setControlSlow(selector: { replica?: string; awsRegion?: string }, addedLatencyMs: number): string[];
  /** Links by name: client->router, router->prod-us, prod-us->prod-ie, ... */
  link(name: string): LinkGate;
  linkNames(): string[];
  restartRouter(): Promise<void>;
  /** Where each part runs: its AWS region (the failure domain aws-region-outage takes down). */
  awsRegions(): {
    regions: { name: string; awsRegion: string }[];
    router: string | undefined;
    controlReplicas: { name: string; awsRegion: string }[];
  };
  /** Closes (or reopens) the ports of the control replicas in one AWS region; returns their names. */
  setControlDown(awsRegion: string, down: boolean): Promise<string[]>;
  /** The router's process is gone (its port refuses) or back, rebuilt with fresh state. */
  setRouterDown(down: boolean): Promise<void>;
  /** A fault's own timer failed (e.g. a flapping region could not listen again); logged, not thrown. */
  reportError(error: unknown, context: string): void;
}

/** Undoes a fault (heal). */
export type Heal = () => Promise<void>;

/**
 * One kind of live fault, in one file (Toxiproxy's layout): the shared definition it implements
 * (core/faults/: name, parameters, defaults, limits and stacking, the same as the simulator's
 * scenario entries and the CLI's) and how to apply it to the running stack.
 */
export interface LiveFaultKind<S extends z.ZodType = z.ZodType> {
  kind: string;
  summary: string;
  definition: FaultDefinition;
  params: S;
  apply(stack: StackHandles, params: z.infer<S>): Promise<Heal>;
}

/** The live side of a fault kind: its parameters are exactly the definition's. */
export function liveFault<S extends z.ZodRawShape>(
  definition: FaultDefinition<S>,
  apply: (stack: StackHandles, params: z.output<z.ZodObject<S>>) => Promise<Heal>,
): LiveFaultKind {
  return {
    kind: definition.kind,
    summary: definition.summary,
    definition: definition as unknown as FaultDefinition,
    params: paramsSchema(definition),
    apply: apply as LiveFaultKind["apply"],
  };
}

const holds = new WeakMap<StackHandles, Map<string, number>>();

/**
 * Counted, as the shared stacking rules say (a region is down while any fault holds it down, a
 * store likewise): `on` runs for the first holder of `key`, `off` when the last one lets go.
 * Returns the release, which does nothing the second time.
 */
export async function hold(
  stack: StackHandles,
  key: string,
  on: () => Promise<void> | void,
  off: () => Promise<void> | void,
): Promise<() => Promise<void>> {
  let counts = holds.get(stack);
  if (!counts) {
    counts = new Map();
    holds.set(stack, counts);
  }
  const held = counts;
  const before = held.get(key) ?? 0;
  held.set(key, before + 1);
  if (before === 0) {
    try {
      await on();
    } catch (error) {
      held.set(key, (held.get(key) ?? 1) - 1);
      throw error;
    }
  }
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    const left = (held.get(key) ?? 1) - 1;
    held.set(key, left);
    if (left === 0) await off();
  };
}

/** Holds a region down (its port closed) while any fault says so. */
export function holdRegionDown(stack: StackHandles, region: string): Promise<() => Promise<void>> {
  return hold(
    stack,
    `region:${region}`,
    () => stack.takeDown(region),
    () => stack.bringUp(region),
  );
}

/**
 * Holds links partitioned (every packet dropped) or refusing (replication refused) while any
 * fault says so; returns one release for them all.
 */
export async function holdLinks(
  stack: StackHandles,
  names: string[],
  state: "partitioned" | "refusing",
): Promise<() => Promise<void>> {
  const releases: (() => Promise<void>)[] = [];
  for (const name of names) {
    const link = stack.link(name);
    const set = (value: boolean) => {
      link[state] = value;
    };
    releases.push(
      await hold(
        stack,
        `${state}:${name}`,
        () => set(true),
        () => set(false),
      ),
    );
  }
  return async () => {
    for (const release of releases) await release();
  };
}

/** Holds a region's store down while any fault says so. */
export function holdStoreDown(stack: StackHandles, region: string): Promise<() => Promise<void>> {
  return hold(
    stack,
    `store:${region}`,
    () => stack.setStoreDown(region, true),
    () => stack.setStoreDown(region, false),
  );
}

/** A fault request the stack refuses: 400 (bad parameters) or 409 (conflicts with an active fault). */
export class FaultError extends Error {
  override name = "FaultError";
  constructor(
    message: string,
    readonly status: 400 | 409 = 400,
  ) {
    super(message);
  }
}

export function checkRegion(stack: StackHandles, region: string): void {
  if (!stack.regionNames.includes(region)) {
    throw new FaultError(`no region "${region}" in the stack (have ${stack.regionNames.join(", ")})`);
  }
}
