import { deriveSeed } from "../../core/random.ts";

/** The seed of one subsystem of a run (a client group, a link, a router...), from the run's seed. */
export function subsystemSeed(runSeed: number, label: string): number {
  return deriveSeed(runSeed, label);
}
