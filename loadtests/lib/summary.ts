import { RESULTS_DIR } from "./env.ts";

interface MetricSummary {
  type: string;
  values: Record<string, number>;
  thresholds?: Record<string, { ok: boolean }>;
}

interface SummaryData {
  metrics: Record<string, MetricSummary>;
  state: { testRunDurationMs: number };
}

/**
 * handleSummary for every script: a JSON file in RESULTS_DIR (thresholds pass/fail plus the
 * metrics) and a short text summary on stdout. Written here because k6's own text summary
 * helper is a remote jslib, and runs must not need the network.
 */
export function writeSummary(script: string, data: SummaryData): Record<string, string> {
  const thresholds: Record<string, boolean> = {};
  const lines = [`\n${script}: ${(data.state.testRunDurationMs / 1000).toFixed(1)} s`];
  for (const [name, metric] of Object.entries(data.metrics)) {
    for (const [expr, result] of Object.entries(metric.thresholds ?? {})) {
      thresholds[`${name} ${expr}`] = result.ok;
      lines.push(`  ${result.ok ? "ok  " : "FAIL"} ${name} ${expr}  (${describe(metric)})`);
    }
  }
  for (const name of ["http_reqs", "writes_acknowledged", "reads_missing", "time_to_recover_ms"]) {
    const metric = data.metrics[name];
    if (metric && !metric.thresholds) lines.push(`       ${name}: ${describe(metric)}`);
  }
  const json = JSON.stringify({ script, thresholds, metrics: data.metrics }, null, 2);
  return { [`${RESULTS_DIR}/${script}-summary.json`]: json, stdout: `${lines.join("\n")}\n` };
}

function describe(metric: MetricSummary): string {
  const v = metric.values;
  if (metric.type === "trend") {
    return `p50 ${fmt(v.med)} p95 ${fmt(v["p(95)"])} p99 ${fmt(v["p(99)"])} max ${fmt(v.max)}`;
  }
  if (metric.type === "rate") return `${((v.rate ?? 0) * 100).toFixed(2)}%`;
  return `${v.count ?? v.value ?? 0}`;
}

function fmt(ms: number | undefined): string {
  return ms === undefined ? "-" : `${ms.toFixed(1)}ms`;
}
