import { awsRegionOutage } from "./aws-region-outage.ts";
import { brownout } from "./brownout.ts";
import { controlReplicaSlow } from "./control-replica-slow.ts";
import { flapping } from "./flapping.ts";
import type { LiveFaultKind } from "./live-fault.ts";
import { partition } from "./partition.ts";
import { regionDown } from "./region-down.ts";
import { regionHang } from "./region-hang.ts";
import { replicationPaused } from "./replication-paused.ts";
import { routerRestart } from "./router-restart.ts";
import { storeDown } from "./store-down.ts";
import { storeLatencySpike } from "./store-latency-spike.ts";

/** Every live fault kind, by name. Adding a kind means adding a file and a line here. */
export const LIVE_FAULTS: ReadonlyMap<string, LiveFaultKind> = new Map(
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
  ].map((f) => [f.kind, f]),
);
