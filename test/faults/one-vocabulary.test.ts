import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ManualClock } from "../../core/clock.ts";
import { FAULT_DEFINITIONS, registryOf } from "../../core/faults/index.ts";
import { FaultState } from "../../simulator/faults/fault-state.ts";
import { SIM_FAULTS } from "../../simulator/faults/index.ts";
import { LIVE_FAULTS } from "../../stack/faults/index.ts";
import { RegionGate } from "../../stack/region-gate.ts";

// One vocabulary (core/faults/): every kind is defined once, and the simulator's scenario entries
// and the live stack's fault API take exactly its parameters, defaults and limits.

/** The fewest parameters each kind needs; a new kind must add one here. */
const MINIMAL: Record<string, Record<string, unknown>> = {
  "region-down": { region: "prod-us" },
  "region-hang": { region: "prod-us" },
  brownout: { region: "prod-us" },
  partition: { between: ["routers", "prod-us"] },
  "replication-paused": {},
  "store-down": { region: "prod-us" },
  "router-restart": {},
  flapping: { region: "prod-us" },
  "aws-region-outage": { awsRegion: "us-east-1" },
  "control-replica-slow": { replica: "control-us-east-2", addedLatencyMs: 100 },
  "store-latency-spike": { region: "prod-us", addedLatencyMs: 100 },
};

const TIMING = { startS: 1, durationS: 2 };

/** A scenario entry's schema as JSON Schema, without what every entry has (kind and timing). */
function simParams(kind: string): unknown {
  const json = z.toJSONSchema(SIM_FAULTS.get(kind)!.schema, { io: "input" }) as {
    properties: Record<string, unknown>;
    required?: string[];
  };
  const { kind: _k, startS: _s, durationS: _d, label: _l, ...properties } = json.properties;
  const required = (json.required ?? []).filter((f) => !["kind", "startS", "durationS"].includes(f));
  return { ...json, properties, required };
}

function liveParams(kind: string): unknown {
  const json = z.toJSONSchema(LIVE_FAULTS.get(kind)!.params, { io: "input" }) as { required?: string[] };
  return { ...json, required: json.required ?? [] };
}

describe("one fault vocabulary", () => {
  it("the simulator and the live stack implement every defined kind, and only those", () => {
    const defined = [...FAULT_DEFINITIONS.keys()].sort();
    expect([...SIM_FAULTS.keys()].sort()).toEqual(defined);
    expect([...LIVE_FAULTS.keys()].sort()).toEqual(defined);
    expect(Object.keys(MINIMAL).sort()).toEqual(defined);
    for (const kind of defined) {
      expect(SIM_FAULTS.get(kind)!.definition, kind).toBe(FAULT_DEFINITIONS.get(kind));
      expect(LIVE_FAULTS.get(kind)!.definition, kind).toBe(FAULT_DEFINITIONS.get(kind));
    }
  });

  it("a registry refuses a kind implemented twice or wired to another kind's definition", () => {
    const down = SIM_FAULTS.get("region-down")!;
    expect(() => registryOf([down, down])).toThrow('fault kind "region-down" is implemented twice');
    const miswired = { ...down, definition: FAULT_DEFINITIONS.get("region-hang")! };
    expect(() => registryOf([miswired])).toThrow('fault kind "region-down" does not implement');
    expect(() => registryOf([{ ...down, kind: "meteor" }])).toThrow('fault kind "meteor" does not implement');
  });

  it.each([...FAULT_DEFINITIONS.keys()])("%s: same parameters, limits and defaults in both", (kind) => {
    expect(liveParams(kind)).toEqual(simParams(kind));
    const sim = SIM_FAULTS.get(kind)!.schema.parse({
      kind,
      ...MINIMAL[kind],
      ...TIMING,
    }) as unknown as Record<string, unknown>;
    const { kind: _k, startS: _s, durationS: _d, ...simDefaults } = sim;
    expect(LIVE_FAULTS.get(kind)!.params.parse(MINIMAL[kind])).toEqual(simDefaults);
  });

  it.each([...FAULT_DEFINITIONS.keys()])("%s: both refuse the same out-of-range values", (kind) => {
    const definition = FAULT_DEFINITIONS.get(kind)!;
    for (const [param, field] of Object.entries(definition.params)) {
      const json = z.toJSONSchema(field as z.ZodType, { io: "input" }) as {
        minimum?: number;
        maximum?: number;
      };
      const probes = [json.minimum, json.maximum].flatMap((edge) =>
        edge === undefined ? [] : [edge - 0.05, edge, edge + 0.05],
      );
      for (const value of probes) {
        const params = { ...MINIMAL[kind], [param]: value };
        const simOk = SIM_FAULTS.get(kind)!.schema.safeParse({ kind, ...params, ...TIMING }).success;
        const liveOk = LIVE_FAULTS.get(kind)!.params.safeParse(params).success;
        expect({ param, value, live: liveOk }).toEqual({ param, value, live: simOk });
      }
    }
  });

  it("overlapping brownouts stack the same way in the simulator and the live stack", async () => {
    const brownouts = [
      { errorRate: 0.5, addedLatencyMs: 50 },
      { errorRate: 0.2, addedLatencyMs: 100 },
    ];
    const sim = new FaultState(
      brownouts.map((b) => ({
        type: "region",
        region: "prod-us",
        fromMs: 0,
        toMs: 1000,
        mode: "degraded",
        ...b,
      })),
    ).regionCondition("prod-us", 500);
    const gate = new RegionGate("prod-us", new ManualClock(), () => 0.5);
    const heals = [];
    for (const b of brownouts) heals.push(await gate.degrade(b));
    expect(gate.degradation).toEqual({ errorRate: sim.errorRate, addedLatencyMs: sim.addedLatencyMs });
    expect(sim.errorRate).toBeCloseTo(0.6, 10);
    expect(sim.addedLatencyMs).toBe(150);
    // Healing one leaves the other whole.
    await heals[0]!();
    expect(gate.degradation.errorRate).toBeCloseTo(0.2, 10);
    expect(gate.degradation.addedLatencyMs).toBe(100);
  });

  it("a region stays hung until every hang on it has healed", async () => {
    const gate = new RegionGate("prod-us", new ManualClock(), () => 0.5);
    const first = await gate.hang();
    const second = await gate.hang();
    await first();
    expect(gate.hanging).toBe(true);
    await second();
    expect(gate.hanging).toBe(false);
  });
});
