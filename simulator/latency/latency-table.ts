/** A round trip between two locations, with where the number comes from. */
export interface RoundTrip {
  rttMs: number;
  source: string;
  estimated: boolean;
}

/**
 * Round-trip times between locations. Symmetric: a-b is b-a. Two endpoints in one location
 * use that location's own entry (a pair with a == b) or the table's same-location default.
 */
export class LatencyTable {
  private readonly pairs = new Map<string, RoundTrip>();

  constructor(
    readonly name: string,
    readonly sameLocation: RoundTrip,
    pairs: Iterable<{ a: string; b: string } & RoundTrip>,
    /** The AWS region each location is in, where it is one (a failure domain: aws-region-outage). */
    private readonly awsRegions: Readonly<Record<string, string>> = {},
  ) {
    for (const p of pairs)
      this.pairs.set(pairKey(p.a, p.b), { rttMs: p.rttMs, source: p.source, estimated: p.estimated });
  }

  /** The round trip between two locations, or undefined if the table has none. */
  find(a: string, b: string): RoundTrip | undefined {
    return this.pairs.get(pairKey(a, b)) ?? (a === b ? this.sameLocation : undefined);
  }

  /** Like find, but throws an error naming the table when the pair is missing. */
  roundTrip(a: string, b: string): RoundTrip {
    const found = this.find(a, b);
    if (!found) throw new Error(`latency table "${this.name}" has no round trip between ${a} and ${b}`);
    return found;
  }

  /** The AWS region a location is in, or undefined (a city with no AWS region of its own). */
  awsRegionOf(location: string): string | undefined {
    return this.awsRegions[location];
  }

  locations(): string[] {
    const out = new Set<string>();
    for (const key of this.pairs.keys()) for (const loc of key.split("|")) out.add(loc);
    return [...out].sort();
  }

  entries(): ({ a: string; b: string } & RoundTrip)[] {
    return [...this.pairs].map(([key, rt]) => {
      const [a, b] = key.split("|") as [string, string];
      return { a, b, ...rt };
    });
  }
}

function pairKey(a: string, b: string): string {
  return a <= b ? `${a}|${b}` : `${b}|${a}`;
}
