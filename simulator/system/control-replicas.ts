import type { ControlPlacement } from "../../config/control-plane-schema.ts";
import {
  answerControlCall,
  noQuorumResponse,
  parseControlCall,
} from "../../core/control-replica-protocol.ts";
import type { VirtualClock } from "../engine/virtual-clock.ts";
import type { LatencyTable } from "../latency/latency-table.ts";
import type { Endpoint } from "../transport/endpoint.ts";
import type { SimNetwork } from "../transport/sim-network.ts";
import type { ObservedControlStore } from "./observed-control.ts";

/** What one control replica did in a run (reports). */
export interface ControlReplicaStats {
  name: string;
  awsRegion: string;
  location: string;
  witness: boolean;
  /** Calls it answered (read or conditional write). */
  answered: number;
  /** Calls it refused because it could not reach a majority of the replicas and witness. */
  noQuorum: number;
  /** Sum of the quorum round trips it paid before answering (ms). */
  quorumMsTotal: number;
}

/**
 * A model of a DynamoDB global table with multi-Region strong consistency (MRSC), not a
 * consensus protocol: one authoritative record per cell (`engine`, a MemoryControlStore that
 * also records every change), served by replica endpoints placed at their locations on the
 * simulated network. A replica answers only while it can reach a majority of the replicas and
 * witness (itself included; its AWS region up, the links both ways open), and only after the
 * round trip to the nearest members that make that majority: DynamoDB MRSC acknowledges a
 * strongly consistent read or a conditional write once a majority of the region set has it
 * (docs/leases.md). One replica alone pays no round trip, and fails with
 * its region. The witness holds no readable copy: it only counts toward the majority.
 */
export class SimControlPlane {
  readonly members: Endpoint[] = [];
  readonly stats = new Map<string, ControlReplicaStats>();
  private readonly replicaEndpoints = new Map<string, Endpoint>();

  constructor(
    private readonly engine: ObservedControlStore,
    replicas: readonly ControlPlacement[],
    witness: ControlPlacement | undefined,
    private readonly clock: VirtualClock,
    private readonly network: SimNetwork,
    idSuffix: string,
  ) {
    const placements = [
      ...replicas.map((p) => ({ ...p, witness: false })),
      ...(witness ? [{ ...witness, witness: true }] : []),
    ];
    for (const p of placements) {
      const name = p.witness ? `witness-${p.awsRegion}` : `control-${p.awsRegion}`;
      const endpoint: Endpoint = {
        id: `${name}${idSuffix}`,
        kind: "control",
        location: p.location,
        name,
        awsRegion: p.awsRegion,
      };
      this.members.push(endpoint);
      this.stats.set(name, { name, ...p, answered: 0, noQuorum: 0, quorumMsTotal: 0 });
      if (p.witness) continue;
      endpoint.fetch = (request) => this.answer(endpoint, request);
      this.replicaEndpoints.set(name, endpoint);
    }
  }

  /** A replica by the name callers use ("control-us-east-2"). */
  endpoint(name: string): Endpoint | undefined {
    return this.replicaEndpoints.get(name);
  }

  /** The readable replicas' names, nearest to `location` first (config order breaks ties). */
  nearestFirst(location: string, table: LatencyTable): string[] {
    const rtt = (e: Endpoint) => table.roundTrip(location, e.location).rttMs;
    return [...this.replicaEndpoints.values()]
      .map((e, order) => ({ e, order, rttMs: rtt(e) }))
      .sort((a, b) => a.rttMs - b.rttMs || a.order - b.order)
      .map(({ e }) => e.name);
  }

  private async answer(self: Endpoint, request: Request): Promise<Response> {
    const call = await parseControlCall(request);
    if (!call) return Response.json({ error: "bad_control_call" }, { status: 400 });
    const stats = this.stats.get(self.name)!;
    const quorum = this.quorumRoundTrip(self);
    if (quorum.missing > 0) {
      stats.noQuorum++;
      return noQuorumResponse(self.name, quorum.reachable, this.members.length);
    }
    // A slow replica (control-replica-slow) answers late on top of its quorum round trip.
    const slowMs = this.network.internals.faults.controlDelayMs(self, this.clock.exactMs);
    if (quorum.waitMs > 0) stats.quorumMsTotal += quorum.waitMs;
    if (quorum.waitMs + slowMs > 0) {
      const atMs = this.clock.exactMs + quorum.waitMs + slowMs;
      await new Promise<void>((resolve) => this.clock.at(atMs, resolve));
    }
    stats.answered++;
    return answerControlCall(this.engine, call);
  }

  /**
   * Who `self` can reach now, and how long the round trips to the nearest members that make a
   * majority take (the slowest of them decides).
   */
  private quorumRoundTrip(self: Endpoint): { reachable: number; missing: number; waitMs: number } {
    const { faults, links } = this.network.internals;
    const nowMs = this.clock.exactMs;
    const majority = Math.floor(this.members.length / 2) + 1;
    const others = this.members.filter(
      (m) =>
        m !== self &&
        !faults.awsRegionDown(m.awsRegion, nowMs) &&
        !faults.linkBlocked(self, m, nowMs, nowMs) &&
        !faults.linkBlocked(m, self, nowMs, nowMs),
    );
    const reachable = others.length + 1;
    const needed = majority - 1;
    if (others.length < needed) return { reachable, missing: needed - others.length, waitMs: 0 };
    // A slow peer (control-replica-slow) is as far away as its delay: the majority forms from the
    // members that answer first.
    const slowMs = (m: Endpoint) => faults.controlDelayMs(m, nowMs);
    const trips = others
      .map((m) => links.between(self, m).rttMs + slowMs(m))
      .map((rttMs, i) => ({ i, rttMs }))
      .sort((a, b) => a.rttMs - b.rttMs || a.i - b.i)
      .slice(0, needed);
    let waitMs = 0;
    for (const { i } of trips) {
      const peer = others[i]!;
      const tripMs = links.between(self, peer).oneWayMs() + links.between(peer, self).oneWayMs();
      waitMs = Math.max(waitMs, tripMs + slowMs(peer));
    }
    return { reachable, missing: 0, waitMs };
  }
}
