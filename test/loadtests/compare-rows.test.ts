import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadPhaseAt } from "../../loadtests/lib/phases.ts";
import {
  k6Samples,
  LATENCY_ROWS,
  latencyFigures,
  phaseMix,
  quantileMs,
  simulatedSample,
} from "../../loadtests/runner/compare-rows.ts";

const FAULT = { faultAtS: 10, faultForS: 15 };

describe("compare-sim rows", () => {
  it("nearest-rank percentiles", () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(quantileMs(values, 0.5)).toBe(5);
    expect(quantileMs(values, 0.95)).toBe(10);
    expect(quantileMs(values, 0.9)).toBe(9);
    expect(quantileMs([], 0.5)).toBeNull();
  });

  it("puts a simulated request in the phase its send time falls in, as the k6 script tags it", () => {
    expect(simulatedSample(9_999, 1, true, FAULT).phase).toBe("before");
    expect(simulatedSample(10_000, 1, true, FAULT).phase).toBe("during");
    expect(simulatedSample(24_999, 1, true, FAULT).phase).toBe("during");
    expect(simulatedSample(25_000, 1, true, FAULT).phase).toBe("after");
    expect(loadPhaseAt(24.999, 10, 15)).toBe("during");
  });

  it("the k6 script tags its requests with the same phase function", () => {
    const script = readFileSync(new URL("../../loadtests/failover.ts", import.meta.url), "utf8");
    expect(script).toContain('import { loadPhaseAt } from "./lib/phases.ts"');
    expect(script).toMatch(/return loadPhaseAt\(/);
  });

  it("takes the traffic's requests from k6's JSON output, not the recovery probes or other metrics", () => {
    const point = (value: number, tags: Record<string, string>, metric = "http_req_duration") =>
      JSON.stringify({ type: "Point", metric, data: { time: "2026-11-29T05:00:00Z", value, tags } });
    const lines = [
      JSON.stringify({ type: "Metric", metric: "http_req_duration", data: {} }),
      point(5, { phase: "before", expected_response: "true" }),
      point(7, { phase: "before", expected_response: "false" }),
      point(90, { phase: "during", expected_response: "true", probe: "yes" }),
      point(3, { calibration: "idle", expected_response: "true" }),
      point(4, { phase: "before", expected_response: "true" }, "http_req_waiting"),
      point(85, { phase: "after", expected_response: "true" }),
    ].join("\n");
    expect(k6Samples(lines)).toEqual([
      { phase: "before", latencyMs: 5, ok: true },
      { phase: "before", latencyMs: 7, ok: false },
      { phase: "after", latencyMs: 85, ok: true },
    ]);
  });

  it("every row is a percentile of the successful requests of its phase", () => {
    const samples = [
      ...[1, 2, 3, 4, 100].map((ms) => simulatedSample(1_000, ms, true, FAULT)),
      simulatedSample(2_000, 5_000, false, FAULT),
      ...[80, 90].map((ms) => simulatedSample(30_000, ms, true, FAULT)),
    ];
    const figures = latencyFigures(samples);
    expect([...figures.keys()]).toEqual(LATENCY_ROWS.map((r) => r.figure));
    expect(figures.get("p50 before")).toBe(3);
    expect(figures.get("p95 before")).toBe(100);
    expect(figures.get("p50 during")).toBeNull();
    expect(figures.get("p50 after")).toBe(80);
    expect(figures.get("p95 after")).toBe(90);
  });

  it("a phase's mix: the write share it drew, its reads' p50 / p75, and the read quantile its p50 falls on", () => {
    const point = (value: number, method: string, phase = "before", ok = "true") =>
      JSON.stringify({
        type: "Point",
        metric: "http_req_duration",
        data: { time: "2026-11-29T05:00:00Z", value, tags: { phase, method, expected_response: ok } },
      });
    // Before: reads 1..6 ms and 4 writes (one failed: left out), so 3 writes of 9 requests.
    const lines = [
      ...[1, 2, 3, 4, 5, 6].map((ms) => point(ms, "GET")),
      point(120, "POST"),
      point(130, "PUT"),
      point(140, "POST"),
      point(5000, "POST", "before", "false"),
      point(90, "GET", "after"),
    ].join("\n");
    const samples = k6Samples(lines);
    expect(samples[0]).toEqual({ phase: "before", latencyMs: 1, ok: true, write: false });
    const mix = phaseMix(samples, "before", 0.2);
    // By hand: share 3 / 9 = 0.333; reads' p50 = 3rd of 6 = 3, p75 = ceil(4.5) = 5th = 5;
    // the mix's p50 (5th of 9) is the reads' 0.5 / (1 - 1/3) = 0.75 quantile.
    expect(mix.requests).toBe(9);
    expect(mix.writeShare).toBeCloseTo(1 / 3, 6);
    expect(mix.readP50Ms).toBe(3);
    expect(mix.readP75Ms).toBe(5);
    expect(mix.p50AtReadQuantile).toBeCloseTo(0.75, 6);
    // Had it drawn 20% writes: the reads' 0.5 / 0.8 = 0.625 quantile, ceil(3.75) = 4th = 4 ms.
    expect(mix.p50AtSentShareMs).toBe(4);
    expect(latencyFigures(samples).get("p50 before")).toBe(5);
  });
});
