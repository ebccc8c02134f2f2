import { build, type Histogram } from "hdr-histogram-js";
import { LOG_BINS, logBin, logPercentile } from "./log-histogram.ts";
import { type Disruption, HELD_MS } from "./outages.ts";
import { type Phase, phaseIndexAt } from "./phases.ts";

export interface LatencySummary {
  count: number;
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
}

export interface RecorderOptions {
  locations: readonly string[];
  cells: number;
  phases: readonly Phase[];
  /** Run length including the settle period (ms). */
  totalMs: number;
  chartBucketMs: number;
  /** Windows drawn close up in the HTML report (around each fault's start), at ZOOM_BUCKET_MS. */
  zoomWindows?: readonly { fromMs: number; toMs: number }[];
}

/** The close-up's resolution: a 0.2 s failover spans a few points, not one pixel of a 10-minute axis. */
export const ZOOM_BUCKET_MS = 100;

/** One close-up window: per location and 100 ms, the slowest successful answer and the counts. */
export interface ZoomSeries {
  fromMs: number;
  toMs: number;
  slowestMs: Float64Array[];
  ok: Uint32Array[];
  failed: Uint32Array[];
}

/**
 * What clients saw, as the run goes: HDR histograms of successful requests' latency per client
 * location per phase, counts per chart interval (by send time) for the charts, and the send
 * and answer time of every failed or held request per cell (RTO, outages/HELD_MS). Memory depends on the run's length only through
 * fixed-size arrays, never on the number of requests (except failures).
 */
export class RunRecorder {
  private readonly histograms = new Map<string, Histogram>();
  private readonly buckets: number;
  private readonly chartLatency: Uint32Array[];
  private readonly chartOk: Uint32Array[];
  private readonly chartFailed: Uint32Array[];
  readonly disruptions: Disruption[][];
  readonly statusCounts = new Map<string, number>();
  ok = 0;
  failed = 0;
  readsNotFound = 0;
  readonly zooms: ZoomSeries[];
  /**
   * Told of every request as it is recorded, when set (`failover loadtest --compare-sim` takes
   * single requests, to compute its rows the way it computes the live stack's).
   */
  onRecord: ((location: number, sendMs: number, latencyMs: number, ok: boolean) => void) | undefined =
    undefined;
  private readonly phaseOk: number[];
  private readonly phaseFailed: number[];

  constructor(readonly options: RecorderOptions) {
    this.buckets = Math.max(1, Math.ceil(options.totalMs / options.chartBucketMs));
    this.chartLatency = options.locations.map(() => new Uint32Array(this.buckets * LOG_BINS));
    this.chartOk = options.locations.map(() => new Uint32Array(this.buckets));
    this.chartFailed = options.locations.map(() => new Uint32Array(this.buckets));
    this.disruptions = Array.from({ length: options.cells }, () => []);
    this.zooms = (options.zoomWindows ?? []).map((w) => {
      const n = Math.max(1, Math.ceil((w.toMs - w.fromMs) / ZOOM_BUCKET_MS));
      return {
        ...w,
        slowestMs: options.locations.map(() => new Float64Array(n).fill(Number.NaN)),
        ok: options.locations.map(() => new Uint32Array(n)),
        failed: options.locations.map(() => new Uint32Array(n)),
      };
    });
    this.phaseOk = options.phases.map(() => 0);
    this.phaseFailed = options.phases.map(() => 0);
  }

  /** One request's outcome; `location` indexes options.locations. */
  record(
    location: number,
    cell: number,
    sendMs: number,
    latencyMs: number,
    ok: boolean,
    status: string,
  ): void {
    this.statusCounts.set(status, (this.statusCounts.get(status) ?? 0) + 1);
    this.onRecord?.(location, sendMs, latencyMs, ok);
    const bucket = Math.min(this.buckets - 1, Math.floor(sendMs / this.options.chartBucketMs));
    const phase = phaseIndexAt(this.options.phases, sendMs);
    for (const z of this.zooms) {
      if (sendMs < z.fromMs || sendMs >= z.toMs) continue;
      const b = Math.floor((sendMs - z.fromMs) / ZOOM_BUCKET_MS);
      if (!ok) z.failed[location]![b]!++;
      else {
        z.ok[location]![b]!++;
        const slowest = z.slowestMs[location]!;
        if (!(slowest[b]! >= latencyMs)) slowest[b] = latencyMs;
      }
    }
    if (ok) {
      this.ok++;
      this.phaseOk[phase]!++;
      this.chartOk[location]![bucket]!++;
      this.chartLatency[location]![bucket * LOG_BINS + logBin(latencyMs)]!++;
      const micros = Math.max(1, Math.round(latencyMs * 1000));
      this.histogram(location, phase).recordValue(micros);
      this.histogram(location, -1).recordValue(micros);
      if (latencyMs > HELD_MS)
        this.disruptions[cell]!.push({ sendMs, answerMs: sendMs + latencyMs, failed: false });
    } else {
      this.failed++;
      this.phaseFailed[phase]!++;
      this.chartFailed[location]![bucket]!++;
      this.disruptions[cell]!.push({ sendMs, answerMs: sendMs + latencyMs, failed: true });
    }
  }

  latency(location: number, phase: number): LatencySummary | undefined {
    const h = this.histograms.get(`${location}:${phase}`);
    if (!h || h.totalCount === 0) return undefined;
    // HDR reports a percentile as its bucket's upper edge, which can lie above the largest value
    // recorded (p99.9 2,657 ms over a max of 2,656 ms): no percentile is shown above the max.
    const ms = (micros: number) => Math.round(Math.min(micros, h.maxValue)) / 1000;
    return {
      count: h.totalCount,
      meanMs: Math.round(h.mean) / 1000,
      p50Ms: ms(h.getValueAtPercentile(50)),
      p90Ms: ms(h.getValueAtPercentile(90)),
      p99Ms: ms(h.getValueAtPercentile(99)),
      p999Ms: ms(h.getValueAtPercentile(99.9)),
      maxMs: ms(h.maxValue),
    };
  }

  phaseCounts(phase: number): { ok: number; failed: number } {
    return { ok: this.phaseOk[phase]!, failed: this.phaseFailed[phase]! };
  }

  /** Chart series for one location: p50/p99 latency and success rate per interval (NaN where empty). */
  chartSeries(location: number): {
    p50Ms: number[];
    p99Ms: number[];
    successRate: number[];
    requests: number[];
  } {
    const p50Ms: number[] = [];
    const p99Ms: number[] = [];
    const successRate: number[] = [];
    const requests: number[] = [];
    const lat = this.chartLatency[location]!;
    for (let b = 0; b < this.buckets; b++) {
      p50Ms.push(logPercentile(lat, b * LOG_BINS, 50));
      p99Ms.push(logPercentile(lat, b * LOG_BINS, 99));
      const ok = this.chartOk[location]![b]!;
      const total = ok + this.chartFailed[location]![b]!;
      successRate.push(total === 0 ? Number.NaN : ok / total);
      requests.push(total);
    }
    return { p50Ms, p99Ms, successRate, requests };
  }

  get chartBuckets(): number {
    return this.buckets;
  }

  private histogram(location: number, phase: number): Histogram {
    const key = `${location}:${phase}`;
    let h = this.histograms.get(key);
    if (!h) {
      // Microseconds, 1 us to 1 hour, 3 significant digits (0.1% error).
      h = build({
        lowestDiscernibleValue: 1,
        highestTrackableValue: 3_600_000_000,
        numberOfSignificantValueDigits: 3,
      });
      this.histograms.set(key, h);
    }
    return h;
  }
}
