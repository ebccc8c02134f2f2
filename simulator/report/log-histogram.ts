/**
 * A small fixed-size histogram for chart points (one per location per chart interval): 64
 * logarithmic bins from 0.1 ms to 10 minutes, about 28% wide, so an hour-long chart costs a few
 * kilobytes instead of an HDR histogram per point. The report's percentile tables come from the
 * HDR histograms; these only draw lines.
 */
export const LOG_BINS = 64;
const MIN_MS = 0.1;
const MAX_MS = 600_000;
const LOG_RATIO = Math.log(MAX_MS / MIN_MS) / (LOG_BINS - 1);

export function logBin(valueMs: number): number {
  if (valueMs <= MIN_MS) return 0;
  const bin = Math.floor(Math.log(valueMs / MIN_MS) / LOG_RATIO);
  return bin >= LOG_BINS ? LOG_BINS - 1 : bin;
}

/** The value at percentile `p` (0..100) of the bins at `offset` in `counts`, or NaN if empty. */
export function logPercentile(counts: Uint32Array, offset: number, p: number): number {
  let total = 0;
  for (let i = 0; i < LOG_BINS; i++) total += counts[offset + i]!;
  if (total === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (let i = 0; i < LOG_BINS; i++) {
    seen += counts[offset + i]!;
    // The bin's geometric middle.
    if (seen >= rank) return MIN_MS * Math.exp(LOG_RATIO * (i + 0.5));
  }
  return MAX_MS;
}
