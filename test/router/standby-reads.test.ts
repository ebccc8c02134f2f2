import { afterEach, describe, expect, it } from "vitest";
import { routerEnvironment } from "./support/router-env.ts";
import { type Harness, routerHarness } from "./support/router-harness.ts";

// prod-us hangs from t=0 and is marked down at t=5000, but the control store is unreachable,
// so the router cannot promote prod-ie: the active region is unhealthy and not yet replaced.
let h: Harness | undefined;
afterEach(() => h?.router.stop());

async function unhealthyButNotReplaced(standbyReads: boolean): Promise<Harness> {
  h = routerHarness({ config: routerEnvironment({ standbyReads }) });
  h.regions.faults.set("prod-us", { kind: "hang" });
  h.router.start();
  await h.clock.advance(1);
  h.control.down = true;
  await h.clock.advance(5999);
  expect(h.router.status()).toMatchObject({ activeRegion: "prod-us", epoch: 1 });
  expect(h.router.status().regions[0]?.unhealthy).toBe(true);
  expect(h.decisions("control-error").some((d) => d.reason.startsWith("cannot promote prod-ie"))).toBe(true);
  return h;
}

describe("standbyReads", () => {
  it("when on, reads go to the healthy standby (stale by the lag) and say so; writes still go to the active region", async () => {
    const { clock } = await unhealthyButNotReplaced(true);
    const read = await h!.request("/items/a");
    expect(read.status).toBe(200);
    expect(read.headers.get("x-served-by")).toBe("prod-ie");
    expect(read.headers.get("x-served-reason")).toBe("standby-read");
    const write = h!.request("/items/a", { method: "PUT", body: "{}" });
    await clock.advance(4000);
    expect((await write).status).toBe(504);
    expect(h!.regions.traffic("prod-ie").map((s) => s.method)).toEqual(["GET"]);
    // A standby read is stale by choice: untagged, so the standby serves it (regions/service/read-gate.ts).
    expect(h!.regions.traffic("prod-ie")[0]?.headers.has("x-failover-epoch")).toBe(false);
  });

  it("when off (the default), reads keep going to the active region", async () => {
    const { clock } = await unhealthyButNotReplaced(false);
    const read = h!.request("/items/a");
    await clock.advance(4000);
    expect((await read).status).toBe(504);
    expect(h!.regions.traffic("prod-ie")).toEqual([]);
  });
});
