import type { ScenarioResult } from "../report/result.ts";

/** One figure over seeds: nearest-rank percentiles (the p-th is the ceil(p x n / 100)-th smallest). */
export interface Spread {
  n: number;
  min: number;
  median: number;
  p90: number;
  max: number;
  /** Distinct values seen (1 means the seed had no effect on this figure). */
  distinct: number;
}

/** Detection, promotion and RTO of one fault in one cell, over the seeds of one scenario. */
export interface FaultSpread {
  label: string;
  fault: number;
  faultLabel: string;
  cell: number;
  detectS: Spread | null;
  promoteS: Spread | null;
  rtoS: Spread | null;
  /** Seeds in which the figure was missing (no detection, no promotion, service not restored). */
  notDetected: number;
  notPromoted: number;
  notRestored: number;
}

/** What `simulate --seeds N` writes: each seed's failover figures and their spread. */
export interface SeedSpreadResult {
  kind: "seed-spread";
  seeds: number[];
  runs: {
    label: string;
    seed: number;
    invariantsOk: boolean;
    expectationsMet: boolean;
    failover: {
      fault: number;
      cell: number;
      detectS?: number;
      promoteS?: number;
      /** Absent when the fault needed no failover (simulator/report/glossary.ts). */
      rtoS?: number;
      restored: boolean;
    }[];
  }[];
  spread: FaultSpread[];
}

export function spreadOf(values: readonly number[]): Spread | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
  return {
    n: sorted.length,
    min: sorted[0]!,
    median: rank(50),
    p90: rank(90),
    max: sorted[sorted.length - 1]!,
    distinct: new Set(sorted).size,
  };
}

type SeedRow = SeedSpreadResult["runs"][number]["failover"][number];

function seedRow(fault: number, c: ScenarioResult["failover"][number]["cells"][number]): SeedRow {
  return {
    fault,
    cell: c.cell,
    ...(c.detectS !== undefined ? { detectS: c.detectS } : {}),
    ...(c.promoteS !== undefined ? { promoteS: c.promoteS } : {}),
    ...(c.rtoS !== undefined ? { rtoS: c.rtoS } : {}),
    restored: c.restored,
  };
}

/** Gathers each scenario label's runs (one per seed) into per-fault, per-cell spreads. */
export function seedSpread(seeds: readonly number[], results: readonly ScenarioResult[]): SeedSpreadResult {
  const groups = new Map<
    string,
    { label: string; faultLabel: string; fault: number; cell: number; rows: SeedRow[] }
  >();
  const runs = results.map((r) => {
    const failover: SeedRow[] = [];
    for (const f of r.failover) {
      for (const c of f.cells) {
        const row = seedRow(f.fault, c);
        failover.push(row);
        const key = `${r.scenario.label}|${f.fault}|${c.cell}`;
        const group = groups.get(key) ?? {
          label: r.scenario.label,
          faultLabel: f.label,
          fault: f.fault,
          cell: c.cell,
          rows: [],
        };
        group.rows.push(row);
        groups.set(key, group);
      }
    }
    return {
      label: r.scenario.label,
      seed: r.scenario.seed,
      invariantsOk: r.invariants.ok,
      expectationsMet: r.expectations.every((e) => e.met),
      failover,
    };
  });
  const spread = [...groups.values()].map((g): FaultSpread => {
    const detect = g.rows.flatMap((x) => (x.detectS !== undefined ? [x.detectS] : []));
    const promote = g.rows.flatMap((x) => (x.promoteS !== undefined ? [x.promoteS] : []));
    const rto = g.rows.flatMap((x) => (x.restored && x.rtoS !== undefined ? [x.rtoS] : []));
    return {
      label: g.label,
      fault: g.fault,
      faultLabel: g.faultLabel,
      cell: g.cell,
      detectS: spreadOf(detect),
      promoteS: spreadOf(promote),
      rtoS: spreadOf(rto),
      notDetected: g.rows.length - detect.length,
      notPromoted: g.rows.length - promote.length,
      notRestored: g.rows.length - rto.length,
    };
  });
  return { kind: "seed-spread", seeds: [...seeds], runs, spread };
}

/** The terminal table: one row per scenario, fault, cell and figure. */
export function summarizeSeedSpread(result: SeedSpreadResult): string {
  const first = result.seeds[0];
  const last = result.seeds[result.seeds.length - 1];
  const lines = [
    `Over ${result.seeds.length} seeds (${first}..${last}; nearest-rank percentiles, seconds from the fault's start)`,
  ];
  const header = [
    "scenario",
    "fault",
    "cell",
    "figure",
    "n",
    "min",
    "median",
    "p90",
    "max",
    "distinct",
    "missing",
  ];
  const rows: string[][] = [];
  for (const s of result.spread) {
    const figures: [string, Spread | null, number][] = [
      ["detect", s.detectS, s.notDetected],
      ["promote", s.promoteS, s.notPromoted],
      ["RTO", s.rtoS, s.notRestored],
    ];
    for (const [name, sp, missing] of figures) {
      rows.push([
        s.label,
        s.faultLabel,
        String(s.cell),
        name,
        String(sp?.n ?? 0),
        fmt(sp?.min),
        fmt(sp?.median),
        fmt(sp?.p90),
        fmt(sp?.max),
        String(sp?.distinct ?? 0),
        String(missing),
      ]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    `  ${cells.map((c, i) => (i < 4 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ")}`.trimEnd();
  lines.push(line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line));
  return lines.join("\n");
}

function fmt(value: number | undefined): string {
  return value === undefined ? "-" : value.toFixed(3);
}
