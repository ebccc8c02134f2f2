import { afterEach, describe, expect, it } from "vitest";
import {
  postJson,
  RENEW_INTERVAL_MS,
  type RegionPair,
  regionPair,
  testEnvironment,
  withClock,
} from "../support/region-pair.ts";

// The test environment's lease (config/control-plane-schema.ts defaults).
const LEASE_MS = 2000;
const DRIFT_MS = 100;

let pair: RegionPair;
afterEach(() => pair.stop());

async function promoteIe(): Promise<void> {
  const current = await pair.control.read();
  const result = await pair.control.compareAndSet(current!.epoch, {
    activeRegion: "prod-ie",
    epoch: current!.epoch + 1,
    updatedAtMs: pair.clock.nowMs(),
    reason: "test promotion",
  });
  expect(result.ok).toBe(true);
}

/** Sends a write and notes when it was answered, without awaiting it. */
function write(
  region: "us" | "ie",
  acks: { atMs: number; status: number; error?: string }[],
  epoch?: number,
) {
  const headers: Record<string, string> = epoch === undefined ? {} : { "x-failover-epoch": String(epoch) };
  return Promise.resolve(pair[region].app.request("/items", postJson({ data: { region } }, headers))).then(
    async (res) => {
      const body = (await res.json()) as { error?: string };
      acks.push({
        atMs: pair.clock.nowMs(),
        status: res.status,
        ...(body.error ? { error: body.error } : {}),
      });
    },
  );
}

describe("leases: no region acknowledges a write after another region's first acknowledgement in a later epoch", () => {
  it("an active region cut off from the control plane stops before its successor starts", async () => {
    pair = regionPair();
    await pair.clock.advance(RENEW_INTERVAL_MS);
    const startMs = pair.clock.nowMs();
    pair.controlCut.add("prod-us"); // prod-us keeps serving clients but can no longer renew
    await promoteIe();
    const us: { atMs: number; status: number; error?: string }[] = [];
    const ie: { atMs: number; status: number; error?: string }[] = [];
    const pending: Promise<void>[] = [];
    for (let t = 0; t < 4000; t += 50) {
      pending.push(write("us", us), write("ie", ie, 2));
      await pair.clock.advance(50);
    }
    await withClock(
      pair.clock,
      Promise.all(pending).then(() => new Response()),
    );

    const usAcked = us.filter((a) => a.status === 201).map((a) => a.atMs);
    const ieAcked = ie.filter((a) => a.status === 201).map((a) => a.atMs);
    expect(usAcked.length).toBeGreaterThan(10);
    expect(ieAcked.length).toBeGreaterThan(10);
    // The invariant: every prod-us acknowledgement comes before prod-ie's first one.
    expect(Math.max(...usAcked)).toBeLessThan(Math.min(...ieAcked));
    // prod-us gave up its lease (lease - drift after its last renewal was sent) and says why.
    // (Answers are noted at the end of the 50 ms step they came in, hence "at most".)
    expect(Math.max(...usAcked)).toBeLessThanOrEqual(startMs + LEASE_MS - DRIFT_MS);
    expect(us.filter((a) => a.status === 503).every((a) => a.error === "lease_expired")).toBe(true);
    expect(us.some((a) => a.error === "lease_expired")).toBe(true);
    // prod-ie waited a whole lease plus the drift bound after it learned of its promotion.
    expect(Math.min(...ieAcked)).toBeGreaterThanOrEqual(startMs + LEASE_MS + DRIFT_MS);
  });

  it("a write tagged with a newer epoch makes the standby renew at once, then wait out the old lease", async () => {
    pair = regionPair();
    await pair.clock.advance(10);
    await promoteIe();
    const learnedAtMs = pair.clock.nowMs(); // no renewal interval has passed: only the tag tells it
    const ie: { atMs: number; status: number }[] = [];
    await withClock(
      pair.clock,
      write("ie", ie, 2).then(() => new Response()),
      10,
    );
    expect(ie).toHaveLength(1);
    expect(ie[0]!.status).toBe(201);
    expect(ie[0]!.atMs).toBeGreaterThanOrEqual(learnedAtMs + LEASE_MS + DRIFT_MS);
    expect(ie[0]!.atMs).toBeLessThan(learnedAtMs + LEASE_MS + DRIFT_MS + 20);
  });

  it("checks the lease at acknowledgement: a write stored while the lease ran out is not acknowledged", async () => {
    pair = regionPair(testEnvironment({ replication: { mode: "sync", syncTimeoutMs: 10_000 } }));
    await pair.clock.advance(RENEW_INTERVAL_MS);
    const startMs = pair.clock.nowMs();
    pair.controlCut.add("prod-us"); // it cannot renew, nor record that it has no sync standby
    pair.down.add("prod-ie"); // the write waits for the standby
    const answers: { atMs: number; status: number; error?: string }[] = [];
    const pending = write("us", answers);
    await pair.clock.advance(2500); // the lease ran out while the write waited
    pair.down.delete("prod-ie");
    await withClock(
      pair.clock,
      pending.then(() => new Response()),
    );
    expect(answers).toEqual([{ atMs: expect.any(Number), status: 503, error: "lease_lost" }]);
    expect(answers[0]!.atMs).toBeGreaterThan(startMs + LEASE_MS - DRIFT_MS);
    // It was stored (and replicated), just never acknowledged: a retry with its key is safe.
    expect((await pair.stores.us.head()).seq).toBe(1);
  });

  it("a region whose service restarts in the epoch it already holds does not wait again", async () => {
    pair = regionPair();
    await pair.clock.advance(10);
    await promoteIe();
    await pair.clock.advance(RENEW_INTERVAL_MS);
    await withClock(pair.clock, pair.ie.app.request("/items", postJson({ data: {} })));
    await pair.ie.stop();
    pair.ie.start(); // same process here; a new process would know even less
    const ie: { atMs: number; status: number }[] = [];
    const before = pair.clock.nowMs();
    await withClock(
      pair.clock,
      write("ie", ie).then(() => new Response()),
      10,
    );
    expect(ie[0]!.status).toBe(201);
    // Still the same epoch it knew: no second wait.
    expect(ie[0]!.atMs - before).toBeLessThan(100);
  });
});
