// spike: a sudden 5x burst and back. The router must not fail over because it is busy.

import { check } from "k6";
import type { Options } from "k6/options";
import { ACTIVE_REGION, envNumber } from "./lib/env.ts";
import { mixedRequest } from "./lib/items.ts";
import { writeSummary } from "./lib/summary.ts";

const BASE_PER_S = envNumber("RATE_PER_S", 50);

export const options: Options = {
  scenarios: {
    spike: {
      executor: "ramping-arrival-rate",
      startRate: BASE_PER_S,
      timeUnit: "1s",
      preAllocatedVUs: 50,
      maxVUs: 400,
      stages: [
        { target: BASE_PER_S, duration: "5s" }, // warm up at the base rate
        { target: BASE_PER_S * 5, duration: "2s" }, // spike to 5x in 2 s
        { target: BASE_PER_S * 5, duration: "8s" }, // hold the spike
        { target: BASE_PER_S, duration: "2s" }, // back down
        { target: BASE_PER_S, duration: "5s" }, // recover at the base rate
      ],
    },
  },
  thresholds: {
    // Busy is not down: latency may grow, errors must not.
    http_req_failed: ["rate<0.001"],
    http_req_duration: ["p(99)<1000"],
    // No failover during a spike: every response served by the active region.
    "checks{check:served by active}": ["rate==1"],
  },
  summaryTrendStats: ["avg", "min", "med", "max", "p(95)", "p(99)"],
};

export default function (): void {
  const res = mixedRequest(0.2, { phase: "spike" });
  check(res, { "served by active": (r) => r.headers["X-Served-By"] === ACTIVE_REGION });
}

export function handleSummary(data: Parameters<typeof writeSummary>[1]) {
  return writeSummary("spike", data);
}
