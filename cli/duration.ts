import { UsageError } from "../core/cli-error.ts";

/** Parses "500ms", "30s", "2m", "1h" or a bare number of seconds into milliseconds. */
export function parseDurationMs(value: string, what = "duration"): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (!match) throw new UsageError(`${what} must look like 500ms, 30s, 2m or 1h; got "${value}"`);
  const amount = Number(match[1]);
  const unitMs = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(match[2] ?? "s") as "ms" | "s" | "m" | "h"];
  return amount * unitMs;
}
