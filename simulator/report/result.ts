import type { CapacityReport } from "../capacity/capacity-model.ts";
import type { DegradedService } from "../capacity/degraded-service.ts";
import type { ControlReplicaStats } from "../system/control-replicas.ts";
import type { FalseFailover, FaultOutcome, OtherOutage } from "./failover-analysis.ts";
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
  /** Close-ups around each fault's start (HTML report), per location and ZOOM_BUCKET_MS. */
  zoom: {
    fault: number;
    fromS: number;
    bucketS: number;
    locations: { location: string; slowestMs: (number | null)[]; ok: number[]; failed: number[] }[];
  }[];
  activeRegion: {
    atS: number;
    cell: number;
    region: string;
    epoch: number;
    cause: PromotionCause | "start";
  }[];
  failover: FaultOutcome[];
  /** Outages no fault caused: after a failback, a drain, an operator's promotion, or unattributed. */
  otherOutages: OtherOutage[];
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
    /** As the simulator counts them, with the mean quorum round trip instead of the sum. */
    replicas: (Omit<ControlReplicaStats, "quorumMsTotal"> & { quorumMsMean: number | null })[];
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
