import { afterEach, describe, expect, it } from "vitest";
import { routerEnvironment } from "./support/router-env.ts";
import { type Harness, routerHarness } from "./support/router-harness.ts";

// Policy: probe every 2000 ms, fall 3; a streak with answered failures (503s) starts a sample of
// 80 probes 50 ms apart, and the region is down only if half of them fail (issue 13 (docs/issues.md)).
let h: Harness | undefined;
afterEach(() => h?.router.stop());

function start(): Harness {
  h = routerHarness({ config: routerEnvironment() });
  h.regions.probeFaults.set("prod-us", { kind: "status", status: 503 });
  h.router.start();
  return h;
}

describe("probes a region answers with errors are sampled before it is marked down", () => {
  it("three 503s in a row, then a region that mostly passes: sampled, not failed over", async () => {
    const { clock, regions, router } = start();
    await clock.advance(4000); // probes at 0, 2000, 4000 fail: the sample starts
    expect(router.status().regions[0]?.health).toMatchObject({ state: "up", sample: { taken: 1 } });
    regions.probeFaults.set("prod-us", { kind: "ok" });
    await clock.advance(10_000);
    expect(regions.probes("prod-us").length).toBeGreaterThanOrEqual(3 + 80);
    expect(router.status().activeRegion).toBe("prod-us");
    expect(h!.decisions("health")).toEqual([]);
  });

  it("a region that keeps answering 503 is marked down once the sample is taken, not before", async () => {
    const { clock, router } = start();
    // Sample probes at 4000, 4050, ... 7900 (79 of them) plus the regular probe at 6000: 80 at 7900.
    await clock.advance(7899);
    expect(router.status().activeRegion).toBe("prod-us");
    await clock.advance(1);
    expect(router.status().activeRegion).toBe("prod-ie");
    expect(h!.decisions("health")[0]).toMatchObject({
      atMs: 7900,
      reason: expect.stringContaining("80/80 sampled probes failed"),
    });
  });

  it("a region that says it is not ready (503 with ready: false) is marked down after fall 3, unsampled", async () => {
    h = routerHarness({ config: routerEnvironment() });
    h.regions.probeFaults.set("prod-us", { kind: "status", status: 503, body: { ready: false } });
    h.router.start();
    await h.clock.advance(3999);
    expect(h.router.status().activeRegion).toBe("prod-us");
    await h.clock.advance(1);
    expect(h.router.status().activeRegion).toBe("prod-ie");
    expect(h.decisions("health")[0]?.reason).toContain("3 consecutive probes failed");
  });

  it("probes that get no answer at all still mark the region down after fall 3, unsampled", async () => {
    h = routerHarness({ config: routerEnvironment() });
    h.regions.probeFaults.set("prod-us", { kind: "hang" });
    h.router.start();
    await h.clock.advance(5000);
    expect(h.router.status().activeRegion).toBe("prod-ie");
    expect(h.decisions("health")[0]?.reason).toContain("3 consecutive probes failed");
  });
});
