import { Hono } from "hono";
import type { ControlPlacement, LeaseConfig } from "../config/control-plane-schema.ts";
import { type Clock, sleep } from "../core/clock.ts";
import type { ControlStore } from "../core/control.ts";
import {
  answerControlCall,
  CONTROL_CALL_PATH,
  noQuorumResponse,
  parseControlCall,
} from "../core/control-replica-protocol.ts";
import { freePort } from "../core/free-port.ts";
import { controlCallOptions, remoteControlPlane } from "../core/remote-control-store.ts";
import type { ServedApp } from "../core/serve-app.ts";
import type { Transport } from "../core/transport.ts";
import type { LatencyTable } from "../simulator/latency/latency-table.ts";
import { FaultError } from "./faults/live-fault.ts";
import { serveOnPort } from "./serve-on-port.ts";

/** One control replica (or the witness) of the live stack, on its own loopback port. */
export interface LiveControlReplica {
  name: string;
  awsRegion: string;
  location: string;
  witness: boolean;
  /** Its port once started (0 before). */
  port: number;
  up: boolean;
  /** Added to each answer and each quorum round trip it is in (control-replica-slow). */
  addedLatencyMs: number;
}

/**
 * The live stack's model of a DynamoDB MRSC table, as the simulator's (simulator/system/
 * control-replicas.ts): one authoritative record (`engine`), served by one HTTP replica per
 * placement on 127.0.0.1. A replica answers only while a majority of the replicas and witness
 * are up, and only after sleeping the latency table's round trip to the nearest members that
 * make that majority. Callers reach the replicas over links with the table's delays
 * (stack-links.ts), nearest first, falling back to the next (core/remote-control-store.ts).
 * Taking a replica down closes its port, so callers are really refused.
 */
export class LiveControlPlane {
  readonly replicas: LiveControlReplica[];
  private readonly served = new Map<string, ServedApp>();

  constructor(
    private readonly engine: ControlStore,
    placements: readonly ControlPlacement[],
    witness: ControlPlacement | undefined,
    private readonly latency: LatencyTable,
    private readonly clock: Clock,
    private readonly host: string,
  ) {
    this.replicas = [
      ...placements.map((p) => ({ ...p, witness: false })),
      ...(witness ? [{ ...witness, witness: true }] : []),
    ].map((p) => ({
      name: `${p.witness ? "witness" : "control"}-${p.awsRegion}`,
      awsRegion: p.awsRegion,
      location: p.location,
      witness: p.witness,
      port: 0,
      up: false,
      addedLatencyMs: 0,
    }));
  }

  async start(): Promise<void> {
    for (const replica of this.replicas) await this.bringUp(replica);
  }

  async close(): Promise<void> {
    for (const replica of this.replicas) await this.takeDown(replica);
  }

  /** The readable replicas' names, nearest to `location` first (config order breaks ties). */
  nearestFirst(location: string): string[] {
    return this.replicas
      .filter((r) => !r.witness)
      .map((r, order) => ({ r, order, rttMs: this.latency.roundTrip(location, r.location).rttMs }))
      .sort((a, b) => a.rttMs - b.rttMs || a.order - b.order)
      .map(({ r }) => r.name);
  }

  url(name: string): string | undefined {
    const replica = this.replicas.find((r) => r.name === name && !r.witness);
    return replica && replica.port > 0
      ? `http://${urlHost(this.host)}:${replica.port}${CONTROL_CALL_PATH}`
      : undefined;
  }

  /** What a router or region at `location` uses as its ControlStore, over `transport`. */
  clientAt(location: string, transport: Transport, lease: LeaseConfig): ControlStore {
    return remoteControlPlane(transport, this.nearestFirst(location), controlCallOptions(lease));
  }

  /**
   * Makes replicas (one by name, or every one in an AWS region) answer `addedLatencyMs` later,
   * and count that much farther away in the quorum round trips of the others (0 heals), as the
   * simulator's control-replica-slow does. Returns the names it changed.
   */
  setSlow(selector: { replica?: string; awsRegion?: string }, addedLatencyMs: number): string[] {
    const there = this.replicas.filter(
      (r) =>
        r.name === selector.replica ||
        (selector.awsRegion !== undefined && r.awsRegion === selector.awsRegion),
    );
    if (there.length === 0) {
      const names = this.replicas.map((r) => `${r.name} (${r.awsRegion})`).join(", ");
      const what = selector.replica ?? selector.awsRegion;
      throw new FaultError(`no control replica "${what}" in the stack (have ${names})`);
    }
    for (const replica of there) replica.addedLatencyMs = addedLatencyMs;
    return there.map((r) => r.name);
  }

  /** Takes every replica in an AWS region down (or brings it back); returns their names. */
  async setDown(awsRegion: string, down: boolean): Promise<string[]> {
    const there = this.replicas.filter((r) => r.awsRegion === awsRegion);
    for (const replica of there) await (down ? this.takeDown(replica) : this.bringUp(replica));
    return there.map((r) => r.name);
  }

  private async bringUp(replica: LiveControlReplica): Promise<void> {
    if (replica.up) return;
    if (!replica.witness) {
      const app = new Hono();
      app.post(CONTROL_CALL_PATH, (c) => this.answer(replica, c.req.raw));
      // A port of its own from the first start, below the ephemeral range (core/free-port.ts), so
      // that coming back after an aws-region-outage binds the same port and no client socket has it.
      if (replica.port === 0) replica.port = await freePort(this.host);
      const served = await serveOnPort(app, replica.port, this.host, "(control replica port)");
      replica.port = served.port;
      this.served.set(replica.name, served);
    }
    replica.up = true;
  }

  private async takeDown(replica: LiveControlReplica): Promise<void> {
    replica.up = false;
    const served = this.served.get(replica.name);
    this.served.delete(replica.name);
    await served?.close();
  }

  private async answer(self: LiveControlReplica, request: Request): Promise<Response> {
    const call = await parseControlCall(request);
    if (!call) return Response.json({ error: "bad_control_call" }, { status: 400 });
    const majority = Math.floor(this.replicas.length / 2) + 1;
    const others = this.replicas.filter((r) => r !== self && r.up);
    if (others.length + 1 < majority)
      return noQuorumResponse(self.name, others.length + 1, this.replicas.length);
    const trips = others
      .map((r) => this.latency.roundTrip(self.location, r.location).rttMs + r.addedLatencyMs)
      .sort((a, b) => a - b)
      .slice(0, majority - 1);
    const waitMs = (trips.length > 0 ? trips[trips.length - 1]! : 0) + self.addedLatencyMs;
    if (waitMs > 0) await sleep(this.clock, waitMs);
    return answerControlCall(this.engine, call);
  }
}

function urlHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}
