/**
 * How router and region code reach a region: by name, never by a URL taken from a request.
 * Production passes a pooled keep-alive HTTP transport bound to the environment's endpoints;
 * the simulator passes one that delivers the request to the region's in-process app after
 * a delay drawn from a latency table, or fails it as the fault timeline says.
 */
export interface SendOptions {
  /** Give up if no connection is established within this time. */
  connectTimeoutMs: number;
  /** Give up if the response headers have not arrived within this time after sending. */
  responseTimeoutMs: number;
  /** Aborts the upstream call (e.g. the client went away). */
  signal?: AbortSignal;
}

export type Transport = (region: string, request: Request, options: SendOptions) => Promise<Response>;

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
