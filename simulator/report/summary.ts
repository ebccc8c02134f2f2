import type { ScenarioResult } from "./result.ts";
import { fmtInt, fmtMs, fmtPct, fmtS, textTable } from "./text-table.ts";

/**
 * The terminal summary of one run, verdict first: the verdict and the three figures that matter
 * (RTO, lost writes, worst latency by location) in the first lines, then the detail. Every figure
 * is defined once in glossary.ts (`failover simulate --explain`).
 */
export function summarizeRun(r: ScenarioResult): string {
  return [...headline(r), "", "Detail", ...detail(r)].join("\n");
}

/** The verdict and the figures a person reads in ten seconds. */
export function headline(r: ScenarioResult): string[] {
  const unmet = r.expectations.filter((e) => !e.met);
  const verdict = !r.invariants.ok
    ? "FAIL: an invariant broke"
    : unmet.length > 0
      ? `FAIL: ${unmet.length} expectation(s) not met`
      : "PASS";
  const out = [`${verdict}: ${r.scenario.label}, seed ${r.scenario.seed}. ${failoverSentence(r)}`];
  out.push(`  RTO          ${rtoLine(r)}`);
  const lw = r.lostWrites;
  out.push(
    `  lost writes  ${fmtInt(lw.lost)} of ${fmtInt(lw.acknowledged)} acknowledged` +
      (lw.lost > 0
        ? ` (RPO ${fmtRpo(lw.rpoMs)}; ${fmtInt(lw.unexplained)} not explained by replication lag)`
        : ""),
  );
  const worst = worstLatency(r);
  for (const [i, line] of worst.entries()) out.push(`  ${i === 0 ? "worst p99  " : "           "}  ${line}`);
  out.push(
    `  requests     ${fmtInt(r.requests.sent)}, ${fmtPct(r.requests.successRate)} ok, ${fmtInt(r.requests.failed)} failed; ` +
      `false failovers ${r.falseFailovers.length}, split brain ${r.splitBrain.count}, replication caught up ${r.replication.caughtUp ? "yes" : "NO"}`,
  );
  if (!r.invariants.ok) out.push(...r.invariants.violations.map((v) => `  INVARIANT VIOLATED: ${v}`));
  for (const e of unmet) out.push(`  EXPECTATION NOT MET: ${e.name} ${e.expected}, got ${e.actual}`);
  for (const w of r.warnings) out.push(`  warning: ${w}`);
  return out;
}

function failoverSentence(r: ScenarioResult): string {
  const failovers = r.promotions.filter((p) => p.cause === "failover" || p.cause === "dns");
  if (failovers.length === 0) return "No failover.";
  const moves = failovers.map((p) => `${p.from} -> ${p.to} at ${p.atS.toFixed(1)} s`);
  return `Failed over ${moves.join(", ")}.`;
}

/** The RTO of each fault that warranted a failover (the worst first if several). */
function rtoLine(r: ScenarioResult): string {
  const rows = r.failover.flatMap((f) =>
    f.cells.filter((c) => c.rtoS !== undefined).map((c) => ({ f, c, rto: c.rtoS! })),
  );
  if (rows.length === 0) return "- (no fault needed a failover)";
  rows.sort((a, b) => b.rto - a.rto);
  const { f, c, rto } = rows[0]!;
  const cell = f.cells.length > 1 ? ` cell ${c.cell}` : "";
  const more = rows.length > 1 ? ` (worst of ${rows.length})` : "";
  return (
    `${fmtSeconds(rto)}${c.restored ? "" : " (not restored)"} for ${f.label}${cell}${more}: ` +
    `detect ${fmtSeconds(c.detectS)}, promote ${fmtSeconds(c.promoteS)}, ` +
    `${fmtInt(c.failedRequests)} failed and ${fmtInt(c.heldRequests)} held requests`
  );
}

/** Per client location, one line each: the p99 of its worst phase, and the slowest answer of the run. */
function worstLatency(r: ScenarioResult): string[] {
  const rows = r.latency.flatMap((loc) => {
    const phases = Object.entries(loc.phases);
    if (phases.length === 0 || !loc.all) return [];
    const [phase, worst] = phases.reduce((a, b) => (b[1].p99Ms > a[1].p99Ms ? b : a));
    return [
      [loc.location, `${fmtMs(worst.p99Ms)} ms`, phase, `slowest ${fmtInt(Math.round(loc.all.maxMs))} ms`],
    ];
  });
  const width = (i: number) => Math.max(...rows.map((row) => row[i]!.length));
  return rows.map(
    (row) =>
      `${row[0]!.padEnd(width(0))}  ${row[1]!.padStart(width(1))}  ${row[2]!.padEnd(width(2))}  (${row[3]})`,
  );
}

function fmtSeconds(s: number | undefined): string {
  if (s === undefined) return "-";
  return `${s.toFixed(s >= 10 ? 1 : 3)} s`;
}

function fmtRpo(ms: number): string {
  return ms < 1 ? "under 1 ms" : `${fmtMs(ms)} ms`;
}

function detail(r: ScenarioResult): string[] {
  const out: string[] = [];
  const req = r.requests;
  const failures = Object.entries(req.byStatus).filter(([k]) => !/^(2\d\d|404)/.test(k));
  if (failures.length > 0)
    out.push(`  failures by answer: ${failures.map(([k, n]) => `${k} x${fmtInt(n)}`).join(", ")}`);
  out.push("", "Latency of successful requests by client location and phase (ms)");
  const rows: string[][] = [];
  for (const loc of r.latency) {
    for (const [phase, s] of Object.entries(loc.phases)) {
      rows.push([
        loc.location,
        phase,
        fmtInt(s.count),
        fmtMs(s.p50Ms),
        fmtMs(s.p90Ms),
        fmtMs(s.p99Ms),
        fmtMs(s.p999Ms),
        fmtMs(s.maxMs),
      ]);
    }
  }
  out.push(textTable(["location", "phase", "requests", "p50", "p90", "p99", "p99.9", "max"], rows));
  out.push(...faultLines(r));
  out.push(...controlPlaneLines(r));
  if (r.promotions.length > 0) {
    out.push("", "Active region changes");
    for (const p of r.promotions) {
      out.push(
        `  ${p.atS.toFixed(3)} s  cell ${p.cell}: ${p.from} -> ${p.to} (epoch ${p.epoch}, ${p.cause}, lag ${p.replicationLagEntries} entries)`,
      );
    }
  }
  out.push(...lostWriteLines(r));
  for (const e of r.expectations)
    out.push(`Expectation ${e.name} ${e.expected}: ${e.actual} ${e.met ? "(met)" : "(NOT MET)"}`);
  out.push(
    r.invariants.ok
      ? "Invariants: OK"
      : `INVARIANTS VIOLATED:\n${r.invariants.violations.map((v) => `  - ${v}`).join("\n")}`,
  );
  return out;
}

function faultLines(r: ScenarioResult): string[] {
  const out: string[] = [];
  if (r.failover.length > 0) {
    out.push("", "Faults (times from the fault's start; RTO, RPO: failover simulate --explain)");
    const frows = r.failover.flatMap((f) =>
      f.cells.map((c) => [
        `${f.label} (${f.startS}-${f.endS} s)${f.cells.length > 1 ? ` cell ${c.cell}` : ""}`,
        c.activeAtStart,
        fmtS(c.detectS),
        fmtS(c.promoteS),
        c.promotedTo ?? "-",
        c.rtoS === undefined ? "-" : `${fmtS(c.rtoS)}${c.restored ? "" : " (not restored)"}`,
        fmtInt(c.failedRequests),
        fmtInt(c.heldRequests),
        fmtInt(c.lostWrites),
        c.rpoMs === undefined ? "-" : fmtRpo(c.rpoMs),
      ]),
    );
    out.push(
      textTable(
        ["fault", "active", "detect", "promote", "to", "RTO", "failed", "held", "lost", "RPO"],
        frows,
      ),
    );
    for (const f of r.failover) {
      if (f.domain) out.push(`  ${f.label}: took down ${f.domain}`);
      for (const c of f.cells) {
        if (c.rtoS === undefined)
          out.push(
            `  ${f.label}${f.cells.length > 1 ? ` cell ${c.cell}` : ""}: needed no failover, so no RTO`,
          );
        if (c.notPromotedBecause)
          out.push(
            `  ${f.label}${f.cells.length > 1 ? ` cell ${c.cell}` : ""}: no promotion while it lasted: ${c.notPromotedBecause}`,
          );
      }
    }
  }
  if (r.otherOutages.length > 0) {
    out.push("", "Other outages (not a fault's: after a failback, a drain, an operator's promotion)");
    const rows = r.otherOutages.map((o) => [
      o.cause,
      o.atS === undefined ? "-" : `${o.atS.toFixed(3)} s`,
      String(o.cell),
      `${o.fromS.toFixed(3)}-${o.toS.toFixed(3)} s`,
      fmtInt(o.failedRequests),
      fmtInt(o.heldRequests),
    ]);
    out.push(textTable(["cause", "at", "cell", "outage", "failed", "held"], rows));
  }
  return out;
}

function lostWriteLines(r: ScenarioResult): string[] {
  const lw = r.lostWrites;
  const out = [
    "",
    `Lost writes: ${fmtInt(lw.lost)} of ${fmtInt(lw.acknowledged)} acknowledged` +
      (lw.lost > 0
        ? ` (RPO ${fmtRpo(lw.rpoMs)}; ${lw.unexplained} not explained by replication lag` +
          `${lw.lostDegraded > 0 ? `; ${fmtInt(lw.lostDegraded)} acknowledged as degraded, without the standby` : ""})`
        : ""),
  ];
  for (const w of lw.list.slice(0, 5)) {
    out.push(
      `  ${w.key}: acknowledged at ${(w.ackMs / 1000).toFixed(3)} s by ${w.region ?? "?"} (epoch ${w.epoch ?? "?"}, seq ${w.seq ?? "?"}), ` +
        `${w.explained ? `not yet replicated: ${fmtMs(w.lagMs)} ms before the cut-off, ${w.lagEntries} entries behind` : "NOT explained by replication lag"}`,
    );
  }
  if (lw.lost > 5)
    out.push(`  ... ${fmtInt(lw.lost - 5)} more in ${lw.allIn ?? "the NDJSON file beside the JSON report"}`);
  return out;
}

/** One column per run, one row per figure: the `--compare` view. */
export function summarizeComparison(results: readonly ScenarioResult[]): string {
  const { header, rows } = comparisonRows(results);
  return textTable(header, rows);
}

/** The comparison's figures: a header (one column per run) and one row per figure. */
export function comparisonRows(results: readonly ScenarioResult[]): { header: string[]; rows: string[][] } {
  const header = ["", ...results.map((r) => r.scenario.label)];
  const first = (r: ScenarioResult) =>
    r.failover.flatMap((f) => f.cells).find((c) => c.failoverWarranted) ?? r.failover[0]?.cells[0];
  const rows: string[][] = [
    ["verdict", ...results.map((r) => headline(r)[0]!.split(":")[0]!)],
    ["failover by", ...results.map((r) => `${r.scenario.failoverBy}, ${r.scenario.topology}`)],
    [
      "replication",
      ...results.map((r) => String((r.scenario.parameters.replication as { mode: string }).mode)),
    ],
    ["requests", ...results.map((r) => fmtInt(r.requests.sent))],
    ["success rate", ...results.map((r) => fmtPct(r.requests.successRate))],
    ["failed", ...results.map((r) => fmtInt(r.requests.failed))],
    ["detect", ...results.map((r) => fmtS(first(r)?.detectS))],
    ["promote", ...results.map((r) => fmtS(first(r)?.promoteS))],
    ["RTO", ...results.map((r) => fmtS(first(r)?.rtoS))],
    ["failovers", ...results.map((r) => String(r.promotions.filter((p) => p.cause === "failover").length))],
    ["false failovers", ...results.map((r) => String(r.falseFailovers.length))],
    [
      "lost writes",
      ...results.map((r) => `${fmtInt(r.lostWrites.lost)} / ${fmtInt(r.lostWrites.acknowledged)}`),
    ],
    ["RPO", ...results.map((r) => (r.lostWrites.lost > 0 ? fmtRpo(r.lostWrites.rpoMs) : "-"))],
    ["split brain", ...results.map((r) => String(r.splitBrain.count))],
  ];
  const locations = [...new Set(results.flatMap((r) => r.latency.map((l) => l.location)))];
  for (const loc of locations) {
    const cell = (r: ScenarioResult, key: "p50Ms" | "p99Ms") =>
      fmtMs(r.latency.find((l) => l.location === loc)?.all?.[key]);
    rows.push([`${loc} p50 ms`, ...results.map((r) => cell(r, "p50Ms"))]);
    rows.push([`${loc} p99 ms`, ...results.map((r) => cell(r, "p99Ms"))]);
    const base = results[0]!.latency.find((l) => l.location === loc)?.all?.p50Ms;
    rows.push([
      `${loc} p50 vs ${results[0]!.scenario.label}`,
      ...results.map((r) => {
        const p50 = r.latency.find((l) => l.location === loc)?.all?.p50Ms;
        return base && p50 ? ratioWords(p50 / base) : "-";
      }),
    ]);
  }
  return { header, rows };
}

/** A ratio a person reads at once: "81x slower", "2.5x faster", "about the same". */
export function ratioWords(ratio: number): string {
  if (!Number.isFinite(ratio) || ratio <= 0) return "-";
  if (ratio >= 0.95 && ratio <= 1.05) return "about the same";
  const factor = ratio > 1 ? ratio : 1 / ratio;
  const shown = factor >= 10 ? factor.toFixed(0) : factor.toFixed(1);
  return `${shown}x ${ratio > 1 ? "slower" : "faster"}`;
}

/** The control record's replicas: where they are, what they answered, what each answer cost. */
function controlPlaneLines(r: ScenarioResult): string[] {
  const out = [
    "",
    "Control plane (promotions and lease reads are calls to these replicas; times include them)",
  ];
  for (const cell of r.controlPlane) {
    const rows = cell.replicas.map((x) => [
      `${x.name}${r.controlPlane.length > 1 ? ` cell ${cell.cell}` : ""}`,
      x.location,
      x.witness ? "witness" : fmtInt(x.answered),
      x.witness ? "-" : fmtInt(x.noQuorum),
      x.quorumMsMean === null ? "-" : `${fmtMs(x.quorumMsMean)} ms`,
    ]);
    out.push(textTable(["replica", "location", "answered", "no quorum", "quorum round trip (mean)"], rows));
  }
  return out;
}
