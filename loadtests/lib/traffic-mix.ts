// The failover script's request mix, with no k6 import, so the runner's simulated side
// (loadtests/runner/compare-sim.ts) sends the same share of writes as the k6 script does.

/** Of the idempotent requests, the share that are writes (70% creates, 30% updates: lib/items.ts). */
export const WRITE_SHARE = 0.3;
/** Share of all requests that are creates sent without an Idempotency-Key (may fail fast, 503). */
export const NON_IDEMPOTENT_SHARE = 0.02;
/**
 * Share of all requests that are writes: 0.02 + 0.98 x 0.3 = 0.314. The p50 of a mix sits at
 * the reads' (0.5 / (1 - share)) quantile, so the simulated side must send this share, not 0.3.
 */
export const TOTAL_WRITE_SHARE = NON_IDEMPOTENT_SHARE + (1 - NON_IDEMPOTENT_SHARE) * WRITE_SHARE;
