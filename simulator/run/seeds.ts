import { subsystemSeed } from "../engine/subsystem-seed.ts";
import type { ResolvedScenario } from "../scenario/resolved-scenario.ts";

/**
 * Every random stream of a run comes from its one seed, one derived seed per subsystem
 * (TigerBeetle's VOPR does the same), so changing one subsystem's draws never shifts another's.
 * Routers, regions and links derive theirs by name inside their builders; the ones listed here
 * are printed at the start of a run.
 */
export function runSeeds(scenario: ResolvedScenario, seed: number): Record<string, number> {
  const seeds: Record<string, number> = {
    run: seed,
    faults: subsystemSeed(seed, "faults"),
    dns: subsystemSeed(seed, "dns"),
  };
  for (const c of scenario.clients) seeds[`client:${c.name}`] = subsystemSeed(seed, `client:${c.name}`);
  for (const r of scenario.routers) seeds[`router:${r.id}`] = subsystemSeed(seed, `router:${r.id}#1`);
  for (const r of scenario.config.regions)
    seeds[`region:${r.name}`] = subsystemSeed(seed, `region:${r.name}`);
  seeds.links = subsystemSeed(seed, "links");
  return seeds;
}

/** The default seed when neither the command line nor the scenario gives one. */
export const DEFAULT_SEED = 1;
