import { z } from "zod";
import { checkRegion, endMs, faultTimingSchema, registerFault } from "./registry.ts";

/**
 * A region's database is unreachable (its MemoryStore has `down = true`): the service answers
 * but /readyz says 503, writes fail with 503 store_unavailable, and replication into it fails.
 */
const schema = z.object({ kind: z.literal("store-down"), region: z.string(), ...faultTimingSchema }).strict();

registerFault({
  kind: "store-down",
  summary: "a region's store is unreachable (MemoryStore.down); the service stays up but cannot serve",
  schema,
  check: (p, ctx) => checkRegion(p.region, ctx),
  plan: (p) => [{ type: "store", region: p.region, fromMs: p.startS * 1000, toMs: endMs(p) }],
  warrantsFailoverFrom: (p) => [p.region],
  describe: (p) => `${p.region} store down`,
});
