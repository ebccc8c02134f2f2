import fc from "fast-check";

// What the property tests draw (fast-check arbitraries); property-scenario.ts turns a draw into a scenario.

/** The replication settings a property test draws from. */
export const replicationArb = fc.constantFrom<ReplicationChoice>("async", "sync-degrade", "sync-refuse");
export type ReplicationChoice = "async" | "sync-degrade" | "sync-refuse";

/** Either region of production's pair, as a fault's target. */
export const regionArb = fc.constantFrom("prod-us", "prod-ie");

/** A fault of `kind` on either region, with its own `params` drawn as given (none for region-down). */
export function regionFaultArb<T, P extends Record<string, unknown> = Record<never, never>>(
  kind: string,
  timing: fc.Arbitrary<T>,
  params?: { [K in keyof P]: fc.Arbitrary<P[K]> },
): fc.Arbitrary<{ kind: string; region: string; t: T } & P> {
  return fc.record({ kind: fc.constant(kind), region: regionArb, ...params, t: timing }) as fc.Arbitrary<
    { kind: string; region: string; t: T } & P
  >;
}

/** A brownout on either region: an error rate and an added latency up to the given bounds. */
export function brownoutArb<T>(timing: fc.Arbitrary<T>, max: { errorRate: number; addedLatencyMs: number }) {
  return fc.record({
    kind: fc.constant("brownout"),
    region: regionArb,
    errorRate: fc.double({ min: 0, max: max.errorRate, noNaN: true }),
    addedLatencyMs: fc.integer({ min: 0, max: max.addedLatencyMs }),
    t: timing,
  });
}

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
