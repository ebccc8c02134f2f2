/**
 * How router and region code reach a region: by name, never by a URL taken from a request.
 * Production passes a pooled keep-alive HTTP transport bound to the environment's endpoints
 * (router/transport/http-transport.ts); tests pass in-process ones (core/in-process-transport.ts);
 * the simulator passes one that delivers the request to the region's in-process app after a
 * delay drawn from a latency table, or fails it as the fault timeline says
 * (simulator/system/build-system.ts over simulator/transport/sim-network.ts).
 *
 * A transport has two paths to the same exchange:
 * - the fetch path (required): call it with a `Request`, get a `Response`;
 * - the raw path (optional, `transport.raw`): plain parts in, plain parts out, for callers that
 *   already hold the parts (the router's forwarding, the replicator) and for transports that
 *   never need a `Request` or `Headers` (an HTTP client writes the parts to a socket; the
 *   simulator hands them across). Building and reading a platform Request, its Headers, its
 *   body stream and an AbortSignal costs more per request than the router's own logic.
 * Both paths reach the same target the same way, fail with the same `TransportError` kinds and
 * honour the same timeouts; test/core/transport-contract.test.ts holds every transport to that.
 */
export interface SendOptions {
  /** Give up if no connection is established within this time. */
  connectTimeoutMs: number;
  /** Give up if the response headers have not arrived within this time after sending. */
  responseTimeoutMs: number;
  /** Aborts the upstream call (e.g. the client went away). */
  signal?: AbortSignal;
}

export interface Transport {
  (region: string, request: Request, options: SendOptions): Promise<Response>;
  /** The raw path, when the transport has one. Callers use it when present, else the fetch path. */
  readonly raw?: RawTransport;
}

export type RawTransport = (
  region: string,
  request: RawRequest,
  options: RawSendOptions,
) => Promise<RawResponse>;

/** A request as plain parts. */
export interface RawRequest {
  method: string;
  /** Absolute URL; the transport uses only its path and query (the region's origin comes from config). */
  url: string;
  /** Lower-case names; repeated fields already joined. The transport may read it, never change it. */
  headers: Record<string, string>;
  body: Uint8Array<ArrayBuffer> | undefined;
}

/** The raw path's options: no AbortSignal (one per request is costly); a cancel slot instead. */
export interface RawSendOptions {
  connectTimeoutMs: number;
  responseTimeoutMs: number;
  /** Lets the caller end the exchange early (its deadline). */
  cancel?: CancelSlot;
}

/**
 * A cheap stand-in for an AbortSignal: the transport sets `cancel` when the exchange starts;
 * the caller calls it with the error the pending call must reject with. Calling it after the
 * exchange ended does nothing.
 */
export interface CancelSlot {
  cancel?: (reason: Error) => void;
}

/** A response as plain parts. */
export interface RawResponse {
  status: number;
  /** Lower-case names; repeated fields that cannot be joined (set-cookie) as arrays. */
  headers: Record<string, string | string[]>;
  /** Bytes or text read whole, a stream for a large body, null for none. */
  body: Uint8Array<ArrayBuffer> | string | ReadableStream<Uint8Array> | null;
}

/** A raw response as a platform Response (for callers on the fetch path). */
export function responseOfRaw(raw: RawResponse): Response {
  return new Response(raw.body, { status: raw.status, headers: headerInit(raw.headers) });
}

/** A Response's parts, its body left as a stream (nothing is read). */
export function rawOfResponse(response: Response): RawResponse {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  return { status: response.status, headers, body: response.body };
}

/** A raw request as a platform Request (a transport with only the fetch path). */
export function requestOfRaw(raw: RawRequest): Request {
  const init: RequestInit = { method: raw.method, headers: raw.headers };
  if (raw.body !== undefined) init.body = raw.body;
  return new Request(raw.url, init);
}

/** The text of a raw response's body (streams are read to the end). */
export async function rawText(raw: RawResponse): Promise<string> {
  const body = raw.body;
  if (body === null) return "";
  if (typeof body === "string") return body;
  if (body instanceof Uint8Array) return utf8.decode(body);
  return new Response(body).text();
}

/** Repeated fields (set-cookie) as separate pairs; a record of strings as it is. */
export function headerInit(headers: Record<string, string | string[]>): HeadersInit {
  let repeated = false;
  for (const name in headers) if (typeof headers[name] !== "string") repeated = true;
  if (!repeated) return headers as Record<string, string>;
  const pairs: [string, string][] = [];
  for (const name in headers) {
    const value = headers[name]!;
    if (typeof value === "string") pairs.push([name, value]);
    else for (const v of value) pairs.push([name, v]);
  }
  return pairs;
}

const utf8 = new TextDecoder();

/**
 * Why an upstream call failed before a response arrived. Kinds matter to the router:
 * `refused` and `connect_timeout` mean the request never reached the region (always safe to
 * retry); `reset` and `timeout` mean it may have been processed (retry only if idempotent).
 */
export type TransportErrorKind = "refused" | "connect_timeout" | "reset" | "timeout" | "aborted" | "unknown";

export class TransportError extends Error {
  constructor(
    readonly kind: TransportErrorKind,
    readonly region: string,
    message: string,
  ) {
    super(`${region}: ${message}`);
    this.name = "TransportError";
  }

  /** True when the request certainly did not reach the region's application. */
  get neverSent(): boolean {
    return this.kind === "refused" || this.kind === "connect_timeout";
  }
}
