import type { TimerHandle } from "../../core/clock.ts";
import type { Random } from "../../core/random.ts";
import {
  type CancelSlot,
  type RawRequest,
  type RawResponse,
  rawOfResponse,
  type SendOptions,
  TransportError,
} from "../../core/transport.ts";
import type { CapacityModel } from "../capacity/capacity-model.ts";
import type { VirtualClock } from "../engine/virtual-clock.ts";
import type { FaultState } from "../faults/fault-state.ts";
import type { LinkModel } from "../latency/link.ts";
import type { Endpoint } from "./endpoint.ts";
import { responseParts } from "./light-response.ts";
import { WireRequest } from "./wire-request.ts";

/** Time a region spends on a request besides the network (its database round trips). */
export interface ServiceTime {
  readMs: number;
  writeMs: number;
}

const REPLICATION_PREFIX = "/_replication/";

/**
 * The simulated network: delivers a Request to the target endpoint's in-process app after the
 * link's one-way delay, and its Response back after the return delay, as the fault timeline
 * allows. Connect and response timeouts and AbortSignals work in virtual time. This is the only
 * path between clients, routers and regions, so every fault acts here (or on a store).
 */
export class SimNetwork {
  /** Requests delivered to an app, by endpoint kind (a measure of work). */
  deliveredCount = 0;
  /** Servers' workers and queues (simulator/capacity/); undefined: infinite capacity. */
  capacity: CapacityModel | undefined;

  constructor(
    clock: VirtualClock,
    links: LinkModel,
    faults: FaultState,
    serviceTime: ServiceTime,
    /** Draws brownout errors; its own stream, so faults never shift latency draws. */
    faultRandom: Random,
  ) {
    const net = this;
    this.internals = {
      clock,
      links,
      faults,
      serviceTime,
      random: faultRandom,
      get capacity() {
        return net.capacity;
      },
    };
  }

  /** The fetch path: a Request in, the app's Response out. */
  send(from: Endpoint, to: Endpoint, request: Request, options: SimSendOptions): Promise<Response> {
    return new Promise<Response>((resolve, reject) => {
      new Call(this, from, to, request, options, resolve as Answer, reject).start();
    });
  }

  /**
   * The raw path (core/transport.ts): the target's app gets a WireRequest built from the parts,
   * as a live server builds one from the bytes it reads, and the answer comes back as parts.
   */
  sendRaw(
    from: Endpoint,
    to: Endpoint,
    request: RawRequest,
    options: SimRawSendOptions,
  ): Promise<RawResponse> {
    return new Promise<RawResponse>((resolve, reject) => {
      new Call(this, from, to, request, options, resolve as Answer, reject, true).start();
    });
  }

  /**
   * @internal One object made at construction (Call reads it several times per hop: a getter
   * building a fresh one each time made garbage on every request, issue 18).
   */
  readonly internals: NetworkInternals;
}

/** What the network's calls and the simulator's other models read from it. */
export interface NetworkInternals {
  readonly clock: VirtualClock;
  readonly links: LinkModel;
  readonly faults: FaultState;
  readonly serviceTime: ServiceTime;
  readonly random: Random;
  readonly capacity: CapacityModel | undefined;
}

/** A transport's options plus the source address the target sees. */
export interface SimSendOptions extends SendOptions {
  /** The peer address the receiving app sees (one user of a client group); the sender's id if absent. */
  peerAddress?: string;
  /** The raw path's cancel slot (core/transport.ts). */
  cancel?: CancelSlot;
}

export type SimRawSendOptions = Omit<SimSendOptions, "signal">;

type Answer = (response: Response | RawResponse) => void;

/** One request on the wire, from send to response (or failure). */
class Call {
  done = false;
  private readonly t0: number;
  private onAbort: (() => void) | undefined;
  /** The response timeout (cancelled when the call ends; see engine/timer-lanes.ts). */
  private timeout: TimerHandle | undefined;
  constructor(
    private readonly net: SimNetwork,
    private readonly from: Endpoint,
    private readonly to: Endpoint,
    private readonly request: Request | RawRequest,
    private readonly options: SimSendOptions,
    private readonly resolve: Answer,
    private readonly reject: (error: unknown) => void,
    /** Sent on the raw path: the request is plain parts, and so is the answer. */
    private readonly raw = false,
  ) {
    this.t0 = net.internals.clock.exactMs;
  }

  start(): void {
    const { clock, faults, links } = this.net.internals;
    const signal = this.options.signal;
    if (signal) {
      if (signal.aborted) {
        this.fail("aborted", "aborted before sending");
        return;
      }
      this.onAbort = () => this.fail("aborted", "aborted by the caller");
      signal.addEventListener("abort", this.onAbort, { once: true });
    }
    // The raw path's cancel slot: the router's deadline ends the call with its reason.
    if (this.options.cancel) this.options.cancel.cancel = (reason) => this.failWith(reason);
    const connectMs = this.options.connectTimeoutMs;
    // A sender that is down or hung sends nothing; a partition drops the SYN: the connect times out.
    if (this.senderSilent() || faults.linkBlocked(this.from, this.to, this.t0, this.t0)) {
      clock.at(this.t0 + connectMs, () =>
        this.fail("connect_timeout", `no connection within ${connectMs} ms`),
      );
      return;
    }
    if (this.isReplication() && faults.replicationPaused(this.from.name, this.to.name, this.t0)) {
      clock.at(this.t0, () => this.fail("refused", "replication is paused (fault)"));
      return;
    }
    this.timeout = clock.setTimer(this.options.responseTimeoutMs, () => this.expire());
    const there = links.between(this.from, this.to).oneWayMs();
    clock.at(this.t0 + there, () => this.arrive());
  }

  expire(): void {
    this.fail("timeout", `no response within ${this.options.responseTimeoutMs} ms`);
  }

  private arrive(): void {
    if (this.done) return;
    const { clock, faults } = this.net.internals;
    const t1 = clock.exactMs;
    if (faults.linkBlocked(this.from, this.to, this.t0, t1)) return; // lost on the wire: the timeout fires
    const target = this.to;
    // Its whole AWS region is out (aws-region-outage): nothing there accepts a connection.
    if (faults.awsRegionDown(target.awsRegion, t1)) {
      this.refuse();
      return;
    }
    if (target.kind === "router" && faults.routerDown(target.name, t1)) {
      this.refuse();
      return;
    }
    const condition = target.kind === "region" ? faults.regionCondition(target.name, t1) : undefined;
    if (condition?.down) {
      this.refuse();
      return;
    }
    if (condition?.hang) return; // accepted, never answered: the caller's response timeout fires
    const fetch = target.fetch;
    if (!fetch) {
      this.refuse();
      return;
    }
    const processMs = target.kind === "region" ? this.serviceMs() + (condition?.addedLatencyMs ?? 0) : 0;
    if (condition && condition.errorRate > 0 && this.net.internals.random.next() < condition.errorRate) {
      this.respondAfter(processMs, brownoutResponse(target.name), t1);
      return;
    }
    const pool = this.net.internals.capacity?.poolFor(target);
    if (pool) {
      // Waits for a worker (its service time adds to the database time), or is shed at once.
      const admitted = pool.admit({
        serve: (cpuMs) => this.serve(fetch, processMs + cpuMs, t1),
        gone: () => this.done,
      });
      if (!admitted) this.respondAfter(0, overloadedResponse(target), t1);
      return;
    }
    this.serve(fetch, processMs, t1);
  }

  private serve(fetch: NonNullable<Endpoint["fetch"]>, processMs: number, t1: number): void {
    const target = this.to;
    this.net.deliveredCount++;
    fetch(this.received(), this.options.peerAddress ?? this.from.id).then(
      (response) => this.respondAfter(processMs, response, t1),
      (error: unknown) => this.respondAfter(processMs, crashResponse(target.name, error), t1),
    );
  }

  /** The response leaves the target `processMs` after it was ready and travels back. */
  private respondAfter(processMs: number, response: Response, arrivedMs: number): void {
    if (this.done) return;
    const { clock, faults, links } = this.net.internals;
    const readyMs = clock.exactMs + processMs;
    const back = links.between(this.to, this.from).oneWayMs();
    if (faults.awsRegionInterrupted(this.to.awsRegion, arrivedMs, readyMs)) {
      clock.at(readyMs + back, () => this.fail("reset", "connection reset (its AWS region went out)"));
      return;
    }
    if (this.to.kind === "region") {
      const interrupted = faults.regionInterrupted(this.to.name, arrivedMs, readyMs);
      if (interrupted === "down") {
        clock.at(readyMs + back, () => this.fail("reset", "connection reset (the region went down)"));
        return;
      }
      if (interrupted === "hang") return;
    }
    clock.at(readyMs + back, () => {
      if (faults.linkBlocked(this.to, this.from, readyMs, clock.exactMs)) return; // lost on the way back
      this.succeed(response);
    });
  }

  /** Connection refused: the reset comes back after one round trip, unless the connect timeout ends it first. */
  private refuse(): void {
    const { clock, links } = this.net.internals;
    const back = links.between(this.to, this.from).oneWayMs();
    const refusedAtMs = clock.exactMs + back;
    const connectDeadlineMs = this.t0 + this.options.connectTimeoutMs;
    if (refusedAtMs > connectDeadlineMs) {
      clock.at(connectDeadlineMs, () =>
        this.fail("connect_timeout", `no connection within ${this.options.connectTimeoutMs} ms`),
      );
    } else clock.at(refusedAtMs, () => this.fail("refused", "connection refused"));
  }

  private senderSilent(): boolean {
    if (this.net.internals.faults.awsRegionDown(this.from.awsRegion, this.t0)) return true;
    if (this.from.kind !== "region") return false;
    const condition = this.net.internals.faults.regionCondition(this.from.name, this.t0);
    return condition.down || condition.hang;
  }

  private isReplication(): boolean {
    return (
      this.from.kind === "region" &&
      this.to.kind === "region" &&
      pathOf(this.request.url).startsWith(REPLICATION_PREFIX)
    );
  }

  private serviceMs(): number {
    const method = this.request.method;
    const { serviceTime } = this.net.internals;
    return method === "GET" || method === "HEAD" ? serviceTime.readMs : serviceTime.writeMs;
  }

  /** What the target's app receives. */
  private received(): Request {
    if (!this.raw) return this.request as Request;
    const { url, method, headers, body } = this.request as RawRequest;
    return new WireRequest(url, method, headers, body) as unknown as Request;
  }

  private succeed(response: Response): void {
    if (this.done) return;
    this.finish();
    // The raw path carries a light response's parts as they are (no copy); a streamed one as its stream.
    this.resolve(this.raw ? (responseParts(response) ?? rawOfResponse(response)) : response);
  }

  private fail(kind: TransportError["kind"], message: string): void {
    this.failWith(new TransportError(kind, this.to.name, message));
  }

  private failWith(error: Error): void {
    if (this.done) return;
    this.finish();
    this.reject(error);
  }

  private finish(): void {
    this.done = true;
    this.timeout?.cancel();
    if (this.onAbort) this.options.signal?.removeEventListener("abort", this.onAbort);
  }
}

function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  return start < 0 ? "/" : url.slice(start);
}

function brownoutResponse(region: string): Response {
  return new Response(
    JSON.stringify({ error: "brownout", detail: `${region} is degraded (fault injected)` }),
    {
      status: 503,
      headers: { "content-type": "application/json", "x-region": region },
    },
  );
}

/** A server at its limit sheds: a 503 at once, as a load balancer or a bounded server queue does. */
function overloadedResponse(target: Endpoint): Response {
  const header = target.kind === "region" ? "x-region" : "x-router";
  return new Response(
    JSON.stringify({ error: "overloaded", detail: `${target.name} is at its capacity (queue full)` }),
    { status: 503, headers: { "content-type": "application/json", [header]: target.name } },
  );
}

/** An app that throws instead of answering: what its HTTP server would send. */
function crashResponse(name: string, error: unknown): Response {
  const detail = error instanceof Error ? error.message : String(error);
  return new Response(JSON.stringify({ error: "internal_error", detail }), {
    status: 500,
    headers: { "content-type": "application/json", "x-region": name },
  });
}
