import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";

/**
 * The only source of randomness for router and region code, so a simulation is reproducible
 * from one seed. Production seeds from the process; the simulator derives one seed per subsystem.
 */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
}

/** A seeded generator (pure-rand's xoroshiro128+, advanced in place). */
export function seededRandom(seed: number): Random {
  const rng = xoroshiro128plus(seed | 0);
  return {
    next: () => uniformFloat64(rng),
  };
}

/**
 * Derives a subsystem's seed from the run's seed and a label: FNV-1a over "seed:label", then
 * murmur3's 32-bit finaliser so nearby seeds and labels land far apart. (Seeding FNV's basis
 * with the seed itself made seeds 0-9 cancel against their own first digit.)
 */
export function deriveSeed(seed: number, label: string): number {
  let hash = 0x811c9dc5;
  const text = `${seed >>> 0}:${label}`;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return fmix32(hash);
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

/** A uniform integer in [minIncl, maxExcl). */
export function randomInt(random: Random, minIncl: number, maxExcl: number): number {
  return minIncl + Math.floor(random.next() * (maxExcl - minIncl));
}

/** Production randomness: the OS's CSPRNG, for ULIDs that must not collide across regions. */
export function cryptoRandom(): Random {
  const buffer = new Uint32Array(256);
  let index = buffer.length;
  return {
    next() {
      if (index + 2 > buffer.length) {
        crypto.getRandomValues(buffer);
        index = 0;
      }
      const hi = buffer[index++]! >>> 5;
      const lo = buffer[index++]! >>> 6;
      return (hi * 67108864 + lo) / 9007199254740992;
    },
  };
}
