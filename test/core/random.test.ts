import { describe, expect, it } from "vitest";
import { deriveSeed, seededRandom } from "../../core/random.ts";

describe("deriveSeed", () => {
  it("gives different seeds for different run seeds, including the small ones", () => {
    const seeds = new Set<number>();
    for (let run = 0; run < 1000; run++) seeds.add(deriveSeed(run, "links"));
    expect(seeds.size).toBe(1000);
    expect(deriveSeed(1, "links")).not.toBe(deriveSeed(2, "links"));
  });

  it("gives different seeds per label and the same seed for the same inputs", () => {
    expect(deriveSeed(7, "router:a")).not.toBe(deriveSeed(7, "router:b"));
    expect(deriveSeed(7, "router:a")).toBe(deriveSeed(7, "router:a"));
  });
});

describe("seededRandom", () => {
  it("replays the same sequence from the same seed, in [0, 1)", () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const xs = Array.from({ length: 100 }, () => a.next());
    expect(Array.from({ length: 100 }, () => b.next())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(xs).size).toBe(100);
  });
});
