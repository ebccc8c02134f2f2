import type { Random } from "../../core/random.ts";
import type { ClientTarget } from "../clients/client-group.ts";
import type { VirtualClock } from "../engine/virtual-clock.ts";
import type { Cell } from "../system/build-system.ts";
import type { Endpoint } from "../transport/endpoint.ts";
import { type DnsClientKind, IDEAL_CLIENT_MIX, kindsOfInstances } from "./dns-client-mix.ts";
import type { Route53Model } from "./route53-model.ts";

export interface DnsClientOptions {
  instances: number;
  ttlMs: number;
  /** The kinds of client (dns-client-mix.ts); default: all honour the TTL. */
  mix?: readonly DnsClientKind[];
  /** A lookup that misses the cache delays the request by this long. */
  lookupMs?: number;
}

/**
 * Clients that find the service through DNS: `instances` independent resolver caches (browsers,
 * SDKs, stub resolvers), each keeping its answer from its own last lookup, for the TTL or as its
 * kind does (dns-client-mix.ts). At the start each cache is part-way through its lifetime (they
 * did not all look up at once), so after a DNS change traffic moves over one lifetime, not at one
 * instant. A lookup that misses the cache costs lookupMs before the request goes out.
 */
export class DnsClientTarget implements ClientTarget {
  private readonly answers: string[];
  private readonly expiresMs: Float64Array;
  private readonly kinds: DnsClientKind[];
  private readonly lifetimesMs: Float64Array;
  /** keep-alive instances: the region their connection is open to (undefined: none open). */
  private readonly pinned: (string | undefined)[];
  private lastLookupMs = 0;

  constructor(
    private readonly clock: VirtualClock,
    private readonly dns: Route53Model,
    private readonly cell: Cell,
    private readonly options: DnsClientOptions,
    random: Random,
  ) {
    const { instances, ttlMs } = options;
    this.kinds = kindsOfInstances(options.mix ?? IDEAL_CLIENT_MIX, instances);
    this.lifetimesMs = Float64Array.from(this.kinds, (k) =>
      k.kind === "long-cache" ? k.cacheS * 1000 : ttlMs,
    );
    this.answers = Array.from({ length: instances }, () => dns.answer(cell.index));
    this.expiresMs = Float64Array.from({ length: instances }, (_, i) => random.next() * this.lifetimesMs[i]!);
    this.pinned = Array.from({ length: instances }, (_, i) =>
      this.kinds[i]!.kind === "keep-alive" ? this.answers[i] : undefined,
    );
  }

  endpointFor(sequence: number): Endpoint {
    const i = sequence % this.answers.length;
    this.lastLookupMs = 0;
    const pinned = this.pinned[i];
    const region = pinned ?? this.resolve(i);
    if (this.kinds[i]!.kind === "keep-alive") this.pinned[i] = region;
    return this.cell.regions.get(region)!.endpoint;
  }

  lookupMs(): number {
    return this.lastLookupMs;
  }

  /** A request got no answer at all: a keep-alive connection is closed, and the next request resolves again. */
  failed(sequence: number): void {
    const i = sequence % this.answers.length;
    if (this.kinds[i]!.kind === "keep-alive") this.pinned[i] = undefined;
  }

  private resolve(i: number): string {
    const nowMs = this.clock.exactMs;
    if (nowMs < this.expiresMs[i]!) return this.answers[i]!;
    const lookupMs = this.options.lookupMs ?? 0;
    if (this.kinds[i]!.kind === "serve-stale") {
      // Answer the expired record now and refresh in the background: the next request sees the new one.
      const stale = this.answers[i]!;
      this.answers[i] = this.dns.answer(this.cell.index);
      this.expiresMs[i] = nowMs + this.lifetimesMs[i]!;
      return stale;
    }
    this.lastLookupMs = lookupMs;
    // The answer is the one Route 53 gives when the lookup is sent (the lookup's own delay is small against a TTL).
    this.answers[i] = this.dns.answer(this.cell.index);
    this.expiresMs[i] = nowMs + this.lifetimesMs[i]!;
    return this.answers[i]!;
  }
}
