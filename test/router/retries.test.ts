import { afterEach, describe, expect, it } from "vitest";
import { routerEnvironment } from "./support/router-env.ts";
import { type Harness, routerHarness, settle } from "./support/router-harness.ts";

let h: Harness | undefined;
afterEach(() => h?.router.stop());

function start(config = routerEnvironment()): Harness {
  h = routerHarness({ config });
  h.router.start();
  return h;
}

async function body(response: Response): Promise<{ error?: string; detail?: string }> {
  return (await response.json()) as { error?: string; detail?: string };
}

describe("retries after a failed attempt", () => {
  it("an idempotent GET whose connection is reset is retried once and succeeds", async () => {
    const { clock, regions } = start();
    await clock.advance(10);
    regions.failNext("prod-us", { kind: "reset" });
    const pending = h!.request("/items/a");
    await clock.advance(0);
    const response = await pending;
    expect(response.status).toBe(200);
    expect(response.headers.get("x-served-reason")).toBe("retry");
    expect(regions.traffic("prod-us")).toHaveLength(2);
  });

  it("a POST without Idempotency-Key that is reset fails fast with 503, Retry-After and JSON, and is not resent", async () => {
    const { clock, regions } = start();
    await clock.advance(10);
    regions.failNext("prod-us", { kind: "reset" });
    const response = await h!.request("/items", { method: "POST", body: '{"data":{}}' });
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("1");
    expect(await body(response)).toMatchObject({
      error: "upstream_reset",
      detail: expect.stringContaining("may have been applied"),
    });
    expect(regions.traffic("prod-us")).toHaveLength(1);
    expect(regions.applied).toHaveLength(0);
  });

  it("a POST with Idempotency-Key that is reset is resent and applied once", async () => {
    const { clock, regions } = start();
    await clock.advance(10);
    regions.failNext("prod-us", { kind: "reset" });
    const response = await h!.request("/items", {
      method: "POST",
      headers: { "idempotency-key": "k-1" },
      body: '{"data":{}}',
    });
    expect(response.status).toBe(201);
    expect(regions.traffic("prod-us").map((s) => s.body)).toEqual(['{"data":{}}', '{"data":{}}']);
    expect(regions.applied).toHaveLength(1);
  });

  it("a POST refused by a dead region never reached it, so it is sent to the promoted region (epoch 2)", async () => {
    const { clock, regions } = start();
    await clock.advance(1000);
    regions.faults.set("prod-us", { kind: "refuse" });
    const pending = h!.request("/items", { method: "POST", body: '{"data":{"n":1}}' });
    await settle(clock);
    await clock.advance(200);
    const response = await pending;
    expect(response.status).toBe(201);
    expect(response.headers.get("x-served-by")).toBe("prod-ie");
    expect(regions.applied).toEqual([
      { region: "prod-ie", epoch: 2, method: "POST", path: "/items", atMs: 1200 },
    ]);
  });

  it("with the retry budget spent, a refused request fails with 503 and says why", async () => {
    const { clock, regions } = start(routerEnvironment({ retry: { budgetRatio: 0, minRetriesPerS: 0 } }));
    await clock.advance(10);
    regions.faults.set("prod-us", { kind: "refuse" });
    regions.probeFaults.set("prod-us", { kind: "ok" });
    const pending = h!.request("/items/a");
    await settle(clock);
    const response = await pending;
    expect(response.status).toBe(503);
    expect(await body(response)).toMatchObject({
      error: "region_unreachable",
      detail: expect.stringContaining("retry budget spent"),
    });
    // Counted as a retry the budget refused, and none sent.
    const retries = await router().metrics.registry.getSingleMetric("failover_router_retries_total")!.get();
    const byOutcome = Object.fromEntries(
      retries.values.map((v) => [`${v.labels.reason} ${v.labels.outcome}`, v.value]),
    );
    expect(byOutcome).toEqual({ "refused budget_exhausted": 1 });
  });

  it("a request to a hung region answers 504 at exactly connect + response timeout (4000 ms), not later", async () => {
    const { clock, regions } = start();
    regions.faults.set("prod-us", { kind: "hang" });
    regions.probeFaults.set("prod-us", { kind: "ok" });
    let doneAtMs: number | undefined;
    const pending = h!.request("/items", { method: "POST", body: "{}" }).then((r) => {
      doneAtMs = clock.nowMs();
      return r;
    });
    await clock.advance(3999);
    expect(doneAtMs).toBeUndefined();
    await clock.advance(1);
    const response = await pending;
    expect(doneAtMs).toBe(4000);
    expect(response.status).toBe(504);
    expect(await body(response)).toMatchObject({ error: "upstream_timeout" });
  });

  it("an idempotent request that timed out while traffic moved is resent to the new active region", async () => {
    // connect 1000 + response 5000: the GET sent at t=0 times out at 6000; prod-us was replaced at 5000.
    h = routerHarness({ config: routerEnvironment({ responseTimeoutMs: 5000 }) });
    const { clock, regions } = h;
    regions.faults.set("prod-us", { kind: "hang" });
    h.router.start();
    await clock.advance(0);
    const pending = h!.request("/items/a");
    await clock.advance(6000);
    const response = await pending;
    expect(response.status).toBe(200);
    expect(response.headers.get("x-served-by")).toBe("prod-ie");
    expect(h.decisions("promote")[0]?.atMs).toBe(5000);
  });
});

describe("fencing answers from regions", () => {
  it("409 stale_epoch: the router refreshes the record and resends with the current epoch", async () => {
    const { clock, regions, control } = start();
    await clock.advance(10);
    // Elsewhere: failover to prod-ie (2) and failback to prod-us (3); this router still knows epoch 1.
    await control.compareAndSet(1, { activeRegion: "prod-ie", epoch: 2, updatedAtMs: 10, reason: "other" });
    await control.compareAndSet(2, { activeRegion: "prod-us", epoch: 3, updatedAtMs: 10, reason: "other" });
    const response = await h!.request("/items/x", { method: "PUT", body: "{}" });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-served-reason")).toBe("redirect");
    expect(regions.traffic("prod-us").map((s) => s.headers.get("x-failover-epoch"))).toEqual(["1", "3"]);
    expect(regions.applied).toEqual([
      { region: "prod-us", epoch: 3, method: "PUT", path: "/items/x", atMs: 10 },
    ]);
  });

  it("without a readable control record, reads go to initialActive and writes get 503 control_unavailable", async () => {
    h = routerHarness();
    h.control.down = true;
    h.router.start();
    await h.clock.advance(10);
    const read = await h.request("/items/a");
    expect(read.status).toBe(200);
    expect(read.headers.get("x-served-reason")).toBe("no-control-record");
    const write = await h.request("/items", { method: "POST", body: "{}" });
    expect(write.status).toBe(503);
    expect(await body(write)).toMatchObject({ error: "control_unavailable" });
    expect(h.router.status().controlError).toContain("unreachable");
  });
});

function router() {
  return h!.router;
}
