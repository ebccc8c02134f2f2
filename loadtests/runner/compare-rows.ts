import { LOAD_PHASES, type LoadPhase, loadPhaseAt } from "../lib/phases.ts";

/**
 * The latency rows of `failover loadtest failover --compare-sim`, computed one way for both
 * sides: from single requests (k6's JSON output on the live stack, RunRecorder.onRecord in the
 * simulator), each put in its phase by its send time (lib/phases.ts, which the k6 script tags
 * with), successful requests only, nearest-rank percentiles.
 */
export interface RequestSample {
  phase: LoadPhase;
  latencyMs: number;
  ok: boolean;
  /** Live only (k6 tags the method): a write, not a read. */
  write?: boolean;
}

export interface LatencyRow {
  figure: string;
  phase: LoadPhase;
  quantile: number;
}

export const LATENCY_ROWS: readonly LatencyRow[] = LOAD_PHASES.flatMap((phase) => [
  { figure: `p50 ${phase}`, phase, quantile: 0.5 },
  { figure: `p95 ${phase}`, phase, quantile: 0.95 },
]);

/** A simulated request sent `sendMs` into the run, in the phase the k6 script would tag it with. */
export function simulatedSample(
  sendMs: number,
  latencyMs: number,
  ok: boolean,
  fault: { faultAtS: number; faultForS: number },
): RequestSample {
  return { phase: loadPhaseAt(sendMs / 1000, fault.faultAtS, fault.faultForS), latencyMs, ok };
}

/** Nearest rank: the smallest value with at least q of the values at or below it. */
export function quantileMs(sortedAsc: readonly number[], q: number): number | null {
  if (sortedAsc.length === 0) return null;
  const rank = Math.max(1, Math.ceil(q * sortedAsc.length));
  return sortedAsc[rank - 1]!;
}

/** Each row's figure over the successful samples of its phase (null: none). */
export function latencyFigures(samples: Iterable<RequestSample>): Map<string, number | null> {
  const byPhase = new Map<LoadPhase, number[]>(LOAD_PHASES.map((p) => [p, []]));
  for (const s of samples) if (s.ok) byPhase.get(s.phase)!.push(s.latencyMs);
  for (const values of byPhase.values()) values.sort((a, b) => a - b);
  return new Map(LATENCY_ROWS.map((row) => [row.figure, quantileMs(byPhase.get(row.phase)!, row.quantile)]));
}

/**
 * The live side's samples from k6's JSON output (`--out json`): every http_req_duration point
 * of the traffic (tagged with a phase), not the outage VU's recovery probes; ok when k6 counted
 * the response as expected (2xx, or 404 for a read).
 */
export function k6Samples(jsonLines: string): RequestSample[] {
  const samples: RequestSample[] = [];
  for (const line of jsonLines.split("\n")) {
    if (!line.includes('"http_req_duration"')) continue;
    const point = JSON.parse(line) as K6Point;
    if (point.type !== "Point" || point.metric !== "http_req_duration") continue;
    const tags = point.data.tags ?? {};
    const phase = tags.phase as LoadPhase | undefined;
    if (!phase || !LOAD_PHASES.includes(phase) || tags.probe === "yes") continue;
    samples.push({
      phase,
      latencyMs: point.data.value,
      ok: tags.expected_response === "true",
      ...(tags.method ? { write: tags.method !== "GET" } : {}),
    });
  }
  return samples;
}

interface K6Point {
  type: string;
  metric: string;
  data: { value: number; tags?: Record<string, string> };
}

/** A phase's mix on the live side: how many writes it drew, and what its reads took. */
export interface PhaseMix {
  requests: number;
  writeShare: number;
  readP50Ms: number | null;
  readP75Ms: number | null;
  /** The reads' percentile the mix's p50 falls on: 0.5 / (1 - writeShare), writes being the slower. */
  p50AtReadQuantile: number;
  /** The mix's p50 had the window drawn exactly `sentShare` writes: the reads' 0.5 / (1 - sentShare) quantile. */
  p50AtSentShareMs: number | null;
}

/**
 * Why a live "p50 before" moves from run to run: k6 draws each request's kind at random, so a
 * 10 s window of ~500 requests has a write share of 0.314 +- 0.021 (one standard deviation,
 * sqrt(0.314 x 0.686 / 500)), and the mix's median sits on the reads' 0.5 / (1 - share)
 * quantile (0.71-0.75 over that spread), a different read each run. Successful requests whose
 * method k6 tagged.
 */
export function phaseMix(samples: Iterable<RequestSample>, phase: LoadPhase, sentShare: number): PhaseMix {
  const reads: number[] = [];
  let writes = 0;
  for (const s of samples) {
    if (!s.ok || s.phase !== phase || s.write === undefined) continue;
    if (s.write) writes++;
    else reads.push(s.latencyMs);
  }
  reads.sort((a, b) => a - b);
  const requests = reads.length + writes;
  const writeShare = requests > 0 ? writes / requests : 0;
  return {
    requests,
    writeShare,
    readP50Ms: quantileMs(reads, 0.5),
    readP75Ms: quantileMs(reads, 0.75),
    p50AtReadQuantile: writeShare < 1 ? Math.min(1, 0.5 / (1 - writeShare)) : 1,
    p50AtSentShareMs: quantileMs(reads, Math.min(1, 0.5 / (1 - sentShare))),
  };
}
