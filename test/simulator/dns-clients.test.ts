import { describe, expect, it } from "vitest";
import { seededRandom } from "../../core/random.ts";
import { type DnsClientKind, kindsOfInstances } from "../../simulator/dns/dns-client-mix.ts";
import { DnsClientTarget } from "../../simulator/dns/dns-client-target.ts";
import type { Route53Model } from "../../simulator/dns/route53-model.ts";
import { SimEngine } from "../../simulator/engine/engine.ts";
import { runScenario } from "../../simulator/run/run-scenario.ts";
import { parseScenarioText } from "../../simulator/scenario/load-scenario.ts";
import type { Cell } from "../../simulator/system/build-system.ts";

/** One cache (instances: 1) of the given kind, a DNS answer the test flips, and a clock the test moves. */
function oneClient(kind: DnsClientKind, lookupMs = 0) {
  const engine = new SimEngine();
  let answer = "prod-us";
  const dns = { answer: () => answer } as unknown as Route53Model;
  const endpoint = (name: string) => ({ id: name, kind: "region" as const, location: "x", name });
  const cell = {
    index: 0,
    regions: new Map([
      ["prod-us", { endpoint: endpoint("prod-us") }],
      ["prod-ie", { endpoint: endpoint("prod-ie") }],
    ]),
  } as unknown as Cell;
  const target = new DnsClientTarget(
    engine.clock,
    dns,
    cell,
    { instances: 1, ttlMs: 60_000, mix: [kind], lookupMs },
    seededRandom(1),
  );
  const at = async (ms: number) => engine.runUntil({ untilMs: ms });
  const flip = () => {
    answer = "prod-ie";
  };
  const region = () => target.endpointFor(0).name;
  return { target, at, flip, region };
}

describe("DNS client kinds", () => {
  it("assigns kinds to caches by their shares, without random draws", () => {
    const kinds = kindsOfInstances(
      [
        { kind: "ttl", share: 0.7 },
        { kind: "keep-alive", share: 0.2 },
        { kind: "long-cache", share: 0.1, cacheS: 600 },
      ],
      50,
    );
    const count = (k: string) => kinds.filter((x) => x.kind === k).length;
    expect([count("ttl"), count("keep-alive"), count("long-cache")]).toEqual([35, 10, 5]);
  });

  it("ttl: moves within one TTL of the answer changing, and pays the lookup on a miss only", async () => {
    const c = oneClient({ kind: "ttl", share: 1 }, 30);
    await c.at(1);
    expect(c.region()).toBe("prod-us");
    c.flip();
    await c.at(60_001);
    expect(c.region()).toBe("prod-ie");
    // That call missed the cache (a lookup); the next one within the TTL does not.
    expect(c.target.lookupMs()).toBe(30);
    c.region();
    expect(c.target.lookupMs()).toBe(0);
  });

  type Client = ReturnType<typeof oneClient>;
  it.each<{
    title: string;
    client: DnsClientKind;
    stillOldAtMs: number;
    /** What, after the answer has changed, makes this kind see the new one. */
    untilNew(c: Client): unknown;
  }>([
    {
      title: "long-cache: keeps the old answer for cacheS, past the TTL",
      client: { kind: "long-cache", share: 1, cacheS: 600 },
      stillOldAtMs: 300_000,
      untilNew: (c) => c.at(600_002),
    },
    {
      title: "serve-stale: the request that finds the answer expired still goes to the old address",
      client: { kind: "serve-stale", share: 1 },
      stillOldAtMs: 60_001,
      untilNew: () => {},
    },
    {
      title: "keep-alive: stays on its address past the TTL until a request fails, then resolves again",
      client: { kind: "keep-alive", share: 1 },
      stillOldAtMs: 200_000,
      untilNew: (c) => c.target.failed(0),
    },
  ])("$title", async ({ client, stillOldAtMs, untilNew }) => {
    const c = oneClient(client);
    await c.at(1);
    c.region();
    c.flip();
    await c.at(stillOldAtMs);
    expect(c.region()).toBe("prod-us");
    await untilNew(c);
    expect(c.region()).toBe("prod-ie");
  });
});

/** DNS failover with prod-us answering every request `addedLatencyMs` late from 20 s (no errors). */
async function slowPrimary(addedLatencyMs: number) {
  const text = `name: t
durationS: 90
settleS: 5
failoverBy: dns
latency: { table: inter-region, jitter: { distribution: none } }
clients:
  - { name: us, location: virginia, ratePerS: 5, writeShare: 0 }
dns: { requestIntervalS: 10, failureThreshold: 3, ttlS: 60 }
faults:
  - { kind: brownout, region: prod-us, errorRate: 0, addedLatencyMs: ${addedLatencyMs}, startS: 20, durationS: 60 }
`;
  const scenario = parseScenarioText(text, "t.yaml", process.cwd()).scenarios[0]!;
  return { scenario, result: (await runScenario(scenario, { seed: 1 })).result };
}

describe("Route 53's checks", () => {
  it("come from its eight checker regions by default, each placed in its AWS region", async () => {
    const { scenario } = await slowPrimary(0);
    expect(scenario.dns.checkers).toEqual([
      "virginia",
      "california",
      "oregon",
      "ireland",
      "singapore",
      "sydney",
      "tokyo",
      "sao-paulo",
    ]);
    const regions = scenario.dns.checkers.map((c) => scenario.latencyTable.awsRegionOf(c));
    expect(regions).toEqual([
      "us-east-1",
      "us-west-1",
      "us-west-2",
      "eu-west-1",
      "ap-southeast-1",
      "ap-southeast-2",
      "ap-northeast-1",
      "sa-east-1",
    ]);
  }, 60_000);

  it("fail an answer later than one round trip + 2 s (4 s connect, 2 s response), not one 1.5 s late", async () => {
    const late = (await slowPrimary(2500)).result;
    const inTime = (await slowPrimary(1500)).result;
    expect(late.promotions.map((p) => p.to)).toEqual(["prod-ie"]);
    expect(inTime.promotions).toEqual([]);
  }, 60_000);
});
