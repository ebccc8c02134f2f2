/**
 * Inline SVG charts for the HTML report: no script, no network, so the file opens anywhere.
 */
export interface ChartSeries {
  name: string;
  color: string;
  values: readonly (number | null)[];
  dashed?: boolean;
}

export interface Band {
  fromS: number;
  toS: number;
  label: string;
}

/** A vertical line at an instant (detect, promote, restore), labelled at the top. */
export interface Marker {
  atS: number;
  label: string;
  color: string;
}

export interface LineChartOptions {
  title: string;
  /** The y axis's title, with its unit: "latency (ms, log scale)". */
  yLabel: string;
  /** The x axis's title, with its unit (default "time since the run started (s)"). */
  xLabel?: string;
  bucketS: number;
  /** Where the x axis starts (a close-up starts before a fault); 0 by default. */
  fromS?: number;
  markers?: readonly Marker[];
  series: readonly ChartSeries[];
  bands: readonly Band[];
  log?: boolean;
  yMin?: number;
  yMax?: number;
  width?: number;
  height?: number;
}

const PAD = { left: 60, right: 12, top: 26, bottom: 50 };

export const PALETTE = [
  "#1f77b4",
  "#d62728",
  "#2ca02c",
  "#9467bd",
  "#ff7f0e",
  "#8c564b",
  "#e377c2",
  "#17becf",
];

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function lineChart(o: LineChartOptions): string {
  const width = o.width ?? 880;
  const height = o.height ?? 240;
  const n = Math.max(1, ...o.series.map((s) => s.values.length));
  const totalS = n * o.bucketS;
  const fromS = o.fromS ?? 0;
  const values = o.series.flatMap((s) =>
    s.values.filter((v): v is number => v !== null && Number.isFinite(v) && (!o.log || v > 0)),
  );
  let yMin = o.yMin ?? (values.length ? Math.min(...values) : 0);
  let yMax = o.yMax ?? (values.length ? Math.max(...values) : 1);
  if (o.log) {
    yMin = 10 ** Math.floor(Math.log10(Math.max(yMin, 1e-3)));
    yMax = 10 ** Math.ceil(Math.log10(Math.max(yMax, yMin * 10)));
  } else if (yMax <= yMin) yMax = yMin + 1;
  const plotW = width - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  /** x of a time in run seconds (a close-up's axis starts at fromS). */
  const x = (s: number) => PAD.left + ((s - fromS) / totalS) * plotW;
  const y = (v: number) => {
    const t = o.log
      ? (Math.log10(v) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))
      : (v - yMin) / (yMax - yMin);
    return PAD.top + plotH - Math.min(1, Math.max(0, t)) * plotH;
  };
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img">`,
  );
  parts.push(`<text x="${PAD.left}" y="16" class="title">${escapeHtml(o.title)}</text>`);
  for (const band of o.bands) {
    if (band.toS <= fromS || band.fromS >= fromS + totalS) continue;
    const x0 = x(Math.max(fromS, band.fromS));
    const x1 = x(Math.min(fromS + totalS, band.toS));
    parts.push(
      `<rect x="${x0.toFixed(1)}" y="${PAD.top}" width="${Math.max(1, x1 - x0).toFixed(1)}" height="${plotH}" class="band"><title>${escapeHtml(band.label)}</title></rect>`,
    );
    parts.push(
      `<text x="${(x0 + 3).toFixed(1)}" y="${PAD.top + 10 + 11 * o.bands.indexOf(band)}" class="bandlabel">${escapeHtml(band.label)}</text>`,
    );
  }
  for (const tick of yTicks(yMin, yMax, o.log === true)) {
    const ty = y(tick).toFixed(1);
    parts.push(`<line x1="${PAD.left}" x2="${width - PAD.right}" y1="${ty}" y2="${ty}" class="grid"/>`);
    parts.push(`<text x="${PAD.left - 4}" y="${ty}" class="ytick">${formatTick(tick)}</text>`);
  }
  for (const tick of xTicks(totalS)) {
    const tx = x(fromS + tick).toFixed(1);
    parts.push(
      `<text x="${tx}" y="${height - PAD.bottom + 14}" class="xtick">${formatTime(fromS + tick)}</text>`,
    );
  }
  parts.push(
    `<text x="${PAD.left + plotW / 2}" y="${height - PAD.bottom + 28}" class="xlabel">${escapeHtml(o.xLabel ?? "time since the run started (s)")}</text>`,
  );
  parts.push(
    `<text x="12" y="${PAD.top + plotH / 2}" class="ylabel" transform="rotate(-90 12 ${PAD.top + plotH / 2})">${escapeHtml(o.yLabel)}</text>`,
  );
  (o.markers ?? []).forEach((m, i) => {
    const mx = x(m.atS).toFixed(1);
    parts.push(
      `<line x1="${mx}" x2="${mx}" y1="${PAD.top}" y2="${PAD.top + plotH}" stroke="${m.color}" stroke-width="1.5" class="marker"><title>${escapeHtml(m.label)}</title></line>`,
    );
    parts.push(
      `<text x="${(Number(mx) + 3).toFixed(1)}" y="${PAD.top + 10 + 11 * (o.bands.length + i)}" class="markerlabel" fill="${m.color}">${escapeHtml(m.label)}</text>`,
    );
  });
  for (const s of o.series) {
    const d = pathOf(s.values, o.bucketS, (t) => x(fromS + t), y, o.log === true);
    if (d)
      parts.push(
        `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.5"${s.dashed ? ' stroke-dasharray="4 3"' : ""}><title>${escapeHtml(s.name)}</title></path>`,
      );
  }
  parts.push(legend(o.series, PAD.left, height - 6));
  parts.push("</svg>");
  return parts.join("");
}

function pathOf(
  values: readonly (number | null)[],
  bucketS: number,
  x: (s: number) => number,
  y: (v: number) => number,
  log: boolean,
): string {
  let d = "";
  let pen = false;
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v) || (log && v <= 0)) {
      pen = false;
      return;
    }
    d += `${pen ? "L" : "M"}${x((i + 0.5) * bucketS).toFixed(1)} ${y(v).toFixed(1)}`;
    pen = true;
  });
  return d;
}

function legend(series: readonly ChartSeries[], left: number, baseline: number): string {
  let xPos = left;
  return series
    .map((s) => {
      // The swatch is drawn like the line: dashed for a dashed series.
      const dash = s.dashed ? ' stroke-dasharray="4 3"' : "";
      const item = `<line x1="${xPos}" x2="${xPos + 18}" y1="${baseline - 4}" y2="${baseline - 4}" stroke="${s.color}" stroke-width="2"${dash}/><text x="${xPos + 22}" y="${baseline}" class="legend">${escapeHtml(s.name)}</text>`;
      xPos += 32 + s.name.length * 6.2;
      return item;
    })
    .join("");
}

function yTicks(min: number, max: number, log: boolean): number[] {
  if (log) {
    const ticks: number[] = [];
    for (let e = Math.round(Math.log10(min)); e <= Math.round(Math.log10(max)); e++) ticks.push(10 ** e);
    return ticks;
  }
  const step = niceStep((max - min) / 4);
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + 1e-9; t += step)
    ticks.push(Number(t.toPrecision(10)));
  return ticks;
}

/** Time ticks on round seconds, minutes or hours (about 6 to 12 of them). */
const TIME_STEPS_S = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 43_200, 86_400];

function xTicks(totalS: number): number[] {
  const step = TIME_STEPS_S.find((s) => totalS / s <= 12) ?? 86_400;
  const ticks: number[] = [];
  for (let t = 0; t <= totalS + 1e-9; t += step) ticks.push(t);
  return ticks;
}

function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-9)));
  const m = raw / power;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * power;
}

function formatTick(v: number): string {
  if (v >= 1000) return `${v / 1000}k`;
  return String(Number(v.toPrecision(3)));
}

export function formatTime(s: number): string {
  if (s < 120 || s % 60 !== 0) return `${Number(s.toPrecision(4))}s`;
  if (s < 7200 || s % 3600 !== 0) return `${s / 60}m`;
  return `${s / 3600}h`;
}

/** Which region was active when: one lane per cell, coloured by region. */
export function activeRegionChart(
  lanes: readonly { name: string; segments: readonly { fromS: number; toS: number; region: string }[] }[],
  colors: ReadonlyMap<string, string>,
  totalS: number,
  bands: readonly Band[],
): string {
  const width = 880;
  const laneH = 26;
  const height = PAD.top + lanes.length * (laneH + 6) + 46;
  const plotW = width - PAD.left - PAD.right;
  const x = (s: number) => PAD.left + (s / totalS) * plotW;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img">`,
  ];
  parts.push(`<text x="${PAD.left}" y="16" class="title">Active region over time</text>`);
  for (const band of bands) {
    parts.push(
      `<rect x="${x(band.fromS).toFixed(1)}" y="${PAD.top}" width="${Math.max(1, x(band.toS) - x(band.fromS)).toFixed(1)}" height="${lanes.length * (laneH + 6)}" class="band"><title>${escapeHtml(band.label)}</title></rect>`,
    );
  }
  lanes.forEach((lane, i) => {
    const top = PAD.top + i * (laneH + 6);
    parts.push(
      `<text x="${PAD.left - 4}" y="${top + laneH / 2 + 4}" class="ytick">${escapeHtml(lane.name)}</text>`,
    );
    for (const seg of lane.segments) {
      const x0 = x(seg.fromS);
      parts.push(
        `<rect x="${x0.toFixed(1)}" y="${top}" width="${Math.max(1, x(seg.toS) - x0).toFixed(1)}" height="${laneH}" fill="${colors.get(seg.region) ?? "#999"}" opacity="0.8"><title>${escapeHtml(seg.region)} from ${seg.fromS.toFixed(3)} s</title></rect>`,
      );
      if (x(seg.toS) - x0 > 50)
        parts.push(
          `<text x="${x0 + 4}" y="${top + laneH / 2 + 4}" class="lane">${escapeHtml(seg.region)}</text>`,
        );
    }
  });
  for (const tick of xTicks(totalS))
    parts.push(`<text x="${x(tick).toFixed(1)}" y="${height - 24}" class="xtick">${formatTime(tick)}</text>`);
  parts.push(
    `<text x="${PAD.left + plotW / 2}" y="${height - 8}" class="xlabel">time since the run started (s)</text>`,
  );
  parts.push("</svg>");
  return parts.join("");
}
