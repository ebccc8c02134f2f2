import { afterEach, describe, expect, it } from "vitest";
import { loadLatencyTable } from "../../simulator/latency/load-latency-table.ts";
import type { RunningStack } from "../../stack/start-stack.ts";
import { STALL_MS } from "../support/loaded-machine.ts";
import { region, seedReplicatedItem, stackStatus } from "./support/control.ts";
import { eventually, median, sendJson } from "./support/http.ts";
import { startTestStack } from "./support/test-stack.ts";

const stacks: RunningStack[] = [];
afterEach(async () => {
  for (const s of stacks.splice(0)) await s.close();
});

const table = loadLatencyTable("inter-region");
/** The table's ireland-virginia round trip: 80.5 ms (AWS us-east-1 to eu-west-1, docs/latency-references.md). */
const irelandVirginiaRttMs = table.roundTrip("ireland", "virginia").rttMs;

async function timedGet(url: string): Promise<number> {
  const t0 = performance.now();
  const response = await fetch(url);
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`GET ${url}: ${response.status}`);
  return performance.now() - t0;
}

describe("latency injected on the live stack's links", () => {
  it("a client in ireland pays the ireland-virginia round trip to reach the router in virginia", async () => {
    expect(irelandVirginiaRttMs).toBe(80.5);
    const near = await startTestStack({ clientLocation: "virginia" });
    stacks.push(near);
    const far = await startTestStack({ clientLocation: "ireland" });
    stacks.push(far);
    const nearId = await seedReplicatedItem(near);
    const farId = await seedReplicatedItem(far);
    const nearMs: number[] = [];
    const farMs: number[] = [];
    // Interleaved, so a busy moment on the machine slows both sides alike.
    for (let i = 0; i < 9; i++) {
      nearMs.push(await timedGet(`${near.routerUrl}/items/${nearId}`));
      farMs.push(await timedGet(`${far.routerUrl}/items/${farId}`));
    }
    // The fastest of several requests: a busy machine only ever adds time, so the minimum is
    // the estimate least disturbed by other work (the median still shows in the log).
    const extraMs = Math.min(...farMs) - Math.min(...nearMs);
    console.info(
      `[measure] ireland client extra latency: ${extraMs.toFixed(1)} ms fastest-to-fastest, ` +
        `${(median(farMs) - median(nearMs)).toFixed(1)} ms median-to-median (table RTT ${irelandVirginiaRttMs} ms)`,
    );
    // Every far request crossed the link: the fastest took at least the round trip (less 2%:
    // each leg is a timer, and a timer may fire up to a millisecond early). A lower bound on the
    // far side alone, since a busy moment can slow the fastest near request too and shrink a
    // difference.
    expect(Math.min(...farMs)).toBeGreaterThanOrEqual(0.98 * irelandVirginiaRttMs);
    // One round trip, not two: the delay is added once each way. Added twice, even the fastest
    // request would pay 2 x RTT more (sleeps are never shorter), so 1.9 x RTT tells the two apart
    // and leaves the rest as room for a busy machine.
    expect(extraMs).toBeLessThan(1.9 * irelandVirginiaRttMs);
  });

  it("replication prod-us -> prod-ie crosses the 80.5 ms link: a write reaches prod-ie no sooner than one way", async () => {
    // A replication tick far longer than a stall: shipped at the next tick instead of on commit,
    // a write would arrive seconds late, so a bound with a stall's room still tells the two apart.
    const tickMs = 10 * STALL_MS;
    const stack = await startTestStack({ replication: { intervalMs: tickMs } });
    stacks.push(stack);
    const oneWayMs = irelandVirginiaRttMs / 2;
    // The replicator's first exchange with prod-ie (its handshake) is over once an item arrived.
    await seedReplicatedItem(stack);
    const lags: number[] = [];
    for (let i = 0; i < 3; i++) {
      // One batch is in flight at a time: wait for the previous one's acknowledgement to come
      // back, or this write would also wait out the return leg of the last shipment.
      await eventually(
        "replication idle",
        async () => region(await stackStatus(stack), "prod-us").replication.lagEntries === 0,
      );
      const created = await sendJson(`${stack.routerUrl}/items`, "POST", { data: { i } });
      expect(created.status).toBe(201);
      const { id, createdAtMs } = created.json as { id: string; createdAtMs: number };
      // Polled straight on prod-ie's port (no link in between), every 2 ms.
      const seenAtMs = await eventually(
        "the write on prod-ie",
        async () => {
          const response = await fetch(`${stack.regionUrls["prod-ie"]}/items/${id}`);
          await response.arrayBuffer();
          return response.status === 200 && Date.now();
        },
        tickMs,
        2,
      );
      lags.push(seenAtMs - createdAtMs);
    }
    console.info(
      `[measure] replication prod-us -> prod-ie visible after ${lags.map((l) => `${l} ms`).join(", ")}`,
    );
    for (const lag of lags) expect(lag).toBeGreaterThanOrEqual(0.95 * oneWayMs);
    // Shipped on commit, not at the next interval tick, over one link crossing (and a stall).
    expect(Math.min(...lags)).toBeLessThan(oneWayMs + STALL_MS);
  });

  it("sync replication: a write is acknowledged only after the round trip to prod-ie", async () => {
    const stack = await startTestStack({ replication: { mode: "sync" } });
    stacks.push(stack);
    const durations: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const created = await sendJson(`${stack.routerUrl}/items`, "POST", { data: { i } });
      durations.push(performance.now() - t0);
      expect(created.status).toBe(201);
      expect(created.headers.get("x-replication")).toBeNull();
    }
    console.info(`[measure] sync write latency: ${durations.map((d) => `${d.toFixed(0)} ms`).join(", ")}`);
    expect(median(durations)).toBeGreaterThanOrEqual(0.9 * irelandVirginiaRttMs);
  });
});
