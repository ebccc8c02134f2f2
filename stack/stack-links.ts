import type { EnvironmentConfig } from "../config/schema.ts";
import { systemClock } from "../core/clock.ts";
import type { Transport } from "../core/transport.ts";
import type { LatencyTable } from "../simulator/latency/latency-table.ts";
import { FaultError } from "./faults/live-fault.ts";
import { LinkGate } from "./link-gate.ts";

/**
 * Every network hop of the live stack, each delayed by half the latency table's round trip
 * each way: client->router (clients in `clientLocation`, the router in the initially active
 * region's location unless told otherwise), router->REGION, REGION->PEER for replication, and
 * router->control-AWSREGION, REGION->control-AWSREGION for control-plane calls.
 */
export class StackLinks {
  private readonly links = new Map<string, LinkGate>();
  readonly client: LinkGate;
  readonly routerLocation: string;

  constructor(
    config: EnvironmentConfig,
    private readonly latency: LatencyTable,
    clientLocation: string,
    private readonly shutdown: AbortSignal,
    routerLocation?: string,
  ) {
    const oneWayMs = (a: string, b: string) => latency.roundTrip(a, b).rttMs / 2;
    this.routerLocation =
      routerLocation ?? config.regions.find((r) => r.name === config.initialActive)!.location;
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

  /**
   * A transport from `caller` (the router or a region) to the control replicas, each call over
   * its own CALLER->REPLICA link with the table's delay between their locations (added on first use).
   */
  controlTransport(
    caller: string,
    callerLocation: string,
    replicaLocation: (name: string) => string,
    inner: Transport,
  ): Transport {
    return (replica, request, options) => {
      const name = `${caller}->${replica}`;
      const link =
        this.links.get(name) ??
        this.add(name, this.latency.roundTrip(callerLocation, replicaLocation(replica)).rttMs / 2);
      return link.wrap(inner)(replica, request, options);
    };
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
