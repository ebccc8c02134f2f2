import type { ScenarioResult } from "./result.ts";
import { fmtInt, fmtMs, fmtPct, fmtS, textTable } from "./text-table.ts";

/** The terminal summary of one run: what users saw, how the failover went, what was lost. */
export function summarizeRun(r: ScenarioResult): string {
  const out: string[] = [];
  const req = r.requests;
  out.push(
    `${r.scenario.label}: ${fmtInt(req.sent)} requests, ${fmtPct(req.successRate)} ok, ${fmtInt(req.failed)} failed`,
  );
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
  if (r.failover.length > 0) {
    out.push("", "Faults (times from the fault's start)");
    const frows = r.failover.flatMap((f) =>
      f.cells.map((c) => [
        `${f.label} (${f.startS}-${f.endS} s)${f.cells.length > 1 ? ` cell ${c.cell}` : ""}`,
        c.activeAtStart,
        fmtS(c.detectS),
        fmtS(c.promoteS),
        c.promotedTo ?? "-",
        `${fmtS(c.rtoS)}${c.restored ? "" : " (not restored)"}`,
        fmtInt(c.failedRequests),
      ]),
    );
    out.push(textTable(["fault", "active", "detect", "promote", "to", "RTO", "failed"], frows));
    for (const f of r.failover) {
      if (f.domain) out.push(`  ${f.label}: took down ${f.domain}`);
      for (const c of f.cells) {
        if (c.notPromotedBecause)
          out.push(
            `  ${f.label}${f.cells.length > 1 ? ` cell ${c.cell}` : ""}: no promotion while it lasted: ${c.notPromotedBecause}`,
          );
      }
    }
  }
  out.push(...controlPlaneLines(r));
  if (r.promotions.length > 0) {
    out.push("", "Active region changes");
    for (const p of r.promotions) {
      out.push(
        `  ${p.atS.toFixed(3)} s  cell ${p.cell}: ${p.from} -> ${p.to} (epoch ${p.epoch}, ${p.cause}, lag ${p.replicationLagEntries} entries)`,
      );
    }
  }
  const lw = r.lostWrites;
  out.push(
    "",
    `Lost writes: ${fmtInt(lw.lost)} of ${fmtInt(lw.acknowledged)} acknowledged` +
      (lw.lost > 0
        ? ` (RPO ${fmtMs(lw.rpoMs)} ms; ${lw.unexplained} not explained by replication lag` +
          `${lw.lostDegraded > 0 ? `; ${fmtInt(lw.lostDegraded)} acknowledged as degraded, without the standby` : ""})`
        : ""),
  );
  for (const w of lw.list.slice(0, 5)) {
    out.push(
      `  ${w.key}: acknowledged at ${(w.ackMs / 1000).toFixed(3)} s by ${w.region ?? "?"} (epoch ${w.epoch ?? "?"}, seq ${w.seq ?? "?"}), ` +
        `${w.explained ? `not yet replicated: lag ${fmtMs(w.lagMs)} ms, ${w.lagEntries} entries behind` : "NOT explained by replication lag"}`,
    );
  }
  if (lw.list.length > 5) out.push(`  ... ${lw.list.length - 5} more in the JSON report`);
  out.push(
    `False failovers: ${r.falseFailovers.length}    Split brain: ${r.splitBrain.count}    Replication caught up: ${r.replication.caughtUp ? "yes" : "NO"}`,
  );
  for (const e of r.expectations)
    out.push(`Expectation ${e.name} ${e.expected}: ${e.actual} ${e.met ? "(met)" : "(NOT MET)"}`);
  for (const w of r.warnings) out.push(`warning: ${w}`);
  out.push(
    r.invariants.ok
      ? "Invariants: OK"
      : `INVARIANTS VIOLATED:\n${r.invariants.violations.map((v) => `  - ${v}`).join("\n")}`,
  );
  return out.join("\n");
}

/** One column per run, one row per figure: the `--compare` view. */
export function summarizeComparison(results: readonly ScenarioResult[]): string {
  const header = ["", ...results.map((r) => r.scenario.label)];
  const first = (r: ScenarioResult) =>
    r.failover.flatMap((f) => f.cells).find((c) => c.failoverWarranted) ?? r.failover[0]?.cells[0];
  const rows: string[][] = [
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
    ["RPO", ...results.map((r) => `${fmtMs(r.lostWrites.rpoMs)} ms`)],
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
      `${loc} p50 / ${results[0]!.scenario.label}`,
      ...results.map((r) => {
        const p50 = r.latency.find((l) => l.location === loc)?.all?.p50Ms;
        return base && p50 ? `${(p50 / base).toFixed(p50 / base >= 10 ? 0 : 2)}x` : "-";
      }),
    ]);
  }
  return textTable(header, rows);
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
