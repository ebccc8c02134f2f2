import { systemClock } from "../core/clock.ts";
import type { Transport } from "../core/transport.ts";
import type { EnvironmentConfig } from "../regions/config/schema.ts";
import type { LatencyTable } from "../simulator/latency/latency-table.ts";
import { FaultError } from "./faults/live-fault.ts";
import { LinkGate } from "./link-gate.ts";

/**
 * Every network hop of the live stack, each delayed by half the latency table's round trip
 * each way: client->router (clients in `clientLocation`, the router in the initially active
 * region's location), router->REGION, and REGION->PEER for replication.
 */
export class StackLinks {
  private readonly links = new Map<string, LinkGate>();
  readonly client: LinkGate;
  readonly routerLocation: string;

  constructor(
    config: EnvironmentConfig,
    latency: LatencyTable,
    clientLocation: string,
    private readonly shutdown: AbortSignal,
  ) {
    const oneWayMs = (a: string, b: string) => latency.roundTrip(a, b).rttMs / 2;
    this.routerLocation = config.regions.find((r) => r.name === config.initialActive)!.location;
    this.client = this.add("client->router", oneWayMs(clientLocation, this.routerLocation));
    for (const [i, region] of config.regions.entries()) {
      const peer = config.regions[1 - i]!;
      this.add(`router->${region.name}`, oneWayMs(this.routerLocation, region.location));
      this.add(`${region.name}->${peer.name}`, oneWayMs(region.location, peer.location));
    }
  }

  /** The router's transport: each region over its own router->REGION link. */
  routerTransport(inner: Transport): Transport {
    return (region, request, options) => this.get(`router->${region}`).wrap(inner)(region, request, options);
  }

  /** A region's transport to its peer (replication). */
  regionTransport(from: string, to: string, inner: Transport): Transport {
    return this.get(`${from}->${to}`).wrap(inner);
  }

  get(name: string): LinkGate {
    const link = this.links.get(name);
    if (!link) throw new FaultError(`no link "${name}" (have ${this.names().join(", ")})`);
    return link;
  }

  names(): string[] {
    return [...this.links.keys()];
  }

  private add(name: string, oneWayMs: number): LinkGate {
    const link = new LinkGate(name, oneWayMs, systemClock, this.shutdown);
    this.links.set(name, link);
    return link;
  }
}
