// Where the scripts send load and how long they run. `failover loadtest` sets these; every
// target must be on loopback (the live stack binds 127.0.0.1), and every run is bounded.
export const BASE_URL = __ENV.BASE_URL || "http://127.0.0.1:8080";
export const CONTROL_URL = __ENV.CONTROL_URL || "http://127.0.0.1:8079";
export const RESULTS_DIR = __ENV.RESULTS_DIR || "results";
export const ACTIVE_REGION = __ENV.ACTIVE_REGION || "prod-us";
export const STANDBY_REGION = __ENV.STANDBY_REGION || "prod-ie";

/** A positive number from the environment, or the default. */
export function envNumber(name: string, fallback: number): number {
  const raw = __ENV[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

for (const [name, url] of [
  ["BASE_URL", BASE_URL],
  ["CONTROL_URL", CONTROL_URL],
]) {
  if (!/^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/.test(url)) {
    throw new Error(`${name} must point at loopback (127.0.0.1, localhost or [::1]); got ${url}`);
  }
}
