import { describe, expect, it } from "vitest";
import {
  healFault,
  injectFault,
  region,
  seedReplicatedItem,
  stackStatus,
  waitForActive,
} from "./support/control.ts";
import { eventually, sendJson } from "./support/http.ts";
import { stackPerTest } from "./support/test-stack.ts";

// Issue 12 on the live stack: a deposed region that has learned of the promotion refuses a read
// tagged with the old epoch (what a router that has not seen the promotion sends), so it cannot
// hand out the value the new active region has since overwritten; the router, knowing the new
// epoch, reads from the active region.
const stacks = stackPerTest();

describe("epoch-tagged reads on the live stack", () => {
  it("prod-us, back as standby with a stale copy, refuses a read tagged epoch 1; the router reads prod-ie's value", async () => {
    const stack = await stacks.start();
    const s = stack;
    const id = await seedReplicatedItem(s);
    const down = await injectFault(s, { kind: "region-down", region: "prod-us" });
    await waitForActive(s, "prod-ie");
    const put = await eventually("the overwrite acknowledged by prod-ie", async () => {
      const r = await sendJson(`${s.routerUrl}/items/${id}`, "PUT", { data: { v: 2 } });
      return r.status === 200 ? r : undefined;
    });
    expect(put.headers.get("x-served-by")).toBe("prod-ie");
    // prod-us comes back but gets nothing from prod-ie: it keeps the old value.
    await injectFault(s, { kind: "replication-paused" });
    await healFault(s, down.id);
    await eventually("prod-us to learn it is the standby", async () =>
      region(await stackStatus(s), "prod-us").role === "standby" ? true : undefined,
    );

    const stale = await sendJson(`${s.regionUrls["prod-us"]}/items/${id}`, "GET", undefined, {
      "x-failover-epoch": "1",
    });
    expect(stale.status).toBe(503);
    expect(stale.json).toMatchObject({ error: "not_active", activeRegion: "prod-ie", epoch: 2 });
    // Untagged (a standbyReads read, stale by choice) it still answers, with the old value.
    const untagged = await sendJson(`${s.regionUrls["prod-us"]}/items/${id}`, "GET");
    expect(untagged.json).toMatchObject({ data: { seed: true } });
    const routed = await sendJson(`${s.routerUrl}/items/${id}`, "GET");
    expect(routed.status).toBe(200);
    expect(routed.headers.get("x-served-by")).toBe("prod-ie");
    expect(routed.json).toMatchObject({ data: { v: 2 } });
  });
});
