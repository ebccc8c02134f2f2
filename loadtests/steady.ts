// steady: constant arrival rate through the router, no faults. The service levels of a normal day.
import type { Options } from "k6/options";
import { arrivalRate } from "./lib/arrival-rate.ts";
import { envNumber } from "./lib/env.ts";
import { mixedRequest } from "./lib/items.ts";
import { writeSummary } from "./lib/summary.ts";

const RATE_PER_S = envNumber("RATE_PER_S", 100);
const DURATION_S = envNumber("DURATION_S", 20);

export const options: Options = {
  scenarios: {
    // RATE_PER_S requests a second for DURATION_S, whatever the latency (open model).
    steady: arrivalRate({ ratePerS: RATE_PER_S, durationS: DURATION_S, preAllocatedVUs: 20, maxVUs: 200 }),
  },
  thresholds: {
    // 95% of requests within 100 ms on loopback plus the injected client latency.
    http_req_duration: ["p(95)<250", "p(99)<500"],
    // At most 0.1% errors on a healthy stack.
    http_req_failed: ["rate<0.001"],
    checks: ["rate>0.999"],
  },
  summaryTrendStats: ["avg", "min", "med", "max", "p(95)", "p(99)"],
};

export default function (): void {
  mixedRequest(0.2, { phase: "steady" });
}

export function handleSummary(data: Parameters<typeof writeSummary>[1]) {
  return writeSummary("steady", data);
}
