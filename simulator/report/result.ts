import type { CapacityReport } from "../capacity/capacity-model.ts";
import type { DegradedService } from "../capacity/degraded-service.ts";
import type { FalseFailover, FaultOutcome } from "./failover-analysis.ts";
import type { LostWritesResult } from "./lost-writes.ts";
import type { PromotionCause } from "./promotions.ts";
import type { LatencySummary } from "./run-recorder.ts";
import type { SplitBrainViolation } from "./split-brain.ts";

/**
 * Everything a run found, as written to the JSON report. Deterministic: no wall-clock value is
 * in it, so two runs of one scenario and seed give byte-identical files.
 */
export interface ScenarioResult {
  scenario: {
    file: string;
    name: string;
    label: string;
    description: string;
    environment: string;
    topology: string;
    failoverBy: string;
    durationS: number;
    settleS: number;
    seed: number;
    seeds: Record<string, number>;
    parameters: Record<string, unknown>;
  };
  latencyTable: { name: string; pairs: { a: string; b: string; rttMs: number; source: string }[] };
  faults: {
    index: number;
    kind: string;
    label: string;
    startS: number;
    endS: number;
    /** What it took down (its failure domain). */
    domain?: string;
  }[];
  phases: {
    name: string;
    fromS: number;
    toS: number;
    ok: number;
    failed: number;
    successRate: number | null;
  }[];
  latency: { location: string; phases: Record<string, LatencySummary>; all: LatencySummary | undefined }[];
  requests: {
    sent: number;
    ok: number;
    failed: number;
    successRate: number | null;
    readsNotFound: number;
    byStatus: Record<string, number>;
  };
  timeline: {
    bucketS: number;
    locations: {
      location: string;
      p50Ms: (number | null)[];
      p99Ms: (number | null)[];
      successRate: (number | null)[];
    }[];
  };
  activeRegion: {
    atS: number;
    cell: number;
    region: string;
    epoch: number;
    cause: PromotionCause | "start";
  }[];
  failover: FaultOutcome[];
  promotions: {
    atS: number;
    cell: number;
    from: string;
    to: string;
    epoch: number;
    cause: PromotionCause;
    reason: string;
    replicationLagEntries: number;
  }[];
  /**
   * The control record's replicas per cell (a model of a DynamoDB MRSC table): calls answered,
   * calls refused for want of a majority, and the mean quorum round trip each answer paid.
   */
  controlPlane: {
    cell: number;
    replicas: {
      name: string;
      awsRegion: string;
      location: string;
      witness: boolean;
      answered: number;
      noQuorum: number;
      quorumMsMean: number | null;
    }[];
  }[];
  falseFailovers: FalseFailover[];
  lostWrites: LostWritesResult;
  splitBrain: { count: number; violations: SplitBrainViolation[] };
  replication: {
    caughtUp: boolean;
    cells: { cell: number; active: string; activeHeadSeq: number; standbyHeadSeq: number }[];
  };
  expectations: { name: string; expected: string; actual: string; met: boolean }[];
  invariants: { ok: boolean; violations: string[] };
  warnings: string[];
  simulation: { eventsRun: number; requestsDelivered: number; writesSent: number };
  /** Only when the scenario sets a capacity (simulator/capacity/): each pool, and the minutes of degraded service. */
  capacity?: CapacityReport & { clientRetries: number; degraded: DegradedService };
}
