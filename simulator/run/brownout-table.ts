import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse, stringify } from "yaml";
import { parseScenarioText, SCENARIOS_DIR } from "../scenario/load-scenario.ts";
import { runScenario } from "./run-scenario.ts";

/** The scenario every row runs: the shipped above-threshold brownout, with its error rate replaced. */
export const BROWNOUT_BASE = resolve(SCENARIOS_DIR, "brownout-above-threshold.yaml");

export interface BrownoutRow {
  errorRate: number;
  seeds: number;
  /** Seeds in which the router moved traffic at least once. */
  failedOver: number;
  /** Fault start to the first promotion, in seconds, over the seeds that failed over. */
  promoteS: number[];
}

export interface BrownoutOptions {
  errorRate: number;
  seeds: readonly number[];
  /** Overrides merged into the base scenario (a shorter run for tests). */
  overrides?: { durationS?: number; settleS?: number; startS?: number; faultDurationS?: number };
}

/**
 * One row of the brownout table (issue 13 (docs/issues.md)): the production policy, the real router and regions
 * in virtual time, prod-us failing `errorRate` of all requests (health checks included) for the
 * scenario's brownout; how many seeds fail over, and how soon.
 */
export async function brownoutRow(options: BrownoutOptions): Promise<BrownoutRow> {
  const doc = parse(readFileSync(BROWNOUT_BASE, "utf8")) as Record<string, unknown>;
  const o = options.overrides ?? {};
  const fault = (doc.faults as Record<string, unknown>[])[0]!;
  fault.errorRate = options.errorRate;
  if (o.startS !== undefined) fault.startS = o.startS;
  if (o.faultDurationS !== undefined) fault.durationS = o.faultDurationS;
  if (o.durationS !== undefined) doc.durationS = o.durationS;
  if (o.settleS !== undefined) doc.settleS = o.settleS;
  doc.name = `brownout-${Math.round(options.errorRate * 100)}pct`;
  delete doc.expect;
  const file = parseScenarioText(stringify(doc), `${doc.name}.yaml`, SCENARIOS_DIR);
  const scenario = file.scenarios[0]!;
  const row: BrownoutRow = { errorRate: options.errorRate, seeds: 0, failedOver: 0, promoteS: [] };
  for (const seed of options.seeds) {
    const { result } = await runScenario(scenario, { seed });
    row.seeds++;
    const faultStartS = result.faults[0]!.startS;
    const first = result.promotions.find((p) => p.atS >= faultStartS);
    if (!first) continue;
    row.failedOver++;
    row.promoteS.push(first.atS - faultStartS);
  }
  return row;
}

export function medianOf(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
