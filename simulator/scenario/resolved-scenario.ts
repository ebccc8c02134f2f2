import type { EnvironmentConfig } from "../../config/schema.ts";
import type { CapacitySpec } from "../capacity/capacity-schema.ts";
import type { FaultEffect } from "../faults/effects.ts";
import type { FailureDomains, FaultTiming } from "../faults/registry.ts";
import type { JitterSpec } from "../latency/jitter.ts";
import type { LatencyTable } from "../latency/latency-table.ts";
import type { ServiceTime } from "../transport/sim-network.ts";
import type { DnsModelSpec, ExpectSpec, ScenarioInput, SweepSpec } from "./scenario-schema.ts";

export interface ResolvedClient {
  name: string;
  location: string;
  ratePerS: number;
  writeShare: number;
  arrival: "poisson" | "uniform";
  /** The router id these clients send to (router mode). */
  routerId: string | undefined;
  connectTimeoutMs: number;
  timeoutMs: number;
  retries?: { max: number; backoffMs: number; backoffMultiplier: number };
}

export interface PlannedFault {
  index: number;
  kind: string;
  params: FaultTiming & Record<string, unknown>;
  label: string;
  startMs: number;
  endMs: number;
  effects: FaultEffect[];
  /** Regions this fault makes unable to serve, by the policy (a failover from them is warranted). */
  warrantsFailoverFrom: string[];
  /** What the fault takes down, for reports: "AWS us-east-1: prod-us and its store, ...". */
  domain?: string | undefined;
}

/** A scenario after validation: everything a run needs, with defaults filled and names checked. */
export interface ResolvedScenario {
  /** The scenario file as the user named it. */
  file: string;
  name: string;
  /** The variant label in a comparison; the name otherwise. */
  label: string;
  description: string;
  environment: string;
  config: EnvironmentConfig;
  durationS: number;
  settleS: number;
  seed: number | undefined;
  failoverBy: "router" | "dns";
  topology: "active-standby" | "active-active";
  latencyTable: LatencyTable;
  latencyTableName: string;
  jitter: JitterSpec;
  serviceTime: ServiceTime;
  /** Workers and queues (simulator/capacity/); undefined: infinite capacity. */
  capacity: CapacitySpec | undefined;
  routers: { id: string; location: string; awsRegion: string | undefined }[];
  /** Every part's AWS region (faults/registry.ts). */
  domains: FailureDomains;
  /** Each router's and region's clock runs at 1 + x ppm, x drawn from the seed in [-this, +this]. */
  clockDriftPpm: number;
  clients: ResolvedClient[];
  dns: DnsModelSpec;
  faults: PlannedFault[];
  report: ScenarioInput["report"];
  expect: ExpectSpec;
}

export interface LoadedScenarioFile {
  file: string;
  kind: "single" | "comparison" | "sweep";
  name: string;
  description: string;
  /** One for a single scenario or a sweep's base; one per variant for a comparison. */
  scenarios: ResolvedScenario[];
  sweep: SweepSpec | undefined;
}

/** Scale factors for quick runs (tests, previews): every time in the scenario, every client rate. */
export interface LoadOptions {
  scaleTime?: number;
  scaleRate?: number;
}
