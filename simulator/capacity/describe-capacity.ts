import type { ScenarioResult } from "../report/result.ts";
import { describeDegraded } from "./degraded-service.ts";

/** The capacity lines of a run's summary ("" without a capacity model): pools, retries, degraded minutes. */
export function describeCapacity(result: ScenarioResult): string {
  const c = result.capacity;
  if (!c) return "";
  const lines = [`Capacity (${result.scenario.label}): ${c.source.replace(/\s+/g, " ")}`];
  for (const p of c.pools) {
    const scaled = p.concurrency.map(([atS, n]) => `${n} at ${atS.toFixed(1)} s`).join(", ");
    lines.push(
      `  ${p.kind} ${p.name}: served ${p.served.toLocaleString("en-US")}, shed ${p.shed.toLocaleString("en-US")}, ` +
        `abandoned in queue ${p.abandoned}, longest queue ${p.queueMaxSeen}, longest wait ${p.waitMaxMs.toFixed(1)} ms; workers ${scaled}`,
    );
  }
  if (c.clientRetries > 0) lines.push(`  client retries sent: ${c.clientRetries.toLocaleString("en-US")}`);
  lines.push(`  ${describeDegraded(c.degraded)}`);
  return `${lines.join("\n")}\n`;
}
