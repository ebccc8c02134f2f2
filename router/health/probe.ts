import { type Clock, clockTimeout } from "../../core/clock.ts";
import { type Transport, TransportError, type TransportErrorKind } from "../../core/transport.ts";
import { discardBody, raceSignal } from "../deadline.ts";

export interface ProbeResult {
  ok: boolean;
  startedAtMs: number;
  finishedAtMs: number;
  /** "200", "503", or the transport error, for status and decision reasons. */
  detail: string;
  /** Set when the probe failed before any response arrived. */
  errorKind?: TransportErrorKind;
  /** The region's `replicationLagEntries` from its /readyz body, when it reported one. */
  replicationLagEntries?: number;
  /**
   * The region itself said it is not ready (a non-2xx /readyz with `"ready": false`, see
   * regions/service/health-routes.ts): its own verdict, unlike a bare 5xx that may be one of
   * a brownout's random errors.
   */
  notReady?: boolean;
}

export interface ProbeTarget {
  region: string;
  /** The region's configured origin plus the health path; never anything from a request. */
  url: string;
  timeoutMs: number;
  connectTimeoutMs: number;
}

/**
 * One health probe: GET the region's readiness path through the transport. 2xx is healthy;
 * anything else, or no answer within `timeoutMs` on the injected clock, is a failure.
 */
export async function probeRegion(
  target: ProbeTarget,
  clock: Clock,
  transport: Transport,
): Promise<ProbeResult> {
  const startedAtMs = clock.nowMs();
  const deadline = clockTimeout(
    clock,
    target.timeoutMs,
    () => new TransportError("timeout", target.region, `probe timed out after ${target.timeoutMs} ms`),
  );
  try {
    const request = new Request(target.url, { method: "GET", headers: { accept: "application/json" } });
    const sending = transport(target.region, request, {
      connectTimeoutMs: Math.min(target.connectTimeoutMs, target.timeoutMs),
      responseTimeoutMs: target.timeoutMs,
      signal: deadline.signal,
    });
    const response = await raceSignal(sending, deadline.signal, discardBody);
    const ok = response.status >= 200 && response.status < 300;
    const result: ProbeResult = {
      ok,
      startedAtMs,
      finishedAtMs: clock.nowMs(),
      detail: String(response.status),
    };
    const body = await readReadiness(response, deadline.signal);
    if (ok && typeof body?.replicationLagEntries === "number")
      result.replicationLagEntries = body.replicationLagEntries;
    if (!ok && body?.ready === false) result.notReady = true;
    return result;
  } catch (error) {
    const kind = error instanceof TransportError ? error.kind : "unknown";
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, startedAtMs, finishedAtMs: clock.nowMs(), detail: message, errorKind: kind };
  } finally {
    deadline.dispose();
  }
}

/** The readiness body, if it is JSON; anything else is "nothing reported". */
async function readReadiness(
  response: Response,
  signal: AbortSignal,
): Promise<{ replicationLagEntries?: unknown; ready?: unknown } | undefined> {
  if (!response.headers.get("content-type")?.includes("json")) {
    discardBody(response);
    return undefined;
  }
  try {
    const body = (await raceSignal(response.json(), signal, () => {})) as unknown;
    return body && typeof body === "object" ? body : undefined;
  } catch {
    return undefined;
  }
}
