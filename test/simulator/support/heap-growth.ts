// Run as `node --expose-gc --import tsx test/simulator/support/heap-growth.ts`: prints the heap (MB)
// at the end of a 40 s and a 160 s run, each measured after a full collection. A process of its
// own, started with the flag, rather than flipping V8 flags at run time inside a test worker.
import { Simulation } from "../../../simulator/run/simulation.ts";
import { parseScenarioText } from "../../../simulator/scenario/load-scenario.ts";

const gc = (globalThis as { gc?: () => void }).gc as () => void;
if (!gc) throw new Error("run with node --expose-gc");

/**
 * Heap (MB) at the end of a run of `seconds`, measured inside the run (before the event loop
 * gets a turn), after emptying the simulated stores: what is left is the simulator's own memory
 * and anything piling up in the process while a run goes on.
 */
async function heapAtEnd(seconds: number): Promise<{ heapMb: number; ok: number }> {
  const text = `name: m\ndurationS: ${seconds}\nsettleS: 0\nclients:\n  - { location: virginia, ratePerS: 400, writeShare: 0.5 }\n`;
  const sim = new Simulation(parseScenarioText(text, "m.yaml", process.cwd()).scenarios[0]!, 1);
  let heapMb = 0;
  const endMs = seconds * 1000;
  sim.engine.clock.at(endMs - 2, () => {
    for (const cell of sim.system.cells)
      for (const region of cell.regions.values()) void region.store.clear();
  });
  sim.engine.clock.at(endMs - 1, () => {
    // Twice: the first collection's finalizers may free more for the second.
    gc();
    gc();
    heapMb = process.memoryUsage().heapUsed / 1e6;
  });
  await sim.run();
  return { heapMb, ok: sim.recorder.ok };
}

await heapAtEnd(10); // warm up: modules, JIT
const short = await heapAtEnd(40);
const long = await heapAtEnd(160);
process.stdout.write(`${JSON.stringify({ short, long })}\n`);
