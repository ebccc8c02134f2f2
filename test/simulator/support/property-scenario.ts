import fc from "fast-check";
import { parseScenarioText } from "../../../simulator/scenario/load-scenario.ts";
import type { ResolvedScenario } from "../../../simulator/scenario/resolved-scenario.ts";

/** The replication settings a property test draws from. */
export const replicationArb = fc.constantFrom<ReplicationChoice>("async", "sync-degrade", "sync-refuse");
export type ReplicationChoice = "async" | "sync-degrade" | "sync-refuse";

/** Either region of production's pair, as a fault's target. */
export const regionArb = fc.constantFrom("prod-us", "prod-ie");

/**
 * When a fault starts (from 5 s, at the latest `maxStartS`) and how long it lasts (up to
 * `maxLengthS`, cut at the end of a `durationS` run).
 */
export function timingArb(durationS: number, maxStartS: number, maxLengthS: number) {
  return fc
    .record({
      startS: fc.integer({ min: 5, max: maxStartS }),
      lengthS: fc.integer({ min: 1, max: maxLengthS }),
    })
    .map(({ startS, lengthS }) => ({ startS, durationS: Math.min(lengthS, durationS - startS) }));
}

/**
 * A property test's draw: one to three faults from `faultArb`, a replication setting, the test's
 * own `extra` fields, and the simulator's seed (in that order, which fixes what a given
 * fast-check seed draws).
 */
export function specArb<F, E extends Record<string, fc.Arbitrary<unknown>>>(
  faultArb: fc.Arbitrary<F>,
  extra: E,
) {
  return fc.record({
    faults: fc.array(faultArb, { minLength: 1, maxLength: 3 }),
    replication: replicationArb,
    ...extra,
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  }) as fc.Arbitrary<
    { faults: F[]; replication: ReplicationChoice; seed: number } & {
      [K in keyof E]: E[K] extends fc.Arbitrary<infer T> ? T : never;
    }
  >;
}

/** What a spec arbitrary draws. */
export type SpecOf<A> = A extends fc.Arbitrary<infer T> ? T : never;

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
