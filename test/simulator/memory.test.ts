import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { Simulation } from "../../simulator/run/simulation.ts";
import { parseScenarioText } from "../../simulator/scenario/load-scenario.ts";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/**
 * Heap (MB) at the end of a run of `seconds`, measured inside the run (before the event loop
 * gets a turn), after emptying the simulated stores: what is left is the simulator's own memory
 * and anything piling up in the process while a run goes on.
 */
async function heapAtEnd(seconds: number): Promise<number> {
  const text = `name: m\ndurationS: ${seconds}\nsettleS: 0\nclients:\n  - { location: virginia, ratePerS: 400, writeShare: 0.5 }\n`;
  const sim = new Simulation(parseScenarioText(text, "m.yaml", process.cwd()).scenarios[0]!, 1);
  let heapMb = 0;
  const endMs = seconds * 1000;
  sim.engine.clock.at(endMs - 2, () => {
    for (const cell of sim.system.cells)
      for (const region of cell.regions.values()) void region.store.clear();
  });
  sim.engine.clock.at(endMs - 1, () => {
    gc();
    heapMb = process.memoryUsage().heapUsed / 1e6;
  });
  await sim.run();
  expect(sim.recorder.ok).toBeGreaterThan(seconds * 350);
  return heapMb;
}

describe("memory", () => {
  it("stays flat as a run goes on: histograms, not samples, and nothing piles up", async () => {
    await heapAtEnd(10); // warm up: modules, JIT
    const short = await heapAtEnd(40);
    const long = await heapAtEnd(160);
    // 48,000 more requests, half of them writes. What may grow is the write ledger (Jepsen's
    // history: 72 bytes per write in typed arrays that double, so up to about 4 MB here). Without
    // a turn of the event loop for V8's FinalizationRegistry cleanups (engine/run-loop.ts), undici's
    // per-Request bookkeeping piled up on top: +25 MB over the same runs.
    expect(long - short).toBeLessThan(8);
  }, 120_000);
});
