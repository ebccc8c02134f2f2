/**
 * An optional fast path between the router and the HTTP transport, beside the Transport
 * contract rather than instead of it. The router still hands the transport a real Request and
 * gets a real Response back (the simulator's transport uses nothing else), but it also files the
 * plain parts here, so the pooled HTTP transport and the response path need not rebuild them
 * through Headers and body streams on every request: each of those costs microseconds the
 * benchmark's 35% aim cannot afford. Entries are weakly held and vanish with their objects.
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
  /** The whole body, for responses small enough to read at once. */
  body: Uint8Array<ArrayBuffer>;
}

const requests = new WeakMap<Request, RawRequest>();
const responses = new WeakMap<Response, RawResponse>();

export function fileRawRequest(request: Request, raw: RawRequest): Request {
  requests.set(request, raw);
  return request;
}

export function rawRequestOf(request: Request): RawRequest | undefined {
  return requests.get(request);
}

export function fileRawResponse(response: Response, raw: RawResponse): Response {
  responses.set(response, raw);
  return response;
}

export function rawResponseOf(response: Response): RawResponse | undefined {
  return responses.get(response);
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
  readonly #raw: RawRequest;

  constructor(url: string, method: string, raw: RawRequest) {
    this.url = url;
    this.method = method;
    this.#raw = raw;
  }

  get headers(): Headers {
    return new Headers(this.#raw.headers);
  }
}
Object.setPrototypeOf(RawOnlyRequest.prototype, Request.prototype);

export function rawOnlyRequest(url: string, method: string, raw: RawRequest): Request {
  const request = new RawOnlyRequest(url, method, raw) as unknown as Request;
  requests.set(request, raw);
  return request;
}
