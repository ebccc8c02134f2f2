import type { z } from "zod";
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
 * One kind of live fault, in one file (Toxiproxy's layout): its parameters and how to apply it.
 * Kinds and parameters match the simulator's scenario faults.
 */
export interface LiveFaultKind<S extends z.ZodType = z.ZodType> {
  kind: string;
  summary: string;
  params: S;
  apply(stack: StackHandles, params: z.infer<S>): Promise<Heal>;
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
