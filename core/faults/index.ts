import { awsRegionOutageFault } from "./aws-region-outage.ts";
import { brownoutFault } from "./brownout.ts";
import { controlReplicaSlowFault } from "./control-replica-slow.ts";
import type { FaultDefinition } from "./fault-definition.ts";
import { flappingFault } from "./flapping.ts";
import { partitionFault } from "./partition.ts";
import { regionDownFault } from "./region-down.ts";
import { regionHangFault } from "./region-hang.ts";
import { replicationPausedFault } from "./replication-paused.ts";
import { routerRestartFault } from "./router-restart.ts";
import { storeDownFault } from "./store-down.ts";
import { storeLatencySpikeFault } from "./store-latency-spike.ts";

/**
 * Every fault kind, by name: the one list the simulator's, the live stack's and the CLI's
 * registries are checked against (test/faults/one-vocabulary.test.ts). Adding a kind: a file
 * here and a line below (see fault-definition.ts for the rest).
 */
export const FAULT_DEFINITIONS: ReadonlyMap<string, FaultDefinition> = new Map(
  (
    [
      regionDownFault,
      regionHangFault,
      brownoutFault,
      partitionFault,
      replicationPausedFault,
      storeDownFault,
      routerRestartFault,
      flappingFault,
      awsRegionOutageFault,
      controlReplicaSlowFault,
      storeLatencySpikeFault,
    ] as FaultDefinition[]
  ).map((d) => [d.kind, d]),
);

/**
 * The simulator's or the live stack's fault kinds by name, each checked to implement the
 * definition above under its own name (test/faults/one-vocabulary.test.ts then checks that both
 * cover every kind). Throws on a kind defined nowhere, implemented twice, or wired to another
 * kind's definition, so a registry cannot drift from FAULT_DEFINITIONS unnoticed.
 */
export function registryOf<T extends { kind: string; definition: FaultDefinition }>(
  implementations: Iterable<T>,
): ReadonlyMap<string, T> {
  const byKind = new Map<string, T>();
  for (const implementation of implementations) {
    const { kind, definition } = implementation;
    if (FAULT_DEFINITIONS.get(kind) !== definition) {
      throw new Error(`fault kind "${kind}" does not implement the definition in core/faults/`);
    }
    if (byKind.has(kind)) throw new Error(`fault kind "${kind}" is implemented twice`);
    byKind.set(kind, implementation);
  }
  return byKind;
}

export {
  argumentParams,
  combineDegradations,
  type Degradation,
  type FaultDefinition,
  paramsSchema,
} from "./fault-definition.ts";
