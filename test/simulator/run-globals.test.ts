import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { installLightResponse, installTickAndTimerHooks } from "../../simulator/engine/run-globals.ts";
import { Simulation } from "../../simulator/run/simulation.ts";
import { loadScenarioFile, SCENARIOS_DIR } from "../../simulator/scenario/load-scenario.ts";

/** Every own property of globalThis and process, as its value or accessor functions. */
function snapshot(): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [label, target] of [
    ["globalThis", globalThis],
    ["process", process],
  ] as const) {
    for (const key of Reflect.ownKeys(target)) {
      const d = Object.getOwnPropertyDescriptor(target, key)!;
      out.set(`${label}.${String(key)}`, "value" in d ? d.value : [d.get, d.set]);
    }
  }
  return out;
}

function changed(before: Map<string, unknown>, after: Map<string, unknown>): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((k) => {
    const a = before.get(k);
    const b = after.get(k);
    if (Array.isArray(a) && Array.isArray(b)) return a[0] !== b[0] || a[1] !== b[1];
    return !Object.is(a, b);
  });
}

describe("Node globals during a run (simulator/engine/run-globals.ts)", () => {
  it("a whole simulated run leaves every global of globalThis and process as it found it", async () => {
    const scenario = loadScenarioFile(join(SCENARIOS_DIR, "prod-us-outage.yaml"), {
      scaleTime: 0.02,
      scaleRate: 0.2,
    }).scenarios[0]!;
    const sim = new Simulation(scenario, 1);
    const before = snapshot();
    let duringRun: string[] = [];
    // Looked at from inside the run: the replacements are really in place then.
    sim.engine.clock.at(1000, () => {
      duringRun = changed(before, snapshot());
    });
    await sim.run();
    expect(duringRun).toEqual(
      expect.arrayContaining([
        "globalThis.Response",
        "globalThis.setTimeout",
        "globalThis.setImmediate",
        "process.nextTick",
      ]),
    );
    expect(changed(before, snapshot())).toEqual([]);
  }, 60_000);

  it("nested installs put back what was there before, once the last is removed", () => {
    const before = snapshot();
    const outerResponse = installLightResponse();
    const outerHooks = installTickAndTimerHooks();
    const innerResponse = installLightResponse();
    const innerHooks = installTickAndTimerHooks();
    innerResponse();
    innerHooks();
    expect(changed(before, snapshot()).sort()).toEqual(
      ["globalThis.Response", "globalThis.setImmediate", "globalThis.setTimeout", "process.nextTick"].sort(),
    );
    outerHooks();
    outerResponse();
    outerResponse(); // removing twice changes nothing
    expect(changed(before, snapshot())).toEqual([]);
  });

  it("no other source file assigns a Node global (process.exitCode and process.env are the process's to set)", () => {
    const root = join(import.meta.dirname, "../..");
    const assigning =
      /(globalThis|process)\.(?!exitCode\b|env\b)\w+\s*=[^=]|defineProperty\(\s*(globalThis|process)\b|Object\.assign\(\s*(globalThis|process)\b/;
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name.endsWith(".ts") && assigning.test(readFileSync(path, "utf8")))
          offenders.push(relative(root, path));
      }
    };
    for (const dir of ["core", "config", "router", "regions", "simulator", "stack", "deploy", "cli"])
      walk(join(root, dir));
    expect(offenders).toEqual(["simulator/engine/run-globals.ts"]);
  });
});
