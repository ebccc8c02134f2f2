import type { EnvironmentConfig } from "../../config/schema.ts";
import {
  type RawRequest,
  type RawResponse,
  type RawSendOptions,
  rawOfResponse,
  type SendOptions,
  type Transport,
  TransportError,
} from "../../core/transport.ts";
import { pathAndQueryOf } from "../region-url.ts";
import { toTransportError } from "./map-undici-error.ts";

/**
 * A Transport over the platform's `fetch`, for runtimes where undici's dispatcher API is not
 * there: Bun ships its own `undici` module without `Pool.dispatch`, and its native fetch pools
 * keep-alive connections itself. Same contract as the pooled HTTP transport
 * (test/core/transport-contract.test.ts runs both): the region's configured origin whatever the
 * URL names, path and query only, one deadline of connect + response timeout (fetch has no
 * separate connect timeout, so a slow connect reports "timeout", not "connect_timeout").
 */
export function createFetchTransport(config: EnvironmentConfig): Transport {
  const origins = new Map(config.regions.map((r) => [r.name, new URL(r.endpoint).origin]));
  const originOf = (region: string) => {
    const origin = origins.get(region);
    if (!origin) throw new TransportError("unknown", region, "not a configured region");
    return origin;
  };

  async function send(region: string, request: Request, options: SendOptions): Promise<Response> {
    const controller = new AbortController();
    const onAbort = () => controller.abort(options.signal?.reason);
    options.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const body = request.body ? new Uint8Array(await request.arrayBuffer()) : undefined;
      return await exchange(region, originOf(region), request.method, request.url, request.headers, body, {
        ...options,
        controller,
      });
    } finally {
      options.signal?.removeEventListener("abort", onAbort);
    }
  }

  async function raw(region: string, request: RawRequest, options: RawSendOptions): Promise<RawResponse> {
    const controller = new AbortController();
    if (options.cancel) options.cancel.cancel = (reason) => controller.abort(reason);
    const { method, url, headers, body } = request;
    const response = await exchange(region, originOf(region), method, url, headers, body, {
      ...options,
      controller,
    });
    return rawOfResponse(response);
  }

  return Object.assign(send, { raw });
}

async function exchange(
  region: string,
  origin: string,
  method: string,
  url: string,
  headers: HeadersInit,
  body: Uint8Array<ArrayBuffer> | undefined,
  options: { connectTimeoutMs: number; responseTimeoutMs: number; controller: AbortController },
): Promise<Response> {
  const { controller } = options;
  const limitMs = options.connectTimeoutMs + options.responseTimeoutMs;
  const timer = setTimeout(
    () => controller.abort(new TransportError("timeout", region, `no response within ${limitMs} ms`)),
    limitMs,
  );
  try {
    return await fetch(origin + pathAndQueryOf(url), {
      method,
      headers,
      body,
      signal: controller.signal,
      redirect: "manual",
    });
  } catch (error) {
    const reason = controller.signal.aborted ? controller.signal.reason : error;
    throw toTransportError(fetchErrorCode(reason), region);
  } finally {
    clearTimeout(timer);
  }
}

/** Bun names a refused connection "ConnectionRefused"; undici's fetch puts ECONNREFUSED on the cause. */
function fetchErrorCode(error: unknown): unknown {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === "ConnectionRefused")
    return Object.assign(new Error("connection refused"), { code: "ECONNREFUSED" });
  if (code === "ECONNRESET" || code === "ConnectionClosed")
    return Object.assign(new Error("connection reset"), { code: "ECONNRESET" });
  return error;
}
