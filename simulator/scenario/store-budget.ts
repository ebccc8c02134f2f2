import { getHeapStatistics } from "node:v8";

/**
 * Heap one client write takes in one simulated region's MemoryStore (the item, its log entry
 * and its idempotency key). `npm run bench:sim` measures it (about 455 bytes when this
 * was written); 600 is the bound test/store/memory-store-footprint.test.ts holds it to.
 */
export const STORED_BYTES_PER_WRITE_PER_REGION = 600;

/**
 * Share of the heap limit the stores may fill. The rest is for the simulator itself (~20 MB,
 * flat), requests in flight, the reports, and the headroom V8 needs to collect garbage.
 */
const STORE_SHARE_OF_HEAP = 0.7;

export interface StoreDemand {
  /** Writes the clients send over the run (each is stored in every region, by replication). */
  writes: number;
  regions: number;
  bytes: number;
}

/** What the simulated regions' stores will hold at the end of a run: they keep every write. */
export function storeDemand(
  clients: readonly { ratePerS: number; writeShare: number }[],
  durationS: number,
  regions: number,
): StoreDemand {
  const writes = clients.reduce((sum, c) => sum + c.ratePerS * c.writeShare * durationS, 0);
  return { writes, regions, bytes: writes * regions * STORED_BYTES_PER_WRITE_PER_REGION };
}

/**
 * Why a run would not fit in this process's heap, or undefined if it fits. A run that does not
 * fit would die at the end with V8's "heap out of memory" after running for hours; this says
 * so before it starts, with what to change.
 */
export function storeBudgetProblem(
  demand: StoreDemand,
  heapLimitBytes: number = getHeapStatistics().heap_size_limit,
): string | undefined {
  const budgetBytes = heapLimitBytes * STORE_SHARE_OF_HEAP;
  if (demand.bytes <= budgetBytes) return undefined;
  const writes = Math.round(demand.writes).toLocaleString("en-US");
  const limitMb = Math.round(heapLimitBytes / 1e6).toLocaleString("en-US");
  const neededMb = Math.ceil(demand.bytes / STORE_SHARE_OF_HEAP / 1e6);
  return (
    `the clients would send ~${writes} writes, which the ${demand.regions} simulated regions keep in memory ` +
    `(~${(demand.bytes / 1e9).toFixed(1)} GB at ${STORED_BYTES_PER_WRITE_PER_REGION} bytes per write per region): ` +
    `more than this process's ${limitMb} MB heap holds. Shorten durationS, lower the clients' ratePerS or ` +
    `writeShare, or give Node a larger heap (NODE_OPTIONS=--max-old-space-size=${neededMb})`
  );
}
