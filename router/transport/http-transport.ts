import { Pool } from "undici";
import type { EnvironmentConfig } from "../../config/schema.ts";
import {
  type RawRequest,
  type RawSendOptions,
  responseOfRaw,
  type SendOptions,
  type Transport,
  TransportError,
} from "../../core/transport.ts";
import { pathAndQueryOf } from "../region-url.ts";
import { exchange } from "./dispatch-exchange.ts";
import { toTransportError } from "./map-undici-error.ts";

export interface HttpTransportOptions {
  /** Most open connections per region and connect timeout. Default 128. */
  connectionsPerRegion?: number;
  /** How long an idle pooled connection stays open. undici's default, 4 s, is below Node's server default (5 s), so the router closes first and never reuses a socket the region is closing. */
  keepAliveTimeoutMs?: number;
  /** Response bodies up to this many bytes (by Content-Length) are read whole; larger ones stream. */
  smallBodyBytes?: number;
}

export interface HttpTransport {
  transport: Transport;
  close(): Promise<void>;
}

/**
 * The production Transport: one undici Pool per region (and connect timeout), with keep-alive,
 * bound to the region's configured endpoint. The request's own URL contributes only its path and
 * query: whatever a client sent, the connection goes to the configured origin. Timeouts are
 * enforced here too (connect, headers, body idle) and an aborted signal aborts the call.
 */
export function createHttpTransport(
  config: EnvironmentConfig,
  options: HttpTransportOptions = {},
): HttpTransport {
  const origins = new Map(config.regions.map((r) => [r.name, new URL(r.endpoint).origin]));
  /** Pools by region, then by connect timeout (undici fixes it per pool). */
  const pools = new Map<string, Map<number, Pool>>();
  const smallBodyBytes = options.smallBodyBytes ?? 64 * 1024;

  const poolFor = (region: string, connectTimeoutMs: number): Pool => {
    let byTimeout = pools.get(region);
    const existing = byTimeout?.get(connectTimeoutMs);
    if (existing) return existing;
    const origin = origins.get(region);
    if (!origin) throw new TransportError("unknown", region, "not a configured region");
    const pool = new Pool(origin, {
      connections: options.connectionsPerRegion ?? 128,
      connectTimeout: connectTimeoutMs,
      keepAliveTimeout: options.keepAliveTimeoutMs ?? 4000,
      pipelining: 1,
    });
    if (!byTimeout) {
      byTimeout = new Map();
      pools.set(region, byTimeout);
    }
    byTimeout.set(connectTimeoutMs, pool);
    return pool;
  };

  /** The fetch path: the Request's parts go out as they are, the answer comes back as a Response. */
  async function send(region: string, request: Request, opts: SendOptions): Promise<Response> {
    try {
      const pool = poolFor(region, opts.connectTimeoutMs);
      const raw = await exchange(pool, {
        path: pathAndQueryOf(request.url),
        method: request.method,
        headers: plainHeaders(request.headers),
        body: request.body ? new Uint8Array(await request.arrayBuffer()) : null,
        headersTimeoutMs: opts.responseTimeoutMs,
        bodyTimeoutMs: opts.responseTimeoutMs,
        signal: opts.signal,
        smallBodyBytes,
        cancel: undefined,
      });
      return responseOfRaw(raw);
    } catch (error) {
      throw toTransportError(opts.signal?.aborted ? (opts.signal.reason ?? error) : error, region);
    }
  }

  /** The raw path: plain parts to the socket and back, no Request, Headers or AbortSignal. */
  async function sendRaw(region: string, request: RawRequest, opts: RawSendOptions) {
    try {
      return await exchange(poolFor(region, opts.connectTimeoutMs), {
        path: pathAndQueryOf(request.url),
        method: request.method,
        headers: request.headers,
        body: request.body ?? null,
        headersTimeoutMs: opts.responseTimeoutMs,
        bodyTimeoutMs: opts.responseTimeoutMs,
        signal: undefined,
        smallBodyBytes,
        cancel: opts.cancel,
      });
    } catch (error) {
      throw toTransportError(error, region);
    }
  }

  return {
    transport: Object.assign(send, { raw: sendRaw }) satisfies Transport,
    close: async () => {
      const all = [...pools.values()].flatMap((byTimeout) => [...byTimeout.values()]);
      await Promise.all(all.map((p) => p.close().catch(() => p.destroy())));
      pools.clear();
    },
  };
}

function plainHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name] = value;
  });
  return out;
}
