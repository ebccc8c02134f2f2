import { type RawResponse, rawResponseOf } from "../../core/raw-exchange.ts";
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
 * The response for the client: the region's status, headers (minus hop-by-hop) and body
 * stream, plus which region served it and why. The body is passed through, not copied.
 */
export function clientResponse(upstream: Response, served: Served): Response {
  const raw = rawResponseOf(upstream);
  if (raw) return fromRaw(raw, served);
  const listed = connectionListed(upstream.headers.get("connection"));
  const headers = new Headers();
  upstream.headers.forEach((value, name) => {
    if (isHopByHop(name) || listed?.has(name)) return;
    headers.append(name, value);
  });
  headers.set("x-served-by", served.region);
  headers.set("x-served-reason", served.reason);
  headers.set("x-request-id", served.requestId);
  return new Response(upstream.body, { status: upstream.status, statusText: upstream.statusText, headers });
}

/** The fast path for a small response the HTTP transport read whole: plain headers, bytes as they came. */
function fromRaw(raw: RawResponse, served: Served): Response {
  const connection = raw.headers.connection;
  const listed = connectionListed(typeof connection === "string" ? connection : null);
  const out: Record<string, string> = {};
  const repeated: [string, string][] = [];
  for (const name in raw.headers) {
    if (isHopByHop(name) || listed?.has(name)) continue;
    const value = raw.headers[name]!;
    if (typeof value === "string") out[name] = value;
    else for (const v of value) repeated.push([name, v]);
  }
  out["x-served-by"] = served.region;
  out["x-served-reason"] = served.reason;
  out["x-request-id"] = served.requestId;
  if (repeated.length === 0) return new Response(raw.body, { status: raw.status, headers: out });
  // Set-Cookie and other repeated fields need Headers: a record would join them with commas.
  const headers = new Headers(out);
  for (const [name, value] of repeated) headers.append(name, value);
  return new Response(raw.body, { status: raw.status, headers });
}
