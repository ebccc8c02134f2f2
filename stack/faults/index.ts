import { registryOf } from "../../core/faults/index.ts";
import * as kinds from "./kinds.ts";
import type { LiveFaultKind } from "./live-fault.ts";

/** Every live fault kind, by name. Adding a kind means adding a file and a line in kinds.ts. */
export const LIVE_FAULTS: ReadonlyMap<string, LiveFaultKind> = registryOf<LiveFaultKind>(
  Object.values(kinds),
);
