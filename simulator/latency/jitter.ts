import { z } from "zod";
import type { Random } from "../../core/random.ts";

/**
 * Network jitter: the part of a one-way delay above half the round trip. Real delays are heavy
 * tailed (most packets near the floor, a few very late), so the distributions offered are the
 * usual heavy-tailed models, named in the scenario. Every draw is capped at `capMs`.
 */
export const jitterSchema = z.discriminatedUnion("distribution", [
  z.object({ distribution: z.literal("none") }).strict(),
  z
    .object({
      distribution: z.literal("lognormal"),
      /** Median extra delay per one-way trip. */
      medianMs: z.number().positive().max(10_000),
      /** Spread of ln(delay): 0.5 is tight, 1.5 is a long tail. */
      sigma: z.number().positive().max(4),
      capMs: z.number().positive().max(600_000).default(10_000),
    })
    .strict(),
  z
    .object({
      distribution: z.literal("pareto"),
      /** Scale x_m: the extra delay is x_m * (U^(-1/shape) - 1), so the minimum is 0. */
      scaleMs: z.number().positive().max(10_000),
      /** Tail index alpha: lower is heavier (below 2 the variance is infinite). */
      shape: z.number().gt(0.5).max(20),
      capMs: z.number().positive().max(600_000).default(10_000),
    })
    .strict(),
  z
    .object({
      distribution: z.literal("exponential"),
      meanMs: z.number().positive().max(10_000),
      capMs: z.number().positive().max(600_000).default(10_000),
    })
    .strict(),
]);

export type JitterSpec = z.infer<typeof jitterSchema>;

/** A sampler of extra one-way delay in ms, drawing from `random` only. */
export type JitterSampler = () => number;

export function makeJitter(spec: JitterSpec, random: Random): JitterSampler {
  switch (spec.distribution) {
    case "none":
      return () => 0;
    case "lognormal": {
      const normal = standardNormal(random);
      return () => Math.min(spec.capMs, spec.medianMs * Math.exp(spec.sigma * normal()));
    }
    case "pareto":
      return () => Math.min(spec.capMs, spec.scaleMs * ((1 - random.next()) ** (-1 / spec.shape) - 1));
    case "exponential":
      return () => Math.min(spec.capMs, -spec.meanMs * Math.log(1 - random.next()));
  }
}

export function describeJitter(spec: JitterSpec): string {
  switch (spec.distribution) {
    case "none":
      return "none";
    case "lognormal":
      return `lognormal(median ${spec.medianMs} ms, sigma ${spec.sigma}, cap ${spec.capMs} ms)`;
    case "pareto":
      return `pareto(scale ${spec.scaleMs} ms, shape ${spec.shape}, cap ${spec.capMs} ms)`;
    case "exponential":
      return `exponential(mean ${spec.meanMs} ms, cap ${spec.capMs} ms)`;
  }
}

/** Box-Muller: two uniform draws give two independent standard normals; the second is kept. */
function standardNormal(random: Random): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const out = spare;
      spare = undefined;
      return out;
    }
    const u = 1 - random.next();
    const v = random.next();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}
