/** A plain text table: columns padded to their widest cell, numbers right-aligned. */
export function textTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  indent = "  ",
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const numeric = header.map(
    (_, i) => rows.length > 0 && rows.every((r) => /^[-+]?[\d.,]+( ?[a-z%]+)?$|^-$|^n\/a$/.test(r[i] ?? "")),
  );
  const line = (cells: readonly string[]) =>
    indent +
    cells
      .map((c, i) => (numeric[i] && i > 0 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

export function fmtMs(ms: number | undefined | null): string {
  if (ms === undefined || ms === null || Number.isNaN(ms)) return "-";
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  return ms.toFixed(2);
}

export function fmtS(s: number | undefined | null): string {
  if (s === undefined || s === null) return "-";
  return `${s.toFixed(3)} s`;
}

export function fmtInt(n: number): string {
  return n.toLocaleString("en-US");
}

export function fmtPct(rate: number | null): string {
  if (rate === null) return "-";
  return `${(rate * 100).toFixed(rate === 1 ? 0 : 3)}%`;
}
