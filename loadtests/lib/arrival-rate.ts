// k6's open model in one place: the traffic of every script arrives at a constant rate.
import type { ConstantArrivalRateScenario } from "k6/options";

export interface ArrivalRate {
  /** The script's exported function each iteration runs; its default function when unset. */
  exec?: string;
  ratePerS: number;
  durationS: number;
  /** When the scenario starts, from the test's start. */
  startS?: number;
  /** VUs ready from the start: k6 starts more while the test runs, too slowly on a busy machine. */
  preAllocatedVUs: number;
  maxVUs: number;
}

/**
 * `ratePerS` iterations a second for `durationS`, whether or not earlier ones have finished (an
 * open-model client: a slow answer does not slow the arrivals), as k6's constant-arrival-rate runs.
 */
export function arrivalRate(a: ArrivalRate): ConstantArrivalRateScenario {
  return {
    executor: "constant-arrival-rate",
    ...(a.exec ? { exec: a.exec } : {}),
    rate: a.ratePerS,
    timeUnit: "1s",
    duration: `${a.durationS}s`,
    ...(a.startS !== undefined ? { startTime: `${a.startS}s` } : {}),
    preAllocatedVUs: a.preAllocatedVUs,
    maxVUs: a.maxVUs,
  };
}
