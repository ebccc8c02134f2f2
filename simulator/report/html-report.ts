import type { ScenarioResult } from "./result.ts";
import { comparisonRows, headline } from "./summary.ts";
import {
  activeRegionChart,
  type Band,
  escapeHtml as esc,
  lineChart,
  type Marker,
  PALETTE,
} from "./svg-chart.ts";
import type { SweepResult } from "./sweep-result.ts";
import { fmtInt, fmtMs, fmtPct, fmtS } from "./text-table.ts";

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:940px;color:#222}
h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ddd}h3{font-size:15px}
table{border-collapse:collapse;margin:8px 0;font-size:13px}td,th{border:1px solid #ddd;padding:3px 8px;text-align:right;white-space:nowrap}
td.wrap{white-space:normal;text-align:left;min-width:16em}.scroll{overflow-x:auto}.verdict{font-size:16px}
svg .xlabel{font-size:11px;text-anchor:middle;fill:#555}svg .markerlabel{font-size:10px}
td:first-child,th:first-child{text-align:left}th{background:#f4f4f4}.bad{color:#b00;font-weight:bold}.ok{color:#070}
pre{background:#f7f7f7;padding:8px;overflow:auto;font-size:12px}.muted{color:#777}
svg{display:block;margin:10px 0}svg .title{font-weight:bold;font-size:13px}svg .grid{stroke:#eee}
svg .ytick{font-size:10px;text-anchor:end;dominant-baseline:middle;fill:#555}svg .xtick{font-size:10px;text-anchor:middle;fill:#555}
svg .ylabel{font-size:11px;text-anchor:middle;fill:#555}svg .legend{font-size:11px;fill:#333}
svg .band{fill:#f5a623;opacity:0.18}svg .lane{font-size:11px;fill:#fff}svg .bandlabel{font-size:10px;fill:#a65e00}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>\n`;
}

/** A table whose cells keep names and numbers on one line; a cell given as {wrap} may wrap (reasons). */
function table(header: readonly string[], rows: readonly (readonly (string | { wrap: string })[])[]): string {
  const cell = (c: string | { wrap: string }) =>
    typeof c === "string" ? `<td>${c}</td>` : `<td class="wrap">${c.wrap}</td>`;
  return `<div class="scroll"><table><tr>${header.map((h) => `<th>${esc(h)}</th>`).join("")}</tr>${rows
    .map((r) => `<tr>${r.map(cell).join("")}</tr>`)
    .join("")}</table></div>`;
}

function bandsOf(r: ScenarioResult): Band[] {
  return r.faults.map((f) => ({ fromS: f.startS, toS: f.endS, label: f.label }));
}

function charts(r: ScenarioResult): string {
  const t = r.timeline;
  const bands = bandsOf(r);
  const latencySeries = t.locations.flatMap((l, i) => [
    { name: `${l.location} p50`, color: PALETTE[i % PALETTE.length]!, values: l.p50Ms },
    { name: `${l.location} p99`, color: PALETTE[i % PALETTE.length]!, values: l.p99Ms, dashed: true },
  ]);
  const successSeries = t.locations.map((l, i) => ({
    name: l.location,
    color: PALETTE[i % PALETTE.length]!,
    values: l.successRate.map((v) => (v === null ? null : v * 100)),
  }));
  const totalS = r.scenario.durationS;
  const regions = [...new Set(r.activeRegion.map((a) => a.region))].sort();
  const colors = new Map(regions.map((name, i) => [name, PALETTE[(i + 3) % PALETTE.length]!]));
  const cells = [...new Set(r.activeRegion.map((a) => a.cell))];
  const lanes = cells.map((cell) => {
    const changes = r.activeRegion.filter((a) => a.cell === cell);
    return {
      name: cells.length > 1 ? `cell ${cell}` : "active",
      segments: changes.map((a, i) => ({
        fromS: Math.min(a.atS, totalS),
        toS: Math.min(changes[i + 1]?.atS ?? totalS, totalS),
        region: a.region,
      })),
    };
  });
  return [
    lineChart({
      title: "Latency of successful requests by client location (p50 solid, p99 dashed)",
      yLabel: "latency (ms, log scale)",
      bucketS: t.bucketS,
      series: latencySeries,
      bands,
      log: true,
    }),
    lineChart({
      title: "Success rate by client location (by send time)",
      yLabel: "requests answered ok (%)",
      bucketS: t.bucketS,
      series: successSeries,
      bands,
      yMin: successFloor(successSeries.flatMap((x) => x.values)),
      yMax: 100,
    }),
    activeRegionChart(lanes, colors, totalS, bands),
  ].join("\n");
}

/**
 * A close-up of the seconds around each fault's start (the whole-run charts give a 0.2 s
 * failover one pixel), with a line where the fault was detected, where the standby was
 * promoted and where service was restored (RTO), as the glossary defines them.
 */
function zoomPanels(r: ScenarioResult): string {
  return r.zoom
    .map((z) => {
      const f = r.failover.find((x) => x.fault === z.fault);
      if (!f) return "";
      const c = f.cells[0]!;
      // The fault's start is the shaded band's left edge.
      const markers: Marker[] = [];
      if (c.detectS !== undefined)
        markers.push({ atS: f.startS + c.detectS, label: `detect ${fmtS(c.detectS)}`, color: "#d62728" });
      if (c.promoteS !== undefined)
        markers.push({ atS: f.startS + c.promoteS, label: `promote ${fmtS(c.promoteS)}`, color: "#9467bd" });
      if (c.rtoS !== undefined && c.rtoS > 0)
        markers.push({ atS: f.startS + c.rtoS, label: `restored (RTO ${fmtS(c.rtoS)})`, color: "#2ca02c" });
      const common = {
        bucketS: z.bucketS,
        fromS: z.fromS,
        bands: [{ fromS: f.startS, toS: f.endS, label: f.label }],
        markers,
        xLabel: "time since the run started (s), 0.1 s per point",
      };
      const slowest = lineChart({
        ...common,
        title: `${f.label}: the slowest successful answer every 0.1 s, by client location`,
        yLabel: "slowest answer (ms, log scale)",
        series: z.locations.map((l, i) => ({
          name: l.location,
          color: PALETTE[i % PALETTE.length]!,
          values: l.slowestMs,
        })),
        log: true,
        height: 260,
      });
      const failed = lineChart({
        ...common,
        title: `${f.label}: failed requests every 0.1 s, by client location`,
        yLabel: "failed requests",
        series: z.locations.map((l, i) => ({
          name: l.location,
          color: PALETTE[i % PALETTE.length]!,
          values: l.failed,
        })),
        yMin: 0,
        height: 200,
      });
      return `<h3>Close-up: ${esc(f.label)} (${f.startS} s)</h3>${slowest}${failed}`;
    })
    .join("\n");
}

/** The success chart's floor: 95% unless something fell lower, then the next 10% step below. */
function successFloor(values: readonly (number | null)[]): number {
  const lowest = Math.min(100, ...values.filter((v): v is number => v !== null));
  return lowest >= 95 ? 95 : Math.max(0, Math.floor(lowest / 10) * 10);
}

function runSection(r: ScenarioResult, reproduce: string): string {
  const parts: string[] = [];
  const s = r.scenario;
  parts.push(`<p>${esc(s.description)}</p>`);
  parts.push(
    `<p>Environment <b>${esc(s.environment)}</b>, ${esc(s.topology)}, failover by <b>${esc(s.failoverBy)}</b>, ${s.durationS} s (+${s.settleS} s settle), seed <b>${s.seed}</b>. Reproduce: <code>${esc(reproduce)}</code></p>`,
  );
  const [verdict, ...figures] = headline(r);
  const ok = r.invariants.ok && r.expectations.every((e) => e.met);
  parts.splice(
    0,
    0,
    `<p class="verdict"><b class="${ok ? "ok" : "bad"}">${esc(verdict!)}</b></p><pre>${esc(figures.join("\n"))}</pre>`,
  );
  parts.push(charts(r));
  parts.push(zoomPanels(r));
  parts.push("<h3>Failover</h3>");
  parts.push(
    table(
      [
        "fault",
        "active",
        "detect",
        "promote",
        "to",
        "RTO",
        "failed",
        "held",
        "lost writes",
        "RPO",
        "detected by",
      ],
      r.failover.flatMap((f) =>
        f.cells.map((c) => [
          esc(`${f.label} (${f.startS}-${f.endS} s)`),
          esc(c.activeAtStart),
          fmtS(c.detectS),
          fmtS(c.promoteS),
          esc(c.promotedTo ?? "-"),
          c.rtoS === undefined
            ? "- (no failover needed)"
            : `${fmtS(c.rtoS)}${c.restored ? "" : " (not restored)"}`,
          fmtInt(c.failedRequests),
          fmtInt(c.heldRequests),
          fmtInt(c.lostWrites),
          c.rpoMs === undefined ? "-" : `${fmtMs(c.rpoMs)} ms`,
          { wrap: `<span class="muted">${esc(c.detectedBy ?? "-")}</span>` },
        ]),
      ),
    ),
  );
  if (r.otherOutages.length > 0) {
    parts.push("<h3>Other outages (after a failback, a drain, an operator's promotion)</h3>");
    parts.push(
      table(
        ["cause", "at", "cell", "from", "to", "failed", "held"],
        r.otherOutages.map((o) => [
          esc(o.cause),
          o.atS === undefined ? "-" : fmtS(o.atS),
          String(o.cell),
          fmtS(o.fromS),
          fmtS(o.toS),
          fmtInt(o.failedRequests),
          fmtInt(o.heldRequests),
        ]),
      ),
    );
  }
  for (const f of r.failover) {
    if (f.domain) parts.push(`<p>${esc(f.label)}: took down ${esc(f.domain)}</p>`);
    for (const c of f.cells)
      if (c.notPromotedBecause)
        parts.push(`<p>${esc(f.label)}: no promotion while it lasted: ${esc(c.notPromotedBecause)}</p>`);
  }
  parts.push("<h3>Control plane</h3>");
  parts.push(
    table(
      ["replica", "location", "answered", "no quorum", "quorum round trip (mean)"],
      r.controlPlane.flatMap((cell) =>
        cell.replicas.map((x) => [
          esc(`${x.name}${r.controlPlane.length > 1 ? ` cell ${cell.cell}` : ""}`),
          esc(x.location),
          x.witness ? "witness" : fmtInt(x.answered),
          x.witness ? "-" : fmtInt(x.noQuorum),
          x.quorumMsMean === null ? "-" : `${x.quorumMsMean} ms`,
        ]),
      ),
    ),
  );
  parts.push("<h3>Latency of successful requests (ms)</h3>");
  parts.push(
    table(
      ["location", "phase", "requests", "p50", "p90", "p99", "p99.9", "max"],
      r.latency.flatMap((l) =>
        Object.entries(l.phases).map(([phase, x]) => [
          esc(l.location),
          esc(phase),
          fmtInt(x.count),
          fmtMs(x.p50Ms),
          fmtMs(x.p90Ms),
          fmtMs(x.p99Ms),
          fmtMs(x.p999Ms),
          fmtMs(x.maxMs),
        ]),
      ),
    ),
  );
  parts.push("<h3>Phases</h3>");
  parts.push(
    table(
      ["phase", "from", "to", "ok", "failed", "success"],
      r.phases.map((p) => [
        esc(p.name),
        `${p.fromS} s`,
        `${p.toS} s`,
        fmtInt(p.ok),
        fmtInt(p.failed),
        fmtPct(p.successRate),
      ]),
    ),
  );
  parts.push("<h3>Answers</h3>");
  parts.push(
    table(
      ["status", "count"],
      Object.entries(r.requests.byStatus).map(([k, n]) => [esc(k), fmtInt(n)]),
    ),
  );
  if (r.promotions.length > 0) {
    parts.push("<h3>Active region changes</h3>");
    parts.push(
      table(
        ["at", "cell", "from", "to", "epoch", "cause", "lag (entries)", "reason"],
        r.promotions.map((p) => [
          fmtS(p.atS),
          String(p.cell),
          esc(p.from),
          esc(p.to),
          String(p.epoch),
          esc(p.cause),
          String(p.replicationLagEntries),
          { wrap: `<span class="muted">${esc(p.reason)}</span>` },
        ]),
      ),
    );
  }
  if (r.lostWrites.list.length > 0) {
    parts.push(
      `<h3>Lost writes</h3><p>The first ${fmtInt(r.lostWrites.list.length)} of ${fmtInt(r.lostWrites.lost)}; every one is in <code>${esc(r.lostWrites.allIn ?? "the NDJSON file beside the JSON report")}</code>.</p>`,
    );
    parts.push(
      table(
        ["key", "acknowledged", "region", "epoch", "seq", "lag ms", "lag entries", "explained"],
        r.lostWrites.list.map((w) => [
          esc(w.key),
          fmtS(w.ackMs / 1000),
          esc(w.region ?? "?"),
          String(w.epoch ?? "?"),
          String(w.seq ?? "?"),
          fmtMs(w.lagMs),
          String(w.lagEntries ?? "-"),
          w.explained ? "yes" : `<span class="bad">NO</span>`,
        ]),
      ),
    );
  }
  if (r.falseFailovers.length > 0) {
    parts.push("<h3>False failovers</h3>");
    parts.push(
      table(
        ["at", "cell", "from", "to", "reason"],
        r.falseFailovers.map((f) => [
          fmtS(f.atS),
          String(f.cell),
          esc(f.from),
          esc(f.to),
          { wrap: esc(f.reason) },
        ]),
      ),
    );
  }
  if (r.expectations.length > 0) {
    parts.push("<h3>Expectations</h3>");
    parts.push(
      table(
        ["expectation", "expected", "actual", "met"],
        r.expectations.map((e) => [
          esc(e.name),
          esc(e.expected),
          esc(e.actual),
          e.met ? "yes" : `<span class="bad">NO</span>`,
        ]),
      ),
    );
  }
  parts.push("<h3>Round trips used</h3>");
  parts.push(
    table(
      ["a", "b", "RTT ms", "source"],
      r.latencyTable.pairs.map((p) => [
        esc(p.a),
        esc(p.b),
        fmtMs(p.rttMs),
        { wrap: `<span class="muted">${esc(p.source)}</span>` },
      ]),
    ),
  );
  parts.push(
    `<h3>Parameters and seeds</h3><pre>${esc(JSON.stringify({ parameters: s.parameters, seeds: s.seeds }, null, 2))}</pre>`,
  );
  return parts.join("\n");
}

export function renderRunHtml(r: ScenarioResult, reproduce: string): string {
  return page(
    `failover simulate: ${r.scenario.label}`,
    `<h1>Simulation: ${esc(r.scenario.label)}</h1>${runSection(r, reproduce)}`,
  );
}

export function renderComparisonHtml(
  results: readonly ScenarioResult[],
  _summaryText: string,
  reproduce: string,
): string {
  const sections = results
    .map((r) => `<h2>${esc(r.scenario.label)}</h2>${runSection(r, reproduce)}`)
    .join("\n");
  return page(
    "failover simulate: comparison",
    `<h1>Comparison: ${results.map((r) => esc(r.scenario.label)).join(" vs ")}</h1>` +
      `${comparisonTable(results)}${overlaidCharts(results)}${sections}`,
  );
}

/** The side-by-side figures as a table: one column per scenario. */
function comparisonTable(results: readonly ScenarioResult[]): string {
  const { header, rows } = comparisonRows(results);
  return table(
    header,
    rows.map((r) => r.map(esc)),
  );
}

/** One chart per figure, one line per scenario: the worst client location at each point. */
function overlaidCharts(results: readonly ScenarioResult[]): string {
  const bucketS = results[0]!.timeline.bucketS;
  const worst = (
    r: ScenarioResult,
    pick: (l: ScenarioResult["timeline"]["locations"][number], i: number) => number | null,
    better: "low" | "high",
  ) =>
    (r.timeline.locations[0]?.p50Ms ?? []).map((_, i) => {
      const values = r.timeline.locations.map((l) => pick(l, i)).filter((v): v is number => v !== null);
      if (values.length === 0) return null;
      return better === "low" ? Math.max(...values) : Math.min(...values);
    });
  const bands = bandsOf(results[0]!);
  const series = (pick: Parameters<typeof worst>[1], better: "low" | "high", scale = 1) =>
    results.map((r, i) => ({
      name: r.scenario.label,
      color: PALETTE[i % PALETTE.length]!,
      values: worst(r, pick, better).map((v) => (v === null ? null : v * scale)),
    }));
  const success = series((l, i) => l.successRate[i] ?? null, "high", 100);
  return [
    lineChart({
      title: "Success rate of the worst client location, one line per scenario",
      yLabel: "requests answered ok (%)",
      bucketS,
      series: success,
      bands,
      yMin: successFloor(success.flatMap((s) => s.values)),
      yMax: 100,
    }),
    lineChart({
      title: "p99 latency of the slowest client location, one line per scenario",
      yLabel: "p99 latency (ms, log scale)",
      bucketS,
      series: series((l, i) => l.p99Ms[i] ?? null, "low"),
      bands,
      log: true,
    }),
  ].join("\n");
}

export function renderSweepHtml(sweep: SweepResult, summaryText: string, reproduce: string): string {
  const grids = [
    heatGrid(
      sweep,
      "Time to detect the real fault (s)",
      (c) => c.detectS,
      (v) => v.toFixed(2),
    ),
    heatGrid(
      sweep,
      "False failovers (jitter alone)",
      (c) => c.falseFailovers,
      (v) => String(v),
    ),
    heatGrid(
      sweep,
      "Failed client requests",
      (c) => c.failedRequests,
      (v) => fmtInt(v),
    ),
  ].join("\n");
  return page(
    `failover simulate: sweep ${sweep.name}`,
    `<h1>Sweep: ${esc(sweep.name)}</h1><p>${esc(sweep.description)}</p><p>Seed ${sweep.seed}. Reproduce: <code>${esc(reproduce)}</code></p>` +
      `<p>Rows: health-check interval (probe timeout ${esc(String(sweep.cells[0]?.timeoutMs ?? "-"))} ms for the first; half the interval). Columns: fall threshold. Darker is worse.</p>${grids}<h3>All figures</h3><pre>${esc(summaryText)}</pre>`,
  );
}

/** Interval (rows) x fall threshold (columns), each cell shaded by its value: darker is worse. */
function heatGrid(
  sweep: SweepResult,
  title: string,
  value: (c: SweepResult["cells"][number]) => number | undefined,
  show: (v: number) => string,
): string {
  const intervals = [...new Set(sweep.cells.map((c) => c.intervalMs))];
  const falls = [...new Set(sweep.cells.map((c) => c.fallCount))];
  const values = sweep.cells.map(value).filter((v): v is number => v !== undefined);
  const max = Math.max(1e-9, ...values);
  const rows = intervals.map((interval) => [
    `${fmtInt(interval)} ms`,
    ...falls.map((fall) => {
      const cell = sweep.cells.find((c) => c.intervalMs === interval && c.fallCount === fall);
      const v = cell ? value(cell) : undefined;
      if (v === undefined) return "-";
      const shade = Math.round(255 - (v / max) * 150);
      return `<span style="display:block;background:rgb(255,${shade},${shade})">${esc(show(v))}</span>`;
    }),
  ]);
  return `<h3>${esc(title)}</h3>${table(["interval / fall", ...falls.map(String)], rows)}`;
}
