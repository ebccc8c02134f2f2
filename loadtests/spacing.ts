// spacing: what a read through the live stack costs back to back, spaced as a 50/s traffic's
// arrivals are, and spaced with 15 writes/s beside it, in alternating 5 s segments (three rounds),
// so that paired segments see the same machine. The measurements behind `--compare-sim`'s
// calibration (README, "The simulator against the live stack"):
//   failover loadtest loadtests/spacing.ts --replication sync
import { sleep } from "k6";
import http from "k6/http";
import { Trend } from "k6/metrics";
import type { Options, Scenario } from "k6/options";
import { arrivalRate } from "./lib/arrival-rate.ts";
import { BASE_URL } from "./lib/env.ts";
import { createSetupItems, knowItems, mixedRequest } from "./lib/items.ts";
import { writeSummary } from "./lib/summary.ts";

const SEGMENT_S = 5;
const ROUNDS = 3;
/** The failover script's traffic: 50 requests a second, 31% of them writes (lib/traffic-mix.ts). */
const SPACED_INTERVAL_MS = 20;
const WRITES_PER_S = 15;
const KINDS = ["back_to_back", "spaced", "spaced_with_writes"] as const;

const trends = new Map<string, Trend>();
for (let round = 1; round <= ROUNDS; round++)
  for (const kind of KINDS) trends.set(`${kind}_${round}`, new Trend(`spacing_${kind}_${round}_ms`, true));

export const options: Options = {
  scenarios: segments(),
  // The segments' reads (p(71): the read a 31%-write mix's median falls on).
  summaryTrendStats: ["min", "p(25)", "med", "p(71)", "p(75)", "p(95)", "max"],
};

function segments(): Record<string, Scenario> {
  // First 3 s of 16 readers with no pause: the code warm, as the calibration's saturation leaves it.
  const scenarios: Record<string, Scenario> = {
    warm: { executor: "constant-vus", exec: "warm", vus: 16, duration: "3s", gracefulStop: "1s" },
  };
  let startS = 4;
  for (let round = 1; round <= ROUNDS; round++) {
    for (const kind of KINDS) {
      const reader: Scenario = {
        executor: "constant-vus",
        exec: kind === "back_to_back" ? "backToBack" : "spaced",
        vus: 1,
        duration: `${SEGMENT_S}s`,
        startTime: `${startS}s`,
        gracefulStop: "1s",
        env: { SEGMENT: `${kind}_${round}` },
      };
      scenarios[`${kind}_${round}`] = reader;
      // The writes beside the spaced reads: creates and updates at the traffic's write rate.
      if (kind === "spaced_with_writes")
        scenarios[`writes_${round}`] = arrivalRate({
          exec: "write",
          ratePerS: WRITES_PER_S,
          durationS: SEGMENT_S,
          startS,
          preAllocatedVUs: 20,
          maxVUs: 100,
        });
      startS += SEGMENT_S + 1;
    }
  }
  return scenarios;
}

interface Data {
  ids: string[];
}

export function setup(): Data {
  return { ids: createSetupItems(20) };
}

function read(data: Data): number | undefined {
  const id = data.ids[Math.floor(Math.random() * data.ids.length)];
  const res = http.get(`${BASE_URL}/items/${id}`, { tags: { spacing: __ENV.SEGMENT ?? "warm" } });
  return res.status === 200 ? res.timings.duration : undefined;
}

export function warm(data: Data): void {
  read(data);
}

export function backToBack(data: Data): void {
  record(read(data));
}

/** One read every SPACED_INTERVAL_MS, from the previous one's send. */
export function spaced(data: Data): void {
  const sentMs = Date.now();
  record(read(data));
  const leftMs = SPACED_INTERVAL_MS - (Date.now() - sentMs);
  if (leftMs > 0) sleep(leftMs / 1000);
}

export function write(data: Data): void {
  knowItems(data.ids);
  mixedRequest(1, { spacing: "writes" });
}

function record(ms: number | undefined): void {
  if (ms !== undefined) trends.get(__ENV.SEGMENT ?? "")?.add(ms);
}

interface SummaryInput {
  metrics: Record<string, { type: string; values: Record<string, number> }>;
  state: { testRunDurationMs: number };
}

/** The usual summary, plus the reads' p50 / p71 per segment, round by round. */
export function handleSummary(data: SummaryInput) {
  const out = writeSummary("spacing", data);
  const lines = ["reads' p50 / p71 ms, by round:"];
  for (const kind of KINDS) {
    const cells: string[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const v = data.metrics[`spacing_${kind}_${round}_ms`]?.values;
      cells.push(v ? `${v.med!.toFixed(2)} / ${v["p(71)"]!.toFixed(2)}` : "-");
    }
    lines.push(`  ${kind.padEnd(20)} ${cells.join("   ")}`);
  }
  return { ...out, stdout: `${out.stdout}${lines.join("\n")}\n` };
}
