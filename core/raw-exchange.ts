/**
 * An optional fast path between the router and the HTTP transport, beside the Transport
 * contract rather than instead of it. The router still hands the transport a real Request and
 * gets a real Response back (the simulator's transport uses nothing else), but it also files the
 * plain parts here, so the pooled HTTP transport and the response path need not rebuild them
 * through Headers and body streams on every request: each of those costs microseconds the
 * benchmark's 35% aim cannot afford. The parts ride on the objects (symbol-keyed) and vanish with them.
 */
export interface RawRequest {
  /** Lower-case header names; values joined as they arrived. */
  headers: Record<string, string>;
  body: Uint8Array<ArrayBuffer> | undefined;
  /**
   * Set by a raw-capable transport when it starts the exchange: aborts it with `reason`. The
   * router's deadline (on its injected clock) calls it instead of aborting an AbortSignal.
   */
  cancel?: (reason: Error) => void;
}

export interface RawResponse {
  status: number;
  /** Lower-case header names; repeated fields (set-cookie) as arrays. */
  headers: Record<string, string | string[]>;
  /** The whole body, for responses small enough to read at once (text as the simulator's in-process apps wrote it). */
  body: Uint8Array<ArrayBuffer> | string;
}

/**
 * The raw parts ride on the objects themselves, under symbols nobody else knows, not in
 * WeakMaps: every WeakMap entry is an ephemeron V8 must trace at each scavenge, and with four
 * entries per forwarded request they made garbage collection a quarter of the router's CPU.
 */
const RAW_REQUEST = Symbol("failover.rawRequest");
const RAW_RESPONSE = Symbol("failover.rawResponse");

interface RawCarrier {
  [RAW_REQUEST]?: RawRequest;
  [RAW_RESPONSE]?: RawResponse;
}

export function fileRawRequest(request: Request, raw: RawRequest): Request {
  (request as RawCarrier)[RAW_REQUEST] = raw;
  return request;
}

export function rawRequestOf(request: Request): RawRequest | undefined {
  return (request as RawCarrier)[RAW_REQUEST];
}

export function fileRawResponse(response: Response, raw: RawResponse): Response {
  (response as RawCarrier)[RAW_RESPONSE] = raw;
  return response;
}

export function rawResponseOf(response: Response): RawResponse | undefined {
  return (response as RawCarrier)[RAW_RESPONSE];
}

const RAW_CAPABLE = Symbol("failover.rawCapableTransport");

/**
 * Marks a transport that reads requests only through their raw parts (`url`, `method` and the
 * filed RawRequest) and honours `RawRequest.cancel`. The router then skips building a full
 * Request and an AbortSignal per attempt: on Node 20 those two cost about a third of the
 * router's own CPU per request (AbortController creation alone ~12%, measured with --cpu-prof).
 * Every other transport (the simulator's, tests') gets a real Request and a real signal.
 */
export function markRawCapable<T extends object>(transport: T): T {
  Object.defineProperty(transport, RAW_CAPABLE, { value: true });
  return transport;
}

export function isRawCapable(transport: object): boolean {
  return (transport as { [RAW_CAPABLE]?: boolean })[RAW_CAPABLE] === true;
}

/**
 * A request for a raw-capable transport: a Request by prototype that answers `url`, `method`
 * and `headers`, but was never constructed (no URL parsing, no second header validation); the
 * parts the transport sends are in the filed RawRequest. A class, not Object.create with
 * descriptors, so V8 keeps it a fast object. Only the router's own transport ever sees one.
 */
class RawOnlyRequest {
  readonly url: string;
  readonly method: string;
  readonly body = null;
  readonly [RAW_REQUEST]: RawRequest;

  constructor(url: string, method: string, raw: RawRequest) {
    this.url = url;
    this.method = method;
    this[RAW_REQUEST] = raw;
  }

  get headers(): Headers {
    return new Headers(this[RAW_REQUEST].headers);
  }
}
Object.setPrototypeOf(RawOnlyRequest.prototype, Request.prototype);

export function rawOnlyRequest(url: string, method: string, raw: RawRequest): Request {
  return new RawOnlyRequest(url, method, raw) as unknown as Request;
}
