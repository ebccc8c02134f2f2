import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runScenario } from "../../simulator/run/run-scenario.ts";
import { brownoutArb, regionFaultArb, type SpecOf, specArb, timingArb } from "./support/fault-arbitraries.ts";
import { propertyScenario } from "./support/property-scenario.ts";

/** Faults within the first 100 s, then 40 s with none for the system to settle and heal. */
const RUN = { durationS: 100, settleS: 40 };
const timing = timingArb(RUN.durationS, 80, 60);

/** Any fault kind, on any target, anywhere on the timeline. */
const faultArb = fc.oneof(
  regionFaultArb("region-down", timing),
  regionFaultArb("region-hang", timing),
  brownoutArb(timing, { errorRate: 1, addedLatencyMs: 500 }),
  fc.record({
    kind: fc.constant("partition"),
    between: fc.constantFrom(
      ["prod-us", "prod-ie"],
      ["routers", "prod-us"],
      ["routers", "prod-ie"],
      ["clients", "routers"],
    ),
    t: timing,
  }),
  fc.record({ kind: fc.constant("replication-paused"), t: timing }),
  regionFaultArb("store-down", timing),
  fc.record({ kind: fc.constant("router-restart"), t: timing }),
  regionFaultArb("flapping", timing, { periodS: fc.integer({ min: 4, max: 20 }) }).map((f) => ({
    ...f,
    downS: Math.max(1, Math.floor(f.periodS / 3)),
  })),
);

const specs = specArb(faultArb, { failback: fc.constantFrom("manual", "automatic") });

function scenarioOf(spec: SpecOf<typeof specs>) {
  return propertyScenario(spec, {
    name: "property",
    run: RUN,
    rates: { usPerS: 12, euPerS: 8, writeShare: 0.4 },
    extra: {
      router: { failback: { mode: spec.failback, holdDownMs: 10_000 }, minPromotionIntervalMs: 5000 },
    },
  });
}

describe("invariants over random fault timelines (fast-check)", () => {
  it("never splits the brain, loses only what replication lag explains, and heals", async () => {
    await fc.assert(
      fc.asyncProperty(specs, async (spec) => {
        const { result } = await runScenario(scenarioOf(spec), { seed: spec.seed });
        expect(result.splitBrain.count).toBe(0);
        expect(result.lostWrites.unexplained).toBe(0);
        // Sync mode loses nothing acknowledged: a write acknowledged without the standby is one
        // the control record says no router may promote away from (Patroni's synchronous mode).
        if (spec.replication !== "async") expect(result.lostWrites.lost).toBe(0);
        expect(result.replication.caughtUp).toBe(true);
        expect(result.invariants).toEqual({ ok: true, violations: [] });
        expect(result.warnings).toEqual([]);
      }),
      // SIM_PROPERTY_RUNS / SIM_PROPERTY_SEED explore further than the default (e.g. 500 runs overnight).
      {
        numRuns: Number(process.env.SIM_PROPERTY_RUNS ?? 25),
        seed: Number(process.env.SIM_PROPERTY_SEED ?? 20_260_101),
        endOnFailure: true,
      },
    );
  }, 3_600_000);
});
