import type { Random } from "../../core/random.ts";
import { TransportError } from "../../core/transport.ts";
import type { VirtualClock } from "../engine/virtual-clock.ts";
import type { RunRecorder } from "../report/run-recorder.ts";
import type { ResolvedClient } from "../scenario/resolved-scenario.ts";
import type { Endpoint } from "../transport/endpoint.ts";
import type { SimNetwork, SimSendOptions } from "../transport/sim-network.ts";
import { WireRequest } from "../transport/wire-request.ts";
import type { KnownIds } from "./known-ids.ts";
import { WRITE_KEY_PREFIX, type WriteLedger } from "./write-ledger.ts";

/** Where a client's request goes: its router, or whatever region its cached DNS answer names. */
export interface ClientTarget {
  endpointFor(sequence: number): Endpoint;
  /** Time the last endpointFor spent on a DNS lookup (a cache miss); the request waits for it. */
  lookupMs?(): number;
  /** A request got no answer (refused, reset, timed out): a pinned connection closes. */
  failed?(sequence: number): void;
}

export interface ClientDeps {
  clock: VirtualClock;
  network: SimNetwork;
  random: Random;
  ledger: WriteLedger;
  recorder: RunRecorder;
  knownIds: KnownIds;
  target: ClientTarget;
  clientIndex: number;
  locationIndex: number;
  cellIndex: number;
  /** No request is sent at or after this run time. */
  stopAtMs: number;
  /** Build undici Requests instead of WireRequests (the "native" WireMode of simulation.ts). */
  nativeRequests?: boolean;
}

const ORIGIN = "http://items.sim";
/**
 * A group stands for this many users, taking turns: the router sees each request come from one
 * of them (peerAddress), as it would see many client addresses in production.
 */
const USERS_PER_GROUP = 1000;
const NO_HEADERS: Record<string, string> = Object.freeze({}) as Record<string, string>;
const JSON_HEADERS = "application/json";

/**
 * A group of users at one location, open loop: requests arrive at the configured rate whether
 * or not earlier ones were answered (users do not wait for each other). Reads ask for recently
 * created items; writes create one, always with an Idempotency-Key so a router may retry them,
 * and so the lost-write checker can find them at the end.
 */
export class ClientGroup {
  readonly endpoint: Endpoint;
  private sequence = 0;
  /** Retries sent (spec.retries): load the servers see and users do not. */
  retriesSent = 0;
  private readonly meanGapMs: number;

  /** Each user's send options, built once: the network only reads them. */
  private readonly userOptions: SimSendOptions[] = [];

  constructor(
    readonly spec: ResolvedClient,
    private readonly deps: ClientDeps,
  ) {
    this.endpoint = { id: `client:${spec.name}`, kind: "client", location: spec.location, name: spec.name };
    this.meanGapMs = spec.ratePerS > 0 ? 1000 / spec.ratePerS : Number.POSITIVE_INFINITY;
  }

  start(): void {
    if (!Number.isFinite(this.meanGapMs)) return;
    this.deps.clock.at(this.gapMs(), this.arrive);
  }

  private gapMs(): number {
    if (this.spec.arrival === "uniform") return this.meanGapMs;
    return -this.meanGapMs * Math.log(1 - this.deps.random.next());
  }

  private arrive = (): void => {
    const { clock } = this.deps;
    const sendMs = clock.exactMs;
    if (sendMs >= this.deps.stopAtMs) return;
    this.send(sendMs);
    clock.at(sendMs + this.gapMs(), this.arrive);
  };

  private send(sendMs: number): void {
    const { random, ledger } = this.deps;
    const seq = this.sequence++;
    const write = random.next() < this.spec.writeShare;
    let writeIndex = -1;
    let readUrl = "";
    if (write) writeIndex = ledger.add(sendMs, this.deps.cellIndex, this.deps.clientIndex);
    else {
      const id = this.deps.knownIds.pick(random);
      readUrl = id ? `${ORIGIN}/items/${id}` : `${ORIGIN}/items?limit=1`;
    }
    this.sendAttempt(new UserRequest(seq, sendMs, write, writeIndex, readUrl));
  }

  /** One attempt; a retry (spec.retries) sends the same request again: same URL, same Idempotency-Key. */
  private sendAttempt(user: UserRequest): void {
    let request: Request;
    if (user.write) {
      const headers = {
        "content-type": JSON_HEADERS,
        "idempotency-key": `${WRITE_KEY_PREFIX}${user.writeIndex}`,
      };
      const body = `{"data":{"client":"${this.spec.name}","n":${user.writeIndex}}}`;
      request = this.request(`${ORIGIN}/items`, "POST", headers, body);
    } else request = this.request(user.readUrl, "GET", NO_HEADERS);
    const target = this.deps.target.endpointFor(user.seq);
    const options = this.sendOptions(user.seq % USERS_PER_GROUP);
    // Methods and anonymous arrows, not named local closures: tsx (esbuild's keepNames) names
    // each of those with a defineProperty at every creation, twice per request (issue 18).
    const lookupMs = this.deps.target.lookupMs?.() ?? 0;
    if (lookupMs > 0) {
      this.deps.clock.at(this.deps.clock.exactMs + lookupMs, () => this.go(target, request, options, user));
    } else this.go(target, request, options, user);
  }

  private go(target: Endpoint, request: Request, options: SimSendOptions, user: UserRequest): void {
    this.deps.network.send(this.endpoint, target, request, options).then(
      (response) => {
        if (response.status >= 500 && this.retry(user)) return;
        this.answered(response, user);
      },
      (error: unknown) => {
        this.deps.target.failed?.(user.seq);
        if (!this.retry(user)) this.failed(error, user.sendMs);
      },
    );
  }

  /** Schedules the next attempt if the spec allows one; false when it does not. */
  private retry(user: UserRequest): boolean {
    const retries = this.spec.retries;
    if (!retries || user.attempt >= retries.max || this.deps.clock.exactMs >= this.deps.stopAtMs)
      return false;
    this.retriesSent++;
    const backoffMs = retries.backoffMs * retries.backoffMultiplier ** user.attempt;
    // The same record goes on: an attempt starts only once the one before it has ended.
    user.attempt++;
    this.deps.clock.at(this.deps.clock.exactMs + backoffMs, () => this.sendAttempt(user));
    return true;
  }

  /** User `user`'s timeouts and address, built once (not a new object and string per request). */
  private sendOptions(user: number): SimSendOptions {
    let options = this.userOptions[user];
    if (options === undefined) {
      options = {
        connectTimeoutMs: this.spec.connectTimeoutMs,
        responseTimeoutMs: this.spec.timeoutMs,
        peerAddress: `${this.endpoint.id}#${user}`,
      };
      this.userOptions[user] = options;
    }
    return options;
  }

  private request(url: string, method: string, headers: Record<string, string>, body?: string): Request {
    if (this.deps.nativeRequests)
      return new Request(url, body === undefined ? { method, headers } : { method, headers, body });
    return new WireRequest(url, method, headers, body) as unknown as Request;
  }

  private answered(response: Response, user: UserRequest): void {
    const { clock, recorder, ledger } = this.deps;
    const { sendMs, write, writeIndex } = user;
    const status = response.status;
    const latencyMs = clock.exactMs - sendMs;
    const ok = (status >= 200 && status < 300) || (!write && status === 404);
    if (write && (status === 200 || status === 201)) {
      ledger.acknowledge(writeIndex, clock.exactMs, response.headers.get("x-replication") === "degraded");
    }
    if (!write && status === 404) recorder.readsNotFound++;
    if (status < 400) {
      recorder.record(this.deps.locationIndex, this.deps.cellIndex, sendMs, latencyMs, ok, String(status));
      return;
    }
    // Failures are rare: read their error code so the report can say why (region_unreachable...).
    const cell = this.deps.cellIndex;
    const location = this.deps.locationIndex;
    response.text().then(
      (text) => recorder.record(location, cell, sendMs, latencyMs, ok, `${status} ${errorCode(text)}`),
      () => recorder.record(location, cell, sendMs, latencyMs, ok, String(status)),
    );
  }

  private failed(error: unknown, sendMs: number): void {
    const { clock, recorder } = this.deps;
    const kind = error instanceof TransportError ? error.kind : "unknown";
    recorder.record(
      this.deps.locationIndex,
      this.deps.cellIndex,
      sendMs,
      clock.exactMs - sendMs,
      false,
      `client ${kind}`,
    );
  }
}

/**
 * One user's request, through every attempt at it: what a retry sends again (the same URL, the
 * same write and so the same Idempotency-Key) and what the answer is recorded against. One
 * object per request, in place of six values handed from call to call and captured by each
 * closure (duplicates D3).
 */
class UserRequest {
  /** 0 for the first attempt; a retry is sent only after the attempt before it has ended. */
  attempt = 0;

  constructor(
    /** The group's request number: which of its users sends it, and its DNS answer's turn. */
    readonly seq: number,
    /** Run time (exact ms) the user sent it: latency and the report's timeline count from here. */
    readonly sendMs: number,
    readonly write: boolean,
    /** The write's index in the ledger (its Idempotency-Key); -1 for a read. */
    readonly writeIndex: number,
    /** A read's URL; "" for a write. */
    readonly readUrl: string,
  ) {}
}

function errorCode(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: unknown };
    return typeof body.error === "string" ? body.error : "?";
  } catch {
    return "?";
  }
}
