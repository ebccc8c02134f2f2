// One line per live fault kind: the registry in index.ts takes every export of this file.
export { awsRegionOutage } from "./aws-region-outage.ts";
export { brownout } from "./brownout.ts";
export { controlReplicaSlow } from "./control-replica-slow.ts";
export { flapping } from "./flapping.ts";
export { partition } from "./partition.ts";
export { regionDown } from "./region-down.ts";
export { regionHang } from "./region-hang.ts";
export { replicationPaused } from "./replication-paused.ts";
export { routerRestart } from "./router-restart.ts";
export { storeDown } from "./store-down.ts";
export { storeLatencySpike } from "./store-latency-spike.ts";
