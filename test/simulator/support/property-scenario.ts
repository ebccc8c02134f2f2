import fc from "fast-check";
import { parseScenarioText } from "../../../simulator/scenario/load-scenario.ts";
import type { ResolvedScenario } from "../../../simulator/scenario/resolved-scenario.ts";

/** The replication settings a property test draws from. */
export const replicationArb = fc.constantFrom("async", "sync-degrade", "sync-refuse");
export type ReplicationChoice = "async" | "sync-degrade" | "sync-refuse";

/** A fault on the timeline: its own fields, plus when it starts and how long it lasts. */
export interface TimedFault {
  kind: string;
  t: { startS: number; durationS: number };
  [field: string]: unknown;
}

/**
 * A scenario for the property tests: production's topology, inter-region latencies, two client
 * groups, the drawn faults and replication setting; `extra` adds or overrides top-level fields.
 */
export function propertyScenario(options: {
  name: string;
  durationS: number;
  settleS: number;
  replication: ReplicationChoice;
  faults: readonly TimedFault[];
  rates: { usPerS: number; euPerS: number; writeShare: number };
  extra?: Record<string, unknown>;
}): ResolvedScenario {
  const { rates } = options;
  const raw = {
    name: options.name,
    durationS: options.durationS,
    settleS: options.settleS,
    replication:
      options.replication === "async"
        ? { mode: "async" }
        : {
            mode: "sync",
            onStandbyUnreachable:
              options.replication === "sync-degrade" ? "degrade-to-async" : "refuse-writes",
          },
    latency: { table: "inter-region", jitter: { distribution: "lognormal", medianMs: 0.3, sigma: 1 } },
    clients: [
      { name: "us", location: "virginia", ratePerS: rates.usPerS, writeShare: rates.writeShare },
      { name: "eu", location: "ireland", ratePerS: rates.euPerS, writeShare: rates.writeShare },
    ],
    faults: options.faults.map(({ t, ...f }) => ({ ...f, ...t })),
    ...options.extra,
  };
  return parseScenarioText(JSON.stringify(raw), `${options.name}.json`, process.cwd()).scenarios[0]!;
}
