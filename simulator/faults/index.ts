import { registryOf } from "../../core/faults/index.ts";
import * as kinds from "./kinds.ts";
import type { FaultKind } from "./registry.ts";

/**
 * Every fault kind the simulator runs, by name (Toxiproxy's toxics/ directory in miniature): one
 * file per kind, one line in kinds.ts. Each implements a definition from core/faults/, the
 * vocabulary the live stack and the CLI share; test/faults/one-vocabulary.test.ts checks they agree.
 */
export const SIM_FAULTS: ReadonlyMap<string, FaultKind> = registryOf<FaultKind>(Object.values(kinds));

export function faultKind(name: string): FaultKind | undefined {
  return SIM_FAULTS.get(name);
}

export function faultKindNames(): string[] {
  return [...SIM_FAULTS.keys()].sort();
}

export type { FaultKind, FaultPlanContext } from "./registry.ts";
