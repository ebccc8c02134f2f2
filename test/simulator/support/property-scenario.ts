import { parseScenarioText } from "../../../simulator/scenario/load-scenario.ts";
import type { ResolvedScenario } from "../../../simulator/scenario/resolved-scenario.ts";
import type { ReplicationChoice } from "./fault-arbitraries.ts";

/** A fault on the timeline: its own fields, plus when it starts and how long it lasts. */
export interface TimedFault {
  kind: string;
  t: { startS: number; durationS: number };
  [field: string]: unknown;
}

/**
 * A scenario for the property tests: production's topology, inter-region latencies, two client
 * groups, the drawn faults and replication setting (`spec`), played for `run.durationS` and then
 * `run.settleS` with no fault; `extra` adds or overrides top-level fields.
 */
export function propertyScenario(
  spec: { replication: ReplicationChoice; faults: readonly TimedFault[] },
  options: {
    name: string;
    run: { durationS: number; settleS: number };
    rates: { usPerS: number; euPerS: number; writeShare: number };
    extra?: Record<string, unknown>;
  },
): ResolvedScenario {
  const { rates, run } = options;
  const raw = {
    name: options.name,
    durationS: run.durationS,
    settleS: run.settleS,
    replication:
      spec.replication === "async"
        ? { mode: "async" }
        : {
            mode: "sync",
            onStandbyUnreachable: spec.replication === "sync-degrade" ? "degrade-to-async" : "refuse-writes",
          },
    latency: { table: "inter-region", jitter: { distribution: "lognormal", medianMs: 0.3, sigma: 1 } },
    clients: [
      { name: "us", location: "virginia", ratePerS: rates.usPerS, writeShare: rates.writeShare },
      { name: "eu", location: "ireland", ratePerS: rates.euPerS, writeShare: rates.writeShare },
    ],
    faults: spec.faults.map(({ t, ...f }) => ({ ...f, ...t })),
    ...options.extra,
  };
  return parseScenarioText(JSON.stringify(raw), `${options.name}.json`, process.cwd()).scenarios[0]!;
}
