import { deriveSeed } from "../../core/random.ts";

/**
 * The seed of one subsystem of a run (a client group, a link, a router...), from the run's seed
 * and the subsystem's name, through core's deriveSeed.
 *
 * The run seed is first scrambled with murmur3's 32-bit finaliser (a bijection, so distinct seeds
 * stay distinct). core/random.ts deriveSeed XORs the seed into the FNV-1a offset basis and then
 * hashes the seed's decimal digits, and for seeds 0-9 the two cancel (s ^ ("0" + s) is always
 * 0x30): seeds 1 and 2 would derive the same seed for every subsystem and run identically.
 */
export function subsystemSeed(runSeed: number, label: string): number {
  return deriveSeed(fmix32(runSeed), label);
}

function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
