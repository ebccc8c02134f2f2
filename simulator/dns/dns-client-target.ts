import type { Random } from "../../core/random.ts";
import type { ClientTarget } from "../clients/client-group.ts";
import type { VirtualClock } from "../engine/virtual-clock.ts";
import type { Cell } from "../system/build-system.ts";
import type { Endpoint } from "../transport/endpoint.ts";
import type { Route53Model } from "./route53-model.ts";

/**
 * Clients that find the service through DNS: `instances` independent resolver caches (browsers,
 * SDKs, stub resolvers), each keeping its answer for the TTL from its own last lookup. At the
 * start each cache is part-way through its TTL (they did not all look up at once), so after a
 * DNS change traffic moves over one TTL, not at one instant.
 */
export class DnsClientTarget implements ClientTarget {
  private readonly answers: string[];
  private readonly expiresMs: Float64Array;

  constructor(
    private readonly clock: VirtualClock,
    private readonly dns: Route53Model,
    private readonly cell: Cell,
    instances: number,
    private readonly ttlMs: number,
    random: Random,
  ) {
    this.answers = Array.from({ length: instances }, () => dns.answer(cell.index));
    this.expiresMs = Float64Array.from({ length: instances }, () => random.next() * ttlMs);
  }

  endpointFor(sequence: number): Endpoint {
    const i = sequence % this.answers.length;
    const nowMs = this.clock.exactMs;
    if (nowMs >= this.expiresMs[i]!) {
      this.answers[i] = this.dns.answer(this.cell.index);
      this.expiresMs[i] = nowMs + this.ttlMs;
    }
    return this.cell.regions.get(this.answers[i]!)!.endpoint;
  }
}
