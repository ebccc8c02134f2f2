import { seededRandom } from "../../core/random.ts";
import { subsystemSeed } from "../engine/subsystem-seed.ts";
import { type JitterSpec, makeJitter } from "./jitter.ts";
import type { LatencyTable } from "./latency-table.ts";

/** One direction of one link: half the round trip plus jitter, from its own random stream. */
export interface LinkDirection {
  readonly rttMs: number;
  oneWayMs(): number;
}

/**
 * The network between simulated endpoints. Each direction of each (from, to) pair of endpoints
 * gets its own random stream, derived from the run's seed and the pair's name, so adding a
 * client elsewhere never changes the delays another link draws.
 */
export class LinkModel {
  private readonly links = new Map<string, LinkDirection>();
  /** The same links by endpoint object: the hot path looks them up without building a key. */
  private readonly byEndpoint = new WeakMap<object, Map<object, LinkDirection>>();

  constructor(
    private readonly table: LatencyTable,
    private readonly jitter: JitterSpec,
    private readonly seed: number,
  ) {}

  /** The link between two endpoint objects (each with a unique id and a location). */
  between(from: { id: string; location: string }, to: { id: string; location: string }): LinkDirection {
    let out = this.byEndpoint.get(from);
    if (!out) {
      out = new Map();
      this.byEndpoint.set(from, out);
    }
    let link = out.get(to);
    if (!link) {
      link = this.direction(from.id, from.location, to.id, to.location);
      out.set(to, link);
    }
    return link;
  }

  /** The link from endpoint `fromId` at `fromLocation` to endpoint `toId` at `toLocation`. */
  direction(fromId: string, fromLocation: string, toId: string, toLocation: string): LinkDirection {
    const key = `${fromId}>${toId}`;
    let link = this.links.get(key);
    if (!link) {
      const rttMs = this.table.roundTrip(fromLocation, toLocation).rttMs;
      const halfMs = rttMs / 2;
      const sample = makeJitter(this.jitter, seededRandom(subsystemSeed(this.seed, `link:${key}`)));
      link = { rttMs, oneWayMs: () => halfMs + sample() };
      this.links.set(key, link);
    }
    return link;
  }
}
