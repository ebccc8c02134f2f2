import type { RawRequest } from "../../core/transport.ts";
import { regionUrl } from "../region-url.ts";
import { forwardedNode, xffAddress } from "./client-address.ts";
import { connectionListed, isHopByHop } from "./hop-by-hop.ts";

/** The header a router sets on forwarded writes and reads: the epoch it believes current (fencing). */
export const EPOCH_HEADER = "x-failover-epoch";

/**
 * Request fields the router never forwards from a client besides the hop-by-hop ones: Host
 * (the transport addresses the region's configured origin), the fencing epoch (only the router
 * may set it), Content-Length (recomputed from the buffered body) and Expect (the router has
 * already read the body, so there is nothing left to continue).
 */
const NOT_FORWARDED: ReadonlySet<string> = new Set(["host", EPOCH_HEADER, "content-length", "expect"]);

export interface ClientInfo {
  requestId: string;
  /** The peer address of the client's connection, if the platform reports it. */
  address: string | undefined;
  /** The Host the client asked for: reported in Forwarded, never used to pick a target. */
  host: string | undefined;
  proto: "http" | "https";
}

/** One request as it will be sent upstream, on the first attempt and on a retry. */
export interface ForwardedRequest {
  method: string;
  pathAndQuery: string;
  /** Lower-case names. A plain record: cheaper than Headers, and what the HTTP transport sends. */
  headers: Record<string, string>;
  body: Uint8Array<ArrayBuffer> | undefined;
  /** Who sent it (the peer address, or "unknown"): passive health counts failures per client. */
  client: string;
}

/**
 * The headers sent upstream: the client's minus hop-by-hop fields (and those its Connection
 * header names, RFC 9110 §7.6.1), plus Forwarded (RFC 7239), X-Forwarded-For/-Host/-Proto and
 * X-Request-Id. On Node the raw header list is read directly (name, value, name, value...),
 * which skips building a Headers object per request.
 */
export function forwardHeaders(
  incoming: Headers,
  client: ClientInfo,
  rawHeaders?: readonly string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  if (rawHeaders) copyRaw(rawHeaders, out);
  else {
    const listed = connectionListed(incoming.get("connection"));
    incoming.forEach((value, name) => {
      if (!isHopByHop(name) && !NOT_FORWARDED.has(name) && !listed?.has(name)) out[name] = value;
    });
  }
  appendList(out, "forwarded", forwardedElement(client));
  appendList(out, "x-forwarded-for", xffAddress(client.address));
  if (client.host && out["x-forwarded-host"] === undefined) out["x-forwarded-host"] = client.host;
  if (out["x-forwarded-proto"] === undefined) out["x-forwarded-proto"] = client.proto;
  out["x-request-id"] = client.requestId;
  return out;
}

function copyRaw(raw: readonly string[], out: Record<string, string>): void {
  let listed: ReadonlySet<string> | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]!.length === 10 && raw[i]!.toLowerCase() === "connection") {
      listed = connectionListed(raw[i + 1]!);
      break;
    }
  }
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (isHopByHop(name) || NOT_FORWARDED.has(name) || listed?.has(name)) continue;
    const value = raw[i + 1]!;
    const existing = out[name];
    // RFC 9110 §5.3: repeated fields combine with commas; Cookie with "; " (RFC 6265 §5.4).
    out[name] = existing === undefined ? value : `${existing}${name === "cookie" ? "; " : ", "}${value}`;
  }
}

/**
 * One attempt's request as plain parts (core/transport.ts's RawRequest; the fetch path builds a
 * Request from it). The URL is the region's configured endpoint plus the client's path: the
 * transport addresses the region by name, and nothing in the client's request can name another
 * host. Writes carry the epoch the router knows.
 */
export function upstreamRequest(
  forwarded: ForwardedRequest,
  endpoint: string,
  epoch: number | undefined,
  tagEpoch: boolean,
): RawRequest {
  const headers =
    tagEpoch && epoch !== undefined
      ? { ...forwarded.headers, [EPOCH_HEADER]: String(epoch) }
      : forwarded.headers;
  return {
    method: forwarded.method,
    url: regionUrl(endpoint, forwarded.pathAndQuery),
    headers,
    body: forwarded.body,
  };
}

let lastForwarded: { address: string | undefined; proto: string; host: string | undefined; element: string } =
  {
    address: undefined,
    proto: "",
    host: undefined,
    element: "",
  };

/**
 * This hop's Forwarded element (RFC 7239 §4). Requests come from few clients to one host, so
 * the last one is kept rather than rebuilt, with its regular expression, for every request.
 */
function forwardedElement(client: ClientInfo): string {
  const last = lastForwarded;
  if (last.address === client.address && last.proto === client.proto && last.host === client.host) {
    return last.element;
  }
  const host = client.host ? `;host="${client.host.replace(/["\\]/g, "")}"` : "";
  const element = `for=${forwardedNode(client.address)};proto=${client.proto}${host}`;
  lastForwarded = { address: client.address, proto: client.proto, host: client.host, element };
  return element;
}

function appendList(headers: Record<string, string>, name: string, value: string): void {
  const existing = headers[name];
  headers[name] = existing ? `${existing}, ${value}` : value;
}
