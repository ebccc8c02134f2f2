import { type RawTransport, type SendOptions, type Transport, TransportError } from "../../core/transport.ts";
import type { Endpoint } from "./endpoint.ts";
import type { SimNetwork } from "./sim-network.ts";

/**
 * The Transport seam for code running at `from` (core/transport.ts): a region name resolves to
 * an endpoint through `targetOf`, and the request crosses the simulated network. With `raw`, the
 * transport has the raw path too, as the router's own HTTP transport does.
 */
export function networkTransport(
  network: SimNetwork,
  from: Endpoint,
  targetOf: (region: string) => Endpoint | undefined,
  raw: boolean,
): Transport {
  const unknown = (region: string) =>
    Promise.reject(new TransportError("unknown", region, "not a region of this environment"));
  const transport = (region: string, request: Request, options: SendOptions) => {
    const target = targetOf(region);
    return target ? network.send(from, target, request, options) : unknown(region);
  };
  if (!raw) return transport;
  const sendRaw: RawTransport = (region, request, options) => {
    const target = targetOf(region);
    return target ? network.sendRaw(from, target, request, options) : unknown(region);
  };
  return Object.assign(transport, { raw: sendRaw });
}
