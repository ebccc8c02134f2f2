import { awsRegionOutage } from "./aws-region-outage.ts";
import { brownout } from "./brownout.ts";
import { controlReplicaSlow } from "./control-replica-slow.ts";
import { flapping } from "./flapping.ts";
import { partition } from "./partition.ts";
import { regionDown } from "./region-down.ts";
import { regionHang } from "./region-hang.ts";
import type { FaultKind } from "./registry.ts";
import { replicationPaused } from "./replication-paused.ts";
import { routerRestart } from "./router-restart.ts";
import { storeDown } from "./store-down.ts";
import { storeLatencySpike } from "./store-latency-spike.ts";

/**
 * Every fault kind the simulator runs, by name (Toxiproxy's toxics/ directory in miniature): one
 * file per kind, one line here. Each implements a definition from core/faults/, the vocabulary
 * the live stack and the CLI share; test/faults/one-vocabulary.test.ts checks they agree.
 */
export const SIM_FAULTS: ReadonlyMap<string, FaultKind> = new Map(
  [
    regionDown,
    regionHang,
    brownout,
    partition,
    replicationPaused,
    storeDown,
    routerRestart,
    flapping,
    awsRegionOutage,
    controlReplicaSlow,
    storeLatencySpike,
  ].map((k) => [k.kind, k]),
);

export function faultKind(name: string): FaultKind | undefined {
  return SIM_FAULTS.get(name);
}

export function faultKindNames(): string[] {
  return [...SIM_FAULTS.keys()].sort();
}

export type { FaultKind, FaultPlanContext } from "./registry.ts";
