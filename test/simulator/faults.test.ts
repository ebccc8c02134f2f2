import { describe, expect, it } from "vitest";
import { routerPolicySchema } from "../../config/router-policy-schema.ts";
import type { FaultEffect } from "../../simulator/faults/effects.ts";
import { FaultState } from "../../simulator/faults/fault-state.ts";
import { type FaultPlanContext, faultKind, faultKindNames } from "../../simulator/faults/index.ts";
import { netHarness } from "./support/net-harness.ts";

const context: FaultPlanContext = {
  regionNames: ["prod-us", "prod-ie"],
  routerIds: ["edge-virginia"],
  clientNames: ["us"],
  policy: routerPolicySchema.parse({}),
  domains: {
    regions: [
      { name: "prod-us", awsRegion: "us-east-1" },
      { name: "prod-ie", awsRegion: "eu-west-1" },
    ],
    routers: [{ id: "edge-virginia", awsRegion: "us-east-1" }],
    controlReplicas: [
      { awsRegion: "us-east-1", location: "virginia", witness: false },
      { awsRegion: "us-east-2", location: "ohio", witness: false },
      { awsRegion: "us-west-2", location: "oregon", witness: true },
    ],
    checkers: [],
  },
};

/** One scenario fault entry, parsed by its registered kind (safeParse: whether it is accepted). */
function entry(fields: Record<string, unknown>) {
  const kind = faultKind(String(fields.kind))!;
  return { kind, params: () => kind.schema.parse(fields), safeParse: () => kind.schema.safeParse(fields) };
}

/** Plans one fault entry through its registered kind, as a scenario would. */
function plan(fields: Record<string, unknown>): FaultEffect[] {
  const { kind, params } = entry(fields);
  expect(kind.check(params(), context)).toEqual([]);
  return kind.plan(params(), context);
}

describe("fault registry", () => {
  it("has one registered kind per fault file", () => {
    expect(faultKindNames()).toEqual([
      "aws-region-outage",
      "brownout",
      "control-replica-slow",
      "flapping",
      "partition",
      "region-down",
      "region-hang",
      "replication-paused",
      "router-restart",
      "store-down",
      "store-latency-spike",
    ]);
  });

  it("rejects names that are not in the system", () => {
    const kind = faultKind("region-down")!;
    const problems = kind.check(
      kind.schema.parse({ kind: "region-down", region: "prod-eu", startS: 1, durationS: 1 }),
      context,
    );
    expect(problems[0]?.reason).toMatch(/"prod-eu" is not a region/);
    const partition = faultKind("partition")!;
    const p = partition.schema.parse({
      kind: "partition",
      between: ["prod-us", "nowhere"],
      startS: 1,
      durationS: 1,
    });
    expect(partition.check(p, context)[0]?.field).toBe("between[1]");
  });
});

describe("kinds that are one effect over their whole window", () => {
  it.each([
    [
      { kind: "store-down", region: "prod-us" },
      { type: "store", region: "prod-us" },
    ],
    [
      { kind: "store-latency-spike", region: "prod-ie", addedLatencyMs: 300, jitterMs: 50 },
      { type: "store-latency", region: "prod-ie", addedLatencyMs: 300, jitterMs: 50 },
    ],
    [
      { kind: "control-replica-slow", awsRegion: "us-east-2", addedLatencyMs: 200 },
      { type: "control-slow", replica: undefined, awsRegion: "us-east-2", addedLatencyMs: 200 },
    ],
  ])("%o: planned over [startS, startS + durationS)", (fields, effect) => {
    expect(plan({ ...fields, startS: 10, durationS: 5 })).toEqual([
      { ...effect, fromMs: 10_000, toMs: 15_000 },
    ]);
  });
});

describe("aws-region-outage", () => {
  it("takes down every part placed in that AWS region, and nothing elsewhere", () => {
    const effects = plan({ kind: "aws-region-outage", awsRegion: "us-east-1", startS: 10, durationS: 5 });
    expect(effects).toEqual([
      { type: "aws-region", awsRegion: "us-east-1", fromMs: 10_000, toMs: 15_000 },
      expect.objectContaining({
        type: "region",
        region: "prod-us",
        mode: "down",
        fromMs: 10_000,
        toMs: 15_000,
      }),
      { type: "store", region: "prod-us", fromMs: 10_000, toMs: 15_000 },
      { type: "router", routerId: "edge-virginia", fromMs: 10_000, toMs: 15_000 },
    ]);
    const outage = { kind: "aws-region-outage", startS: 1, durationS: 1 };
    const { kind, params } = entry({ ...outage, awsRegion: "us-east-2" });
    const ohio = params();
    expect(kind.plan(ohio, context)).toEqual([
      { type: "aws-region", awsRegion: "us-east-2", fromMs: 1000, toMs: 2000 },
    ]);
    expect(kind.warrantsFailoverFrom(ohio, context)).toEqual([]);
    expect(kind.domain?.(ohio, context)).toBe("AWS us-east-2: control us-east-2");
  });

  it("refuses connections to a control replica there and silences what runs there", async () => {
    const state = new FaultState(
      plan({ kind: "aws-region-outage", awsRegion: "us-east-1", startS: 10, durationS: 5 }),
    );
    expect(state.awsRegionDown("us-east-1", 12_000)).toBe(true);
    expect(state.awsRegionDown("us-east-1", 15_000)).toBe(false);
    expect(state.awsRegionDown("us-east-2", 12_000)).toBe(false);
    expect(state.awsRegionDown(undefined, 12_000)).toBe(false);
    expect(state.awsRegionInterrupted("us-east-1", 9_000, 10_500)).toBe(true);
    expect(state.regionCondition("prod-us", 12_000).down).toBe(true);
  });
});

describe("region-down", () => {
  it("refuses connections one round trip after sending, and only while it lasts", async () => {
    const h = netHarness(plan({ kind: "region-down", region: "prod-ie", startS: 1, durationS: 2 }));
    const before = h.sendAt(500, h.router, h.ieRegion);
    const during = h.sendAt(1500, h.router, h.ieRegion, { connectTimeoutMs: 1000 });
    const after = h.sendAt(3500, h.router, h.ieRegion);
    await h.engine.runUntil({ untilMs: 10_000 });
    expect(await before).toEqual({ atMs: 500 + 80.5, status: 200 });
    // Virginia-Ireland is 80.5 ms round trip (inter-region.json): the reset comes back after it.
    expect(await during).toEqual({ atMs: 1500 + 80.5, error: "refused" });
    expect(await after).toEqual({ atMs: 3500 + 80.5, status: 200 });
  });

  it("turns a refusal slower than the connect timeout into connect_timeout", async () => {
    const h = netHarness(plan({ kind: "region-down", region: "prod-ie", startS: 0, durationS: 5 }));
    const result = h.sendAt(100, h.router, h.ieRegion, { connectTimeoutMs: 50 });
    await h.engine.runUntil({ untilMs: 1000 });
    expect(await result).toEqual({ atMs: 150, error: "connect_timeout" });
  });

  it("resets a request the region was working on when it went down", async () => {
    // 2 ms of service time; the region goes down 1 ms after the request arrives.
    const h = netHarness(plan({ kind: "region-down", region: "prod-us", startS: 1.001, durationS: 1 }), {
      readMs: 2,
      writeMs: 2,
    });
    const result = h.sendAt(999.75, h.router, h.usRegion);
    await h.engine.runUntil({ untilMs: 5000 });
    expect((await result).error).toBe("reset");
  });

  it("silences the region's own outbound calls (its replication stops)", async () => {
    const h = netHarness(plan({ kind: "region-down", region: "prod-us", startS: 0, durationS: 5 }));
    const result = h.sendAt(10, h.usRegion, h.ieRegion, {
      connectTimeoutMs: 1000,
      path: "/_replication/entries",
      method: "POST",
    });
    await h.engine.runUntil({ untilMs: 5000 });
    expect(await result).toEqual({ atMs: 1010, error: "connect_timeout" });
    expect(h.seen).toEqual([]);
  });
});

describe("region-hang", () => {
  it("accepts and never answers: the caller's response timeout ends the request", async () => {
    const h = netHarness(plan({ kind: "region-hang", region: "prod-us", startS: 0, durationS: 60 }));
    const result = h.sendAt(100, h.router, h.usRegion, { responseTimeoutMs: 1000 });
    await h.engine.runUntil({ untilMs: 5000 });
    expect(await result).toEqual({ atMs: 1100, error: "timeout" });
    expect(h.seen).toEqual([]);
  });
});

describe("brownout", () => {
  it("answers about errorRate of requests with 503 and adds its latency to every answer", async () => {
    const h = netHarness(
      plan({
        kind: "brownout",
        region: "prod-us",
        errorRate: 0.3,
        addedLatencyMs: 40,
        startS: 0,
        durationS: 100,
      }),
    );
    const results = Array.from({ length: 2000 }, (_, i) => h.sendAt(i * 10, h.router, h.usRegion));
    await h.engine.runUntil({ untilMs: 30_000 });
    const all = await Promise.all(results);
    const errors = all.filter((r) => r.status === 503).length;
    expect(errors / all.length).toBeGreaterThan(0.26);
    expect(errors / all.length).toBeLessThan(0.34);
    // Same-location round trip 0.5 ms plus 40 ms added, on every answer, good or not.
    for (const [i, r] of all.entries()) expect(r.atMs - i * 10).toBeCloseTo(40.5, 6);
  });
});

describe("partition", () => {
  it("drops packets between the two groups: new requests fail with connect_timeout", async () => {
    const h = netHarness(
      plan({ kind: "partition", between: ["routers", "prod-ie"], startS: 1, durationS: 1 }),
    );
    const cut = h.sendAt(1200, h.router, h.ieRegion, { connectTimeoutMs: 300 });
    const otherRegion = h.sendAt(1200, h.router, h.usRegion);
    const regionToRegion = h.sendAt(1200, h.usRegion, h.ieRegion);
    await h.engine.runUntil({ untilMs: 5000 });
    expect(await cut).toEqual({ atMs: 1500, error: "connect_timeout" });
    expect((await otherRegion).status).toBe(200);
    expect((await regionToRegion).status).toBe(200);
  });

  it("loses a response already on its way back (the caller times out)", async () => {
    // The request reaches Ireland at 1040.25 ms; the partition starts at 1050 ms, before the answer is back.
    const h = netHarness(
      plan({ kind: "partition", between: ["prod-ie", "routers"], startS: 1.05, durationS: 1 }),
    );
    const result = h.sendAt(1000, h.router, h.ieRegion, { responseTimeoutMs: 5000 });
    await h.engine.runUntil({ untilMs: 10_000 });
    expect(h.seen.map((s) => s.endpoint)).toEqual(["prod-ie"]);
    expect(await result).toEqual({ atMs: 6000, error: "timeout" });
  });

  it("can cut one direction only, and the client-edge link", async () => {
    const h = netHarness(
      plan({
        kind: "partition",
        between: ["client:us", "edge-virginia"],
        oneWay: true,
        startS: 0,
        durationS: 10,
      }),
    );
    const clientToEdge = h.sendAt(10, h.client, h.router, { connectTimeoutMs: 100 });
    const edgeToRegion = h.sendAt(10, h.router, h.usRegion);
    await h.engine.runUntil({ untilMs: 5000 });
    expect(await clientToEdge).toEqual({ atMs: 110, error: "connect_timeout" });
    expect((await edgeToRegion).status).toBe(200);
  });
});

describe("replication-paused", () => {
  it("refuses replication between the regions at once and lets everything else through", async () => {
    const h = netHarness(plan({ kind: "replication-paused", startS: 0, durationS: 10 }));
    const replication = h.sendAt(5, h.usRegion, h.ieRegion, {
      path: "/_replication/entries",
      method: "POST",
    });
    const other = h.sendAt(5, h.usRegion, h.ieRegion, { path: "/readyz" });
    const client = h.sendAt(5, h.router, h.ieRegion, { path: "/_replication/entries", method: "POST" });
    await h.engine.runUntil({ untilMs: 5000 });
    expect(await replication).toEqual({ atMs: 5, error: "refused" });
    expect((await other).status).toBe(200);
    expect((await client).status).toBe(200);
  });

  it("pauses one direction when `from` is given", () => {
    const effects = plan({ kind: "replication-paused", from: "prod-ie", startS: 0, durationS: 10 });
    const state = new FaultState(effects);
    expect(state.replicationPaused("prod-ie", "prod-us", 5)).toBe(true);
    expect(state.replicationPaused("prod-us", "prod-ie", 5)).toBe(false);
  });
});

describe("router-restart", () => {
  it("refuses connections to the router while it restarts", async () => {
    const h = netHarness(plan({ kind: "router-restart", router: "edge-virginia", startS: 1, durationS: 5 }));
    const during = h.sendAt(2000, h.client, h.router);
    const after = h.sendAt(6500, h.client, h.router);
    await h.engine.runUntil({ untilMs: 10_000 });
    expect(await during).toEqual({ atMs: 2000.5, error: "refused" });
    expect((await after).status).toBe(200);
  });
});

describe("flapping", () => {
  it("is down for downS at the start of every periodS", () => {
    const effects = plan({
      kind: "flapping",
      region: "prod-us",
      periodS: 10,
      downS: 3,
      startS: 5,
      durationS: 25,
    });
    expect(effects.map((e) => [e.fromMs, e.toMs])).toEqual([
      [5000, 8000],
      [15_000, 18_000],
      [25_000, 28_000],
    ]);
    const state = new FaultState(effects);
    expect(state.regionCondition("prod-us", 6000).down).toBe(true);
    expect(state.regionCondition("prod-us", 9000).down).toBe(false);
  });

  it("rejects a down time as long as the period", () => {
    const flapping = { kind: "flapping", region: "prod-us", periodS: 5, startS: 0, durationS: 20 };
    expect(entry({ ...flapping, downS: 5 }).safeParse().success).toBe(false);
    expect(entry({ ...flapping, downS: 4.9 }).safeParse().success).toBe(true);
  });
});

describe("stacking (simulator/faults/README.md)", () => {
  const region = (mode: "down" | "hang" | "degraded", errorRate = 0, addedLatencyMs = 0): FaultEffect => ({
    type: "region",
    region: "prod-us",
    fromMs: 0,
    toMs: 1000,
    mode,
    errorRate,
    addedLatencyMs,
  });

  it("down beats hang beats brownout", () => {
    expect(new FaultState([region("hang"), region("down")]).regionCondition("prod-us", 1)).toMatchObject({
      down: true,
      hang: false,
    });
    expect(
      new FaultState([region("degraded", 0.5), region("hang")]).regionCondition("prod-us", 1),
    ).toMatchObject({ down: false, hang: true });
  });

  it("combines error rates as independent chances and adds latencies", () => {
    const c = new FaultState([region("degraded", 0.5, 10), region("degraded", 0.2, 30)]).regionCondition(
      "prod-us",
      1,
    );
    expect(c.errorRate).toBeCloseTo(1 - 0.5 * 0.8, 12);
    expect(c.addedLatencyMs).toBe(40);
  });

  it("is healthy outside every interval", () => {
    expect(new FaultState([region("down")]).regionCondition("prod-us", 1000)).toMatchObject({
      down: false,
      errorRate: 0,
    });
  });
});

describe("abort signals", () => {
  it("rejects with aborted at the virtual time the signal fires", async () => {
    const h = netHarness([
      {
        type: "region",
        region: "prod-us",
        fromMs: 0,
        toMs: 10_000,
        mode: "hang",
        errorRate: 0,
        addedLatencyMs: 0,
      },
    ]);
    const controller = new AbortController();
    h.engine.clock.at(250, () => controller.abort());
    const result = h.sendAt(100, h.router, h.usRegion, { signal: controller.signal });
    await h.engine.runUntil({ untilMs: 20_000 });
    expect(await result).toEqual({ atMs: 250, error: "aborted" });
  });
});
