import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { MemoryStore } from "../../regions/store/memory-store.ts";
import type { CommitResult, Item, LogEntry } from "../../regions/store/store.ts";
import {
  postJson,
  type RegionPair,
  regionPair,
  syncPairStandbyDown,
  testEnvironment,
} from "../support/region-pair.ts";

let pair: RegionPair | undefined;
afterEach(async () => {
  await pair?.stop();
  pair = undefined;
});

interface StatusBody {
  replication: {
    degraded: boolean;
    lagEntries: number;
    stalled?: { sinceMs: number; failures: number; lastError: string };
  };
}

async function status(p: RegionPair): Promise<StatusBody> {
  return (await (await p.us.app.request("/region")).json()) as StatusBody;
}

async function metrics(p: RegionPair): Promise<string> {
  return (await p.us.app.request("/metrics")).text();
}

function capturedLogger() {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino({ level: "info" }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

/** A standby store whose commits fail (a full disk) while `failing` is set. */
class FailingStore extends MemoryStore {
  failing = false;
  override async commit(entry: LogEntry): Promise<CommitResult> {
    if (this.failing) throw new Error("disk full");
    return super.commit(entry);
  }
}

/** A write whose response needs the clock to move (sync mode): advances until it settles. */
async function writeWhileAdvancing(p: RegionPair, data: Record<string, unknown>): Promise<Response> {
  const pending = Promise.resolve(p.us.app.request("/items", postJson({ data })));
  let settled = false;
  void pending.then(() => {
    settled = true;
  });
  for (let i = 0; i < 50 && !settled; i++) await p.clock.advance(100);
  return pending;
}

describe("a batch the standby does not apply never stalls replication silently", () => {
  it("sync: a reachable standby that refuses (wrong key) is reported, and writes are acknowledged only as degraded, after the record drops it", async () => {
    const { logger, lines } = capturedLogger();
    pair = regionPair(testEnvironment({ replication: { mode: "sync", syncTimeoutMs: 500 } }), {
      logger,
      keys: { ie: new TextEncoder().encode("another-key-that-prod-us-does-not-have") },
    });
    await pair.us.app.request("/readyz");
    const res = await writeWhileAdvancing(pair, { n: 1 });
    // Not pretending: acknowledged as degraded, after the control record was changed to say that
    // prod-us has no synchronous standby (so no router promotes prod-ie, which lacks the write).
    expect(res.status).toBe(201);
    expect(res.headers.get("x-replication")).toBe("degraded");
    expect((await pair.control.read())?.syncStandby).toBeUndefined();

    const body = await status(pair);
    expect(body.replication.degraded).toBe(true);
    expect(body.replication.stalled).toMatchObject({
      lastError: expect.stringMatching(/401.*bad_signature/),
    });
    expect(body.replication.stalled!.failures).toBeGreaterThanOrEqual(1);
    const text = await metrics(pair);
    expect(text).toMatch(/failover_replication_stalled\{region="prod-us"\} 1/);
    expect(text).toMatch(/failover_replication_failures_total\{reason="stalled",region="prod-us"\} [1-9]/);
    const logged = lines.filter((l) => /replication to prod-ie is stalled/.test(l.msg));
    expect(logged.length).toBe(1); // once when it starts, not once per retry
    expect(logged[0]!.level).toBe(50); // pino's "error"
  });

  // Before the write limits, a body nested 5,000 deep was stored and then broke JSON.stringify;
  // now the store's own copy overflows first, so the unshippable entry here
  // is one JSON cannot encode at all (a BigInt), planted straight in the store.
  it("a log entry that cannot be shipped (one JSON cannot encode, from before the limits) is reported, in async mode too", async () => {
    pair = regionPair();
    const us = pair.stores.us;
    const item: Item = {
      id: "01ARZ3NDEKTSV4RRFFQ69G5FAV",
      data: { count: 10n } as unknown as Item["data"],
      createdAtMs: 1,
      updatedAtMs: 1,
      version: 1,
    };
    await pair.us.app.request("/readyz");
    expect(
      await us.commit({ seq: 1, epoch: 1, origin: "prod-us", atMs: 1, op: { kind: "put", item } }),
    ).toEqual({
      ok: true,
    });
    expect((await pair.us.app.request("/items", postJson({ data: { after: 1 } }))).status).toBe(201);
    await pair.clock.advance(300);
    const body = await status(pair);
    expect(body.replication.lagEntries).toBe(2);
    expect(body.replication.stalled?.lastError).toMatch(/BigInt/);
    expect(await metrics(pair)).toMatch(/failover_replication_stalled\{region="prod-us"\} 1/);
  });

  it("a standby whose store fails is stalled until it recovers; then sync writes are acknowledged again and the log says so", async () => {
    const { logger, lines } = capturedLogger();
    const ie = new FailingStore();
    pair = regionPair(testEnvironment({ replication: { mode: "sync", syncTimeoutMs: 500 } }), {
      logger,
      stores: { ie },
    });
    await pair.us.app.request("/readyz");
    ie.failing = true;
    const during = await writeWhileAdvancing(pair, { n: 1 });
    expect(during.status).toBe(201);
    expect(during.headers.get("x-replication")).toBe("degraded");
    expect((await status(pair)).replication.stalled?.lastError).toMatch(/disk full/);

    ie.failing = false;
    await pair.clock.advance(300); // the retry after the replication interval (100 ms) goes through
    expect((await status(pair)).replication.stalled).toBeUndefined();
    expect(await metrics(pair)).toMatch(/failover_replication_stalled\{region="prod-us"\} 0/);
    expect(lines.some((l) => /replication to prod-ie resumed/.test(l.msg))).toBe(true);
    const again = await writeWhileAdvancing(pair, { n: 2 });
    expect(again.status).toBe(201);
    expect(again.headers.get("x-replication")).toBeNull();
  });

  it("an unreachable standby is not a stall: degrade-to-async still acknowledges, marked degraded", async () => {
    pair = await syncPairStandbyDown();
    const res = await pair.us.app.request("/items", postJson({ data: { n: 1 } }));
    expect(res.status).toBe(201);
    expect(res.headers.get("x-replication")).toBe("degraded");
    expect((await status(pair)).replication.stalled).toBeUndefined();
    expect(await metrics(pair)).toMatch(
      /failover_replication_failures_total\{reason="unreachable",region="prod-us"\} [1-9]/,
    );
  });
});
