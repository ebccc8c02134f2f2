import { seededRandom } from "../../../core/random.ts";
import { SimEngine } from "../../../simulator/engine/engine.ts";
import type { FaultEffect } from "../../../simulator/faults/effects.ts";
import { FaultState } from "../../../simulator/faults/fault-state.ts";
import { LinkModel } from "../../../simulator/latency/link.ts";
import { loadLatencyTable } from "../../../simulator/latency/load-latency-table.ts";
import type { Endpoint } from "../../../simulator/transport/endpoint.ts";
import { SimNetwork } from "../../../simulator/transport/sim-network.ts";

/** A network with no jitter: a client in Virginia, a router in Virginia, prod-us (Virginia), prod-ie (Ireland, 80.5 ms away). */
export function netHarness(effects: FaultEffect[] = [], serviceTime = { readMs: 0, writeMs: 0 }) {
  const engine = new SimEngine();
  const links = new LinkModel(loadLatencyTable("inter-region"), { distribution: "none" }, 1);
  const network = new SimNetwork(engine.clock, links, new FaultState(effects), serviceTime, seededRandom(7));
  const seen: { endpoint: string; atMs: number; path: string }[] = [];
  const app = (name: string) => async (request: Request) => {
    seen.push({ endpoint: name, atMs: engine.clock.exactMs, path: new URL(request.url).pathname });
    return new Response("ok", { headers: { "x-region": name } });
  };
  const usRegion: Endpoint = {
    id: "prod-us",
    kind: "region",
    location: "virginia",
    name: "prod-us",
    fetch: app("prod-us"),
  };
  const ieRegion: Endpoint = {
    id: "prod-ie",
    kind: "region",
    location: "ireland",
    name: "prod-ie",
    fetch: app("prod-ie"),
  };
  const router: Endpoint = {
    id: "edge-virginia",
    kind: "router",
    location: "virginia",
    name: "edge-virginia",
    fetch: app("edge"),
  };
  const client: Endpoint = { id: "client:us", kind: "client", location: "virginia", name: "us" };
  /** Sends at run time `atMs`; resolves with what happened and when. */
  function sendAt(
    atMs: number,
    from: Endpoint,
    to: Endpoint,
    options: {
      connectTimeoutMs?: number;
      responseTimeoutMs?: number;
      signal?: AbortSignal;
      path?: string;
      method?: string;
    } = {},
  ): Promise<{ atMs: number; status?: number; error?: string }> {
    return new Promise((resolve) => {
      engine.clock.at(atMs, () => {
        const request = new Request(`http://${to.name}${options.path ?? "/items"}`, {
          method: options.method ?? "GET",
        });
        network
          .send(from, to, request, {
            connectTimeoutMs: options.connectTimeoutMs ?? 1000,
            responseTimeoutMs: options.responseTimeoutMs ?? 10_000,
            signal: options.signal,
          })
          .then(
            (response) => resolve({ atMs: engine.clock.exactMs, status: response.status }),
            (error: { kind?: string }) =>
              resolve({ atMs: engine.clock.exactMs, error: error.kind ?? String(error) }),
          );
      });
    });
  }
  return { engine, network, seen, usRegion, ieRegion, router, client, sendAt };
}
