import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../core/clock.ts";
import { MemoryControlStore } from "../../core/control.ts";
import { FakeRegions } from "./support/fake-regions.ts";
import { type Harness, routerHarness, settle } from "./support/router-harness.ts";

let routers: Harness[] = [];
afterEach(() => {
  for (const r of routers) r.router.stop();
  routers = [];
});

/** Two routers (edge-a, edge-b) on one clock, one control record, the same two regions. */
function twoRouters(): {
  a: Harness;
  b: Harness;
  clock: ManualClock;
  control: MemoryControlStore;
  regions: FakeRegions;
} {
  const clock = new ManualClock(0);
  const control = new MemoryControlStore({
    activeRegion: "prod-us",
    epoch: 1,
    updatedAtMs: 0,
    reason: "test setup",
  });
  const regions = new FakeRegions(clock, control);
  const a = routerHarness({ clock, control, regions, routerId: "edge-a", adminToken: "t0ken" });
  const b = routerHarness({ clock, control, regions, routerId: "edge-b" });
  routers = [a, b];
  return { a, b, clock, control, regions };
}

describe("two routers sharing one control record", () => {
  it("both detect the hang at 5000; one compare-and-set wins (epoch 2), the other adopts it", async () => {
    const { a, b, clock, control, regions } = twoRouters();
    regions.faults.set("prod-us", { kind: "hang" });
    a.router.start();
    b.router.start();
    await clock.advance(5000);
    expect(await control.read()).toMatchObject({ activeRegion: "prod-ie", epoch: 2 });
    expect([a.router.status().epoch, b.router.status().epoch]).toEqual([2, 2]);
    const promotions = [...a.decisions("promote"), ...b.decisions("promote")];
    const conflicts = [...a.decisions("conflict"), ...b.decisions("conflict")];
    expect(promotions).toHaveLength(1);
    expect(conflicts).toHaveLength(1);
    expect(promotions[0]).toMatchObject({ atMs: 5000, region: "prod-ie", epoch: 2 });
  });

  it("writes through both routers during a refused-connection failover: no epoch has writes in two regions, none fail", async () => {
    const { a, b, clock, regions } = twoRouters();
    a.router.start();
    b.router.start();
    const responses: Promise<Response>[] = [];
    for (let t = 0; t < 6000; t += 50) {
      if (t === 3000) regions.faults.set("prod-us", { kind: "refuse" });
      const via = (t / 50) % 2 === 0 ? a : b;
      responses.push(via.request(`/items/${t}`, { method: "PUT", body: `{"t":${t}}` }));
      await clock.advance(50);
    }
    await settle(clock);
    const statuses = await Promise.all(responses.map(async (r) => (await r).status));
    expect(statuses.every((s) => s === 200)).toBe(true);
    const regionsByEpoch = new Map<number, Set<string>>();
    for (const w of regions.applied) {
      const set = regionsByEpoch.get(w.epoch) ?? new Set();
      set.add(w.region);
      regionsByEpoch.set(w.epoch, set);
    }
    expect([...regionsByEpoch.entries()].map(([e, r]) => [e, [...r]])).toEqual([
      [1, ["prod-us"]],
      [2, ["prod-ie"]],
    ]);
    expect(regions.applied).toHaveLength(120);
  });

  it("an operator promotes through edge-a; edge-b's next write meets not_active and is redirected", async () => {
    const { a, b, clock, regions } = twoRouters();
    a.router.start();
    b.router.start();
    await clock.advance(100);
    const promoted = await a.request("/_router/promote", {
      method: "POST",
      headers: { authorization: "Bearer t0ken", "content-type": "application/json" },
      body: JSON.stringify({ region: "prod-ie", reason: "maintenance" }),
    });
    expect(promoted.status).toBe(200);
    expect(b.router.status().epoch).toBe(1);
    const response = await b.request("/items", { method: "POST", body: "{}" });
    expect(response.status).toBe(201);
    expect(response.headers.get("x-served-by")).toBe("prod-ie");
    expect(response.headers.get("x-served-reason")).toBe("redirect");
    expect(b.router.status().epoch).toBe(2);
    expect(regions.applied).toEqual([
      { region: "prod-ie", epoch: 2, method: "POST", path: "/items", atMs: 100 },
    ]);
  });
});
