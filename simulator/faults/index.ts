// Every fault kind registers itself when its file is loaded; this list is the only place that
// names them (one line per file, Toxiproxy's toxics/ directory in miniature).
import "./region-down.ts";
import "./region-hang.ts";
import "./brownout.ts";
import "./partition.ts";
import "./replication-paused.ts";
import "./store-down.ts";
import "./router-restart.ts";
import "./flapping.ts";
import "./aws-region-outage.ts";
import "./control-replica-slow.ts";
import "./store-latency-spike.ts";

export { type FaultPlanContext, faultKind, faultKindNames } from "./registry.ts";
