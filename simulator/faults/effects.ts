/**
 * What faults do, as intervals on the virtual timeline. A fault kind turns its scenario entry
 * into effects; the transport asks the FaultState what holds at a given time. All times are
 * virtual ms since the start of the run, intervals are [fromMs, toMs).
 */

/** A region that refuses connections (down), accepts and never answers (hang), or is degraded. */
export interface RegionEffect {
  type: "region";
  region: string;
  fromMs: number;
  toMs: number;
  mode: "down" | "hang" | "degraded";
  /** Share of requests answered with a 503 (degraded only), 0..1. */
  errorRate: number;
  /** Added to every response's time in the region (degraded only). */
  addedLatencyMs: number;
}

/** Packets between two groups of endpoints are dropped (both ways unless oneWay). */
export interface LinkEffect {
  type: "link";
  /** Endpoint selectors: a region name, a router id, "client:<name>", "clients", "routers", "regions", "dns". */
  a: string;
  b: string;
  oneWay: boolean;
  fromMs: number;
  toMs: number;
}

/** Replication requests from `from` to `to` are refused (the stream is stopped); other traffic flows. */
export interface ReplicationEffect {
  type: "replication";
  from: string;
  to: string;
  fromMs: number;
  toMs: number;
}

/** A router that is not running (restarting): connections to it are refused. */
export interface RouterEffect {
  type: "router";
  routerId: string;
  fromMs: number;
  toMs: number;
}

/** A region's store is unreachable: its MemoryStore has `down = true`. */
export interface StoreEffect {
  type: "store";
  region: string;
  fromMs: number;
  toMs: number;
}

/**
 * Everything placed in one AWS region is gone (aws-region-outage): endpoints there refuse
 * connections, send nothing, and lose the work in progress. Service regions, stores and routers
 * there get their own region, store and router effects as well; this one covers the parts that
 * have no fault of their own (control replicas, Route 53 health checkers).
 */
export interface AwsRegionEffect {
  type: "aws-region";
  awsRegion: string;
  fromMs: number;
  toMs: number;
}

/**
 * A control replica answers late (control-replica-slow): every call it answers, and every quorum
 * round trip it takes part in, takes `addedLatencyMs` longer. Selected by replica name
 * ("control-us-east-2", "witness-us-west-2") or by AWS region (every member placed there).
 */
export interface ControlSlowEffect {
  type: "control-slow";
  replica: string | undefined;
  awsRegion: string | undefined;
  addedLatencyMs: number;
  fromMs: number;
  toMs: number;
}

/**
 * A region's store calls take longer (store-latency-spike): `addedLatencyMs`, plus a uniform
 * draw in [0, jitterMs), split between the way there and the way back.
 */
export interface StoreLatencyEffect {
  type: "store-latency";
  region: string;
  addedLatencyMs: number;
  jitterMs: number;
  fromMs: number;
  toMs: number;
}

export type FaultEffect =
  | RegionEffect
  | LinkEffect
  | ReplicationEffect
  | RouterEffect
  | StoreEffect
  | AwsRegionEffect
  | ControlSlowEffect
  | StoreLatencyEffect;
