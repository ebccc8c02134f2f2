import { isPlainObject } from "./deep-merge.ts";

/**
 * Scales a raw scenario for a quick run: the scenario's duration and every fault time (fields
 * ending in S, by the units-last naming rule) by `scaleTime`, every client rate by `scaleRate`.
 * System settings (health-check intervals, DNS TTLs) and settleS (the time the system gets to
 * recover, a bound the liveness check holds it to) are not touched: they are what is tested.
 */
export function scaleScenario(raw: unknown, scaleTime = 1, scaleRate = 1): unknown {
  if (!isPlainObject(raw) || (scaleTime === 1 && scaleRate === 1)) return raw;
  const out: Record<string, unknown> = { ...raw };
  if (typeof out.durationS === "number") out.durationS *= scaleTime;
  if (Array.isArray(out.faults)) out.faults = out.faults.map((f) => scaleTimes(f, scaleTime));
  if (Array.isArray(out.clients)) {
    out.clients = out.clients.map((c) =>
      isPlainObject(c) && typeof c.ratePerS === "number" ? { ...c, ratePerS: c.ratePerS * scaleRate } : c,
    );
  }
  if (Array.isArray(out.variants))
    out.variants = out.variants.map((v) => scaleScenario(v, scaleTime, scaleRate));
  return out;
}

function scaleTimes(fault: unknown, factor: number): unknown {
  if (!isPlainObject(fault)) return fault;
  const out: Record<string, unknown> = { ...fault };
  for (const [key, value] of Object.entries(out)) {
    if (key.endsWith("S") && typeof value === "number") out[key] = value * factor;
  }
  return out;
}
