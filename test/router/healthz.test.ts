import { afterEach, describe, expect, it } from "vitest";
import { type Harness, routerHarness } from "./support/router-harness.ts";

/**
 * GET /healthz on the router itself (issue 14 (docs/issues.md)): what Route 53's health check on each deployed
 * router probes. 200 while a region it may use is healthy; 503 once its checks hold both down.
 * Policy of routerEnvironment(): probe every 2000 ms, timeout 1000 ms, fall 3.
 */
let h: Harness | undefined;
afterEach(() => h?.router.stop());

async function healthz(harness: Harness) {
  const response = await harness.router.app.request("/healthz");
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("the router's /healthz", () => {
  it("answers 200 itself, naming the active region, and is not forwarded to a region", async () => {
    h = routerHarness();
    h.router.start();
    await h.clock.advance(1);
    const answer = await healthz(h);
    expect(answer).toEqual({
      status: 200,
      body: {
        ok: true,
        router: expect.any(String),
        activeRegion: "prod-us",
        usableRegions: ["prod-us", "prod-ie"],
      },
    });
    expect(h.regions.traffic().filter((r) => r.path === "/healthz")).toEqual([]);
  });

  it("answers 503 once both regions are held down, and 200 with the one left while one is", async () => {
    h = routerHarness();
    h.regions.faults.set("prod-us", { kind: "hang" });
    h.router.start();
    await h.clock.advance(6000);
    expect(await healthz(h)).toMatchObject({ status: 200, body: { ok: true, usableRegions: ["prod-ie"] } });
    h.regions.faults.set("prod-ie", { kind: "hang" });
    await h.clock.advance(8000);
    expect(await healthz(h)).toMatchObject({ status: 503, body: { ok: false, usableRegions: [] } });
  });
});
