import type { RawResponse } from "../../core/transport.ts";
import { connectionListed, isHopByHop } from "./hop-by-hop.ts";

/** Why a response came from the region it came from: the `x-served-reason` header. */
export type ServedReason =
  /** The active region, which is the environment's preferred (initialActive) one. */
  | "active"
  /** The active region after a failover (not the preferred one). */
  | "failover"
  /** A retry after the first attempt failed to connect or was reset. */
  | "retry"
  /** Sent again after a region answered not_active / stale_epoch (another router promoted). */
  | "redirect"
  /** A read answered by the standby while the active region is unhealthy (standbyReads). */
  | "standby-read"
  /** No control record could be read yet; reads go to initialActive. */
  | "no-control-record";

export interface Served {
  region: string;
  reason: ServedReason;
  requestId: string;
}

/**
 * The response for the client: the region's status, headers (minus hop-by-hop) and body (bytes
 * as they came, or the stream passed through, not copied), plus which region served it and why.
 */
export function clientResponse(raw: RawResponse, served: Served): Response {
  const connection = raw.headers.connection;
  const listed = connectionListed(typeof connection === "string" ? connection : null);
  const out: Record<string, string> = {};
  // Made only for a repeated field (rare): not an array per response.
  let repeated: [string, string][] | undefined;
  for (const name in raw.headers) {
    if (isHopByHop(name) || listed?.has(name)) continue;
    const value = raw.headers[name]!;
    if (typeof value === "string") out[name] = value;
    else {
      repeated ??= [];
      for (const v of value) repeated.push([name, v]);
    }
  }
  out["x-served-by"] = served.region;
  out["x-served-reason"] = served.reason;
  out["x-request-id"] = served.requestId;
  if (repeated === undefined) return new Response(raw.body, { status: raw.status, headers: out });
  // Set-Cookie and other repeated fields need Headers: a record would join them with commas.
  const headers = new Headers(out);
  for (const [name, value] of repeated) headers.append(name, value);
  return new Response(raw.body, { status: raw.status, headers });
}

/** Drops a response the router will not pass on: a streamed body is cancelled, which ends its upstream read. */
export function discardRaw(raw: RawResponse): void {
  if (raw.body instanceof ReadableStream) raw.body.cancel().catch(() => {});
}
