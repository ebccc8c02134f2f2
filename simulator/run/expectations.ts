import type { ScenarioResult } from "../report/result.ts";
import type { ExpectSpec } from "../scenario/scenario-schema.ts";

/** The scenario's own claims about its outcome (its `expect:` block), checked against the result. */
export function checkExpectations(expect: ExpectSpec, r: ScenarioResult): ScenarioResult["expectations"] {
  const failovers = r.promotions.filter((p) => p.cause === "failover").length;
  const maxRto = Math.max(0, ...r.failover.flatMap((f) => f.cells.map((c) => c.rtoS ?? 0)));
  const checks: ScenarioResult["expectations"] = [];
  const add = (name: string, expected: string, actual: number | null, met: boolean) =>
    checks.push({ name, expected, actual: actual === null ? "n/a" : String(actual), met });
  if (expect.failoversMin !== undefined)
    add("failovers", `>= ${expect.failoversMin}`, failovers, failovers >= expect.failoversMin);
  if (expect.failoversMax !== undefined)
    add("failovers", `<= ${expect.failoversMax}`, failovers, failovers <= expect.failoversMax);
  const lost = r.lostWrites.lost;
  if (expect.lostWritesMin !== undefined)
    add("lost writes", `>= ${expect.lostWritesMin}`, lost, lost >= expect.lostWritesMin);
  if (expect.lostWritesMax !== undefined)
    add("lost writes", `<= ${expect.lostWritesMax}`, lost, lost <= expect.lostWritesMax);
  const falses = r.falseFailovers.length;
  if (expect.falseFailoversMax !== undefined) {
    add("false failovers", `<= ${expect.falseFailoversMax}`, falses, falses <= expect.falseFailoversMax);
  }
  if (expect.rtoSMax !== undefined) add("RTO (s)", `<= ${expect.rtoSMax}`, maxRto, maxRto <= expect.rtoSMax);
  if (expect.successRateMin !== undefined) {
    const rate = r.requests.successRate;
    add("success rate", `>= ${expect.successRateMin}`, rate, rate !== null && rate >= expect.successRateMin);
  }
  return checks;
}
