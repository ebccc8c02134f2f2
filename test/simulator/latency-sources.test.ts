import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/** Holds inter-region.json's measured entries to the figures in docs/inter-region-latency-sources.md. */
interface Table {
  locations: Record<string, { awsRegion?: string }>;
  pairs: { a: string; b: string; rttMs: number; source: string; estimated?: boolean }[];
}

const table = JSON.parse(readFileSync("simulator/latency/inter-region.json", "utf8")) as Table;
const doc = readFileSync("docs/inter-region-latency-sources.md", "utf8");

/** The rows `| x | y | n |...` of the doc section whose heading starts with `## <letter>.`. */
function sectionRows(letter: string): Map<string, number> {
  const section = doc.split(/\n## /).find((s) => s.startsWith(`${letter}. `));
  if (!section) throw new Error(`docs/inter-region-latency-sources.md has no section ${letter}`);
  const rows = new Map<string, number>();
  for (const line of section.split("\n")) {
    const cells = line.split("|").map((c) => c.trim());
    const value = Number(cells[3]);
    if (cells.length < 5 || !Number.isFinite(value) || cells[1] === "---") continue;
    rows.set([cells[1], cells[2]].sort().join("|"), value);
  }
  return rows;
}

const key = (a: string, b: string) => [a, b].sort().join("|");

describe("inter-region latency sources", () => {
  const a = sectionRows("A");
  const b = sectionRows("B");
  const c = sectionRows("C");

  it("reads the doc's tables (55 AWS pairs, 5 figures PRODUCT.md cites, 5 Washington DC pairs)", () => {
    expect([a.size, b.size, c.size]).toEqual([55, 5, 5]);
  });

  it("holds every cited entry to its source: same pair, same number", () => {
    let checked = 0;
    for (const p of table.pairs) {
      if (p.estimated) continue;
      const regionA = table.locations[p.a]?.awsRegion;
      const regionB = table.locations[p.b]?.awsRegion;
      let expected: number | undefined;
      if (p.source.includes("inter-region-latency-sources.md, A")) {
        expect(regionA && regionB, `${p.a}-${p.b} cites A but is not an AWS pair`).toBeTruthy();
        expected = a.get(key(regionA!, regionB!));
      } else if (p.source.includes("inter-region-latency-sources.md, C")) expected = c.get(key(p.a, p.b));
      else expected = b.get(key(p.a, p.b));
      expect(expected, `${p.a}-${p.b} (${p.source}) is not in the doc`).toBeDefined();
      expect(p.rttMs, `${p.a}-${p.b}`).toBe(expected);
      checked++;
    }
    expect(checked).toBeGreaterThan(55);
  });

  it("uses the measurement for every AWS pair source A has, unless PRODUCT.md cites another figure", () => {
    for (const p of table.pairs) {
      const regionA = table.locations[p.a]?.awsRegion;
      const regionB = table.locations[p.b]?.awsRegion;
      if (!regionA || !regionB || !a.has(key(regionA, regionB)) || b.has(key(p.a, p.b))) continue;
      expect(p.estimated, `${p.a}-${p.b}`).toBeFalsy();
      expect(p.rttMs, `${p.a}-${p.b}`).toBe(a.get(key(regionA, regionB)));
    }
  });

  it("marks every estimate, with its fixed overhead", () => {
    const estimates = table.pairs.filter((p) => p.estimated);
    expect(estimates.length).toBeGreaterThan(0);
    for (const p of estimates)
      expect(p.source).toMatch(/^estimated: 5\.5 ms \+ [\d,]+ km great-circle x 0\.0147 ms\/km/);
  });
});
