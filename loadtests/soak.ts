// soak (short): a modest rate held for a few minutes, to catch leaks and slow drifts in latency.
import type { Options } from "k6/options";
import { arrivalRate } from "./lib/arrival-rate.ts";
import { envNumber } from "./lib/env.ts";
import { mixedRequest } from "./lib/items.ts";
import { writeSummary } from "./lib/summary.ts";

const RATE_PER_S = envNumber("RATE_PER_S", 50);
const DURATION_S = envNumber("DURATION_S", 120);

export const options: Options = {
  scenarios: {
    soak: arrivalRate({ ratePerS: RATE_PER_S, durationS: DURATION_S, preAllocatedVUs: 20, maxVUs: 100 }),
  },
  thresholds: {
    // Latency at the end as at the start: p99 stays within 500 ms for the whole soak.
    http_req_duration: ["p(99)<500"],
    http_req_failed: ["rate<0.001"],
  },
  summaryTrendStats: ["avg", "min", "med", "max", "p(95)", "p(99)"],
};

export default function (): void {
  mixedRequest(0.3, { phase: "soak" });
}

export function handleSummary(data: Parameters<typeof writeSummary>[1]) {
  return writeSummary("soak", data);
}
